import type { Weekday } from '../../src/domain/capacity-types.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { cancelAppointment } from '../../src/app/appointments/manage-appointment.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { cachedSchedules } from '../../src/app/shared/catalogue.ts';
import type { AppContext } from '../../src/app/shared/context.ts';
import { resolveServiceSelection } from '../../src/app/shared/service-selection.ts';
import { suitableFreeSlots } from '../../src/app/waiting-list/suitable-slots.ts';
import type { JoinRequest } from '../../src/app/waiting-list/waiting-list.ts';

// Joining the waiting list is refused while a suitable time is free (#22 item 5), so a test that
// joins first books the wished window out for real, through the public booking, as the citizens
// before them did. Each booking is by phone only: confirmed at once, no mail in the outbox, and no
// per-contact limit shared between them.

export type BookedSeat = { officeId: string; start: number; manageToken: string };

export type Wish = Pick<JoinRequest, 'services' | 'officeIds' | 'earliestDate' | 'latestDate' | 'weekdays' | 'fromTime' | 'toTime'>;

let caller = 0;

/** Books every time free for `wish` (as joinWaitingList would find them) until none is left; returns the bookings, earliest first. */
export async function bookOut(ctx: AppContext, wish: Wish): Promise<BookedSeat[]> {
  const selection = await resolveServiceSelection(ctx, wish.services, 'online');
  const services = selection.items.map((i) => ({ serviceId: i.service.id, persons: i.persons }));
  const booked: BookedSeat[] = [];
  for (;;) {
    const now = ctx.now();
    const free = await suitableFreeSlots(ctx, {
      services,
      criteria: { ...wish, officeIds: [...new Set(wish.officeIds)], weekdays: wish.weekdays as Weekday[] },
      durationUnits: selection.durationUnits,
      schedules: await cachedSchedules(ctx),
      now,
      notBefore: () => now,
      limit: 10_000,
    });
    if (free.length === 0) return booked.sort((a, b) => a.start - b.start);
    for (const slot of free) {
      caller += 1;
      try {
        const result = await bookAppointment(ctx, {
          officeId: slot.officeId,
          start: slot.start,
          services,
          citizen: { name: `Frühbucher ${caller}`, phone: `0151 ${String(caller).padStart(7, '0')}` },
          language: 'de',
        });
        booked.push({ officeId: slot.officeId, start: slot.start, manageToken: result.manageToken });
      } catch (error) {
        // Overlapping starts: the booking just before took part of this one's seats.
        if (!(error instanceof DomainError && error.code === 'slot_unavailable')) throw error;
      }
    }
  }
}

/** Cancels the booking at `start` (as its citizen would), freeing its seat; returns the rest. */
export async function cancelBookedAt(ctx: AppContext, booked: BookedSeat[], start: number): Promise<BookedSeat[]> {
  const seat = booked.find((b) => b.start === start);
  if (!seat) throw new Error(`nothing booked at ${new Date(start).toISOString()}`);
  await cancelAppointment(ctx, seat.manageToken);
  return booked.filter((b) => b !== seat);
}
