import { sql, type Kysely } from 'kysely';
import { lockContact } from '../../db/contact-lock.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../shared/context.ts';

// The per-contact limit (SCHALTER_CONTACT_LIMIT) for the ways into an appointment other than online
// booking: accepting a waiting-list offer and taking a replacement after a closure. Online booking
// checks it inside its one booking statement (src/db/booking-statement.ts). Both count with one SQL
// function, open_appointments_of_contact (migration 2026-12-01T1000), which is the one rule of what
// counts: the person's reserved or confirmed appointments for the services that have not ended, except
// - seats held for offers that nobody has accepted yet (a replacement or a waiting-list offer). They
//   are not the person's appointments, and counting them would let two holds (say a replacement and a
//   waiting-list offer for the same service) block each other so that neither could be accepted, and
//   would stop the person booking while a hold waits for their answer. The person's lock serialises
//   bookings and acceptances: whichever comes second sees the first as confirmed and is refused.
// Offers add one exception of their own: the appointments being taken (the offer's own hold, the
// cancelled original) never count against it.

export type ContactLimitCheck = {
  email: string | null;
  phone: string | null;
  serviceIds: string[];
  /** Appointments that never count: the hold being accepted, the original a replacement stands in for. */
  exclude: string[];
};

/** Open appointments per person and service allowed online (SCHALTER_CONTACT_LIMIT); null: no limit. */
export function contactLimitOf(ctx: AppContext): number | null {
  return ctx.settings.openAppointmentsPerContact === undefined ? 1 : ctx.settings.openAppointmentsPerContact;
}

/** The person's appointments for these services that count toward the limit at `now`. */
async function countedAppointments(db: Kysely<DB> | Trx, check: ContactLimitCheck & { now: number }): Promise<number> {
  const email = check.email?.toLowerCase() ?? null;
  const { rows } = await sql<{ n: string }>`
    SELECT open_appointments_of_contact(${email}, ${check.phone}, ${check.serviceIds}::text[], ${new Date(check.now)}::timestamptz, ${check.exclude}::uuid[]) AS n`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Whether the person already has as many counted appointments for these services as allowed. Without
 * the person's lock this is a look, not a guarantee (the waiting-list sweep uses it to pass over
 * people who could not accept); checkContactLimit takes the lock first.
 */
export async function hasReachedContactLimit(ctx: AppContext, db: Kysely<DB> | Trx, check: ContactLimitCheck): Promise<boolean> {
  const max = contactLimitOf(ctx);
  if (max === null || contactKey(check.email, check.phone) === null) return false;
  return (await countedAppointments(db, { ...check, now: ctx.now() })) >= max;
}

/** Throws contact_limit_reached when the person already has as many open appointments for these services as allowed. */
export async function checkContactLimit(ctx: AppContext, trx: Trx, check: ContactLimitCheck): Promise<void> {
  const max = contactLimitOf(ctx);
  const key = contactKey(check.email, check.phone);
  if (max === null || key === null) return;
  // The same key as online booking takes, so a booking and an acceptance by one person never interleave.
  await lockContact(trx, key);
  if ((await countedAppointments(trx, { ...check, now: ctx.now() })) >= max) {
    throw new DomainError('contact_limit_reached', `At most ${max} open appointment(s) per person and service`, { max });
  }
}

/** The person behind an appointment for the per-contact limit (online booking and offers alike): the email address, else the phone number. */
export function contactKey(email: string | null, phone: string | null): string | null {
  if (email) return `email:${email.toLowerCase()}`;
  if (phone) return `phone:${phone}`;
  return null;
}
