import { sql } from 'kysely';
import { lockContact } from '../db/contact-lock.ts';
import type { Trx } from '../db/transaction.ts';
import { DomainError } from '../domain/errors.ts';
import type { AppContext } from './context.ts';

// The per-contact limit (SCHALTER_CONTACT_LIMIT) for the ways into an appointment other than online
// booking: accepting a waiting-list offer and taking a replacement after a closure. Online booking
// checks it inside its one booking statement (src/db/booking-statement.ts); this is the same count
// with two differences that offers need:
// - the appointment being taken (the offer's own hold, the cancelled original) never counts against it;
// - seats held for offers that nobody has accepted yet do not count either. They are not the person's
//   appointments, and counting them would let two holds (say a replacement and a waiting-list offer
//   for the same service) block each other so that neither could be accepted. The person's lock
//   serialises the acceptances: the second one sees the first as confirmed and is refused.

export type ContactLimitCheck = {
  email: string | null;
  phone: string | null;
  serviceIds: string[];
  /** Appointments that never count: the hold being accepted, the original a replacement stands in for. */
  exclude: string[];
};

/** Throws contact_limit_reached when the person already has as many open appointments for these services as allowed. */
export async function checkContactLimit(ctx: AppContext, trx: Trx, check: ContactLimitCheck): Promise<void> {
  const max = ctx.settings.openAppointmentsPerContact === undefined ? 1 : ctx.settings.openAppointmentsPerContact;
  const key = contactKey(check.email, check.phone);
  if (max === null || key === null) return;
  // The same key as online booking takes, so a booking and an acceptance by one person never interleave.
  await lockContact(trx, key);
  const email = check.email?.toLowerCase() ?? null;
  const { rows } = await sql<{ n: string }>`
    SELECT count(DISTINCT o.id) AS n FROM appointment o
    JOIN appointment_service os ON os.appointment_id = o.id
    WHERE (lower(o.citizen_email) = ${email} OR o.citizen_phone = ${check.phone})
      AND o.status IN ('reserved', 'confirmed') AND o.ends_at > ${new Date(ctx.now())}
      AND os.service_id = ANY(${check.serviceIds}::text[])
      AND NOT (o.id = ANY(${check.exclude}::uuid[]))
      AND NOT EXISTS (SELECT 1 FROM replacement_offer r WHERE r.held_appointment_id = o.id AND r.state = 'held' AND o.status = 'reserved')`.execute(trx);
  if (Number(rows[0]?.n ?? 0) >= max) {
    throw new DomainError('contact_limit_reached', `At most ${max} open appointment(s) per person and service`, { max });
  }
}

/** The person behind an appointment for the per-contact limit (online booking and offers alike): the email address, else the phone number. */
export function contactKey(email: string | null, phone: string | null): string | null {
  if (email) return `email:${email.toLowerCase()}`;
  if (phone) return `phone:${phone}`;
  return null;
}
