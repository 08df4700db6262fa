import { sql } from 'kysely';
import { comparablePhone } from '../../domain/contact.ts';
import { DomainError } from '../../domain/errors.ts';
import { normaliseReference } from '../../domain/reference.ts';
import { officeScope, type Principal } from '../../domain/staff-access.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { toView, type AppointmentView } from './appointment-record.ts';
import { assertOfficeAccess } from './staff-appointments.ts';

// The clerk's one search field (#22, appointment handling): a caller says a name, reads a
// Buchungsnummer off the mail, or gives the phone number or address they booked with. One field finds
// all four, case-insensitive, in the offices the principal works for — and never beyond its town,
// even if an office of another town were assigned by hand.

/** More than a screen of hits means the text names nobody in particular: the clerk types more. */
export const SEARCH_LIMIT = 50;

/** Name, phone and email look back this far; a Buchungsnummer finds its appointment whenever it was. */
const LOOK_BACK_MS = 30 * 24 * 60 * 60_000;

// The phone numbers as comparablePhone writes them (+49 171 … and 0171/… are one number).
const storedPhone = sql<string>`regexp_replace(regexp_replace(coalesce(appointment.citizen_phone, ''), '[^0-9]', '', 'g'), '^(00)?49', '0')`;

/**
 * Finds appointments by Buchungsnummer (however it is typed), part of the name, part of the email
 * address or the phone number (any spelling of its digits). Upcoming ones first, soonest first, then
 * the past ones, latest first; at most 50. Every hit is personal data shown: the search is audited.
 */
export async function searchAppointmentsForStaff(
  ctx: AppContext,
  principal: Principal,
  input: { query: string; officeId?: string | undefined; limit?: number },
): Promise<AppointmentView[]> {
  const text = input.query.trim();
  if (text.length < 2)
    throw new DomainError('validation_failed', 'Type at least two characters', {
      fields: [{ path: 'query', message: 'at least two characters' }],
    });
  if (input.officeId !== undefined) assertOfficeAccess(principal, input.officeId);
  const scope = input.officeId !== undefined ? [input.officeId] : officeScope(principal);
  const reference = normaliseReference(text);
  // Only what looks like a number is a phone number: „Meier 2“ is no phone search for „2“.
  const phone = /^[+0-9 ()/-]+$/.test(text) ? comparablePhone(text) : null;
  const like = `%${escapeLike(text.toLowerCase())}%`;
  const now = ctx.now();
  const since = new Date(now - LOOK_BACK_MS);
  let query = ctx.db
    .selectFrom('appointment')
    .selectAll('appointment')
    .where('status', '<>', 'expired')
    .where((eb) =>
      eb.or([
        ...(reference ? [eb('reference', '=', reference)] : []),
        eb.and([
          eb('starts_at', '>=', since),
          eb.or([
            eb('citizen_name', 'ilike', like),
            eb(sql<string>`lower(coalesce(citizen_email, ''))`, 'like', like),
            ...(phone ? [eb(storedPhone, 'like', `%${phone}%`)] : []),
          ]),
        ]),
      ]),
    )
    .orderBy(sql`appointment.starts_at < ${new Date(now)}`)
    .orderBy(sql`CASE WHEN appointment.starts_at >= ${new Date(now)} THEN appointment.starts_at END`)
    .orderBy('starts_at', 'desc')
    .limit(Math.min(input.limit ?? SEARCH_LIMIT, SEARCH_LIMIT));
  if (scope !== null) query = query.where('office_id', 'in', scope.length > 0 ? [...scope] : ['']);
  const town = principal.municipalityId;
  if (town !== null)
    query = query.where('office_id', 'in', (eb) => eb.selectFrom('office').select('office.id').where('office.municipality_id', '=', town));
  const rows = await query.execute();
  await audit(ctx.db, {
    actor: principal,
    action: 'appointment.search',
    entity: 'appointment',
    officeId: input.officeId ?? null,
    at: now,
    details: { query: text, appointmentIds: rows.map((r) => r.id) },
  });
  return Promise.all(rows.map((row) => toView(ctx.db, row)));
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
