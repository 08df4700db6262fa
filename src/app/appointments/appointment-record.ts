import { hash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { isoInZone } from '../../domain/zoned-time.ts';
import type { Appointment, AppointmentStatus, DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';

export type AppointmentView = {
  id: string;
  reference: string;
  status: AppointmentStatus;
  officeId: string;
  start: string;
  end: string;
  services: { serviceId: string; persons: number }[];
  language: 'de' | 'en';
  source: string;
  reservedUntil: string | null;
  citizen: { name: string | null; email: string | null; phone: string | null };
};

// One-shot hash(): a booking hashes two secrets, and createHash() builds a stream object for each (4 µs against 1 µs).
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// ISO 8601 with the office's offset, e.g. 2026-12-03T09:40:00+01:00 — what people and calendars expect.
export { isoInZone };

export async function findByManageToken(db: Kysely<DB> | Trx, token: string, options: { lock?: boolean } = {}): Promise<Appointment> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new DomainError('not_found', 'No appointment for this link');
  let query = db.selectFrom('appointment').selectAll().where('manage_token_hash', '=', hashSecret(token));
  if (options.lock) query = query.forUpdate();
  const appointment = await query.executeTakeFirst();
  if (!appointment) throw new DomainError('not_found', 'No appointment for this link');
  return appointment;
}

export async function toView(db: Kysely<DB> | Trx, appointment: Appointment): Promise<AppointmentView> {
  const [office, services] = await Promise.all([
    db.selectFrom('office').select('time_zone').where('id', '=', appointment.office_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('appointment_service')
      .select(['service_id', 'persons'])
      .where('appointment_id', '=', appointment.id)
      .orderBy('service_id')
      .execute(),
  ]);
  return viewOf(
    appointment,
    office.time_zone,
    services.map((s) => ({ serviceId: s.service_id, persons: s.persons })),
  );
}

/** The API view when the caller already holds the office's time zone and the services. */
export function viewOf(appointment: Appointment, tz: string, services: { serviceId: string; persons: number }[]): AppointmentView {
  return {
    id: appointment.id,
    reference: appointment.reference,
    status: appointment.status,
    officeId: appointment.office_id,
    start: isoInZone(appointment.starts_at, tz),
    end: isoInZone(appointment.ends_at, tz),
    services: [...services].sort((a, b) => a.serviceId.localeCompare(b.serviceId)),
    language: appointment.language,
    source: appointment.source,
    reservedUntil: appointment.status === 'reserved' && appointment.reserved_until ? isoInZone(appointment.reserved_until, tz) : null,
    citizen: { name: appointment.citizen_name, email: appointment.citizen_email, phone: appointment.citizen_phone },
  };
}
