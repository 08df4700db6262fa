import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import type { Fixture } from './fixture.ts';

/** Thursday 26.11.2026, 07:30 in the office: the morning the fixture's office closes (Wasserschaden). */
export const THURSDAY_0730 = Date.parse('2026-11-26T06:30:00Z');

/**
 * Books one phone appointment per person on Thursday from 08:00 on, hourly, then closes the office
 * for that day with replacements held: whoever has no email (and no SMS gateway) lands on the call list.
 */
export async function closeDayWithCallList(f: Fixture, people: { name: string; email?: string; phone?: string }[]): Promise<void> {
  for (const [i, p] of people.entries()) {
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: Date.parse(`2026-11-26T${String(8 + i).padStart(2, '0')}:00:00+01:00`),
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: p.name, email: p.email ?? null, phone: p.phone ?? null },
      language: 'de',
      channel: 'phone',
    });
  }
  f.clock.set(THURSDAY_0730);
  const opened = await openClosure(f.ctx, {
    officeId: 'test',
    from: THURSDAY_0730,
    to: Date.parse('2026-11-26T18:00:00+01:00'),
    reason: 'Wasserschaden',
    counters: null,
    notify: true,
    offerReplacements: true,
    actor: 'cli',
  });
  await runClosure(f.ctx, opened.closure.id);
}
