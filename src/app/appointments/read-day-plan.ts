import type { AppointmentStatus } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { normaliseReference } from '../../domain/reference.ts';
import type { Principal } from '../../domain/staff-access.ts';
import { localDayBounds } from '../../domain/zoned-time.ts';
import { isoInZone } from './appointment-record.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { assertOfficeAccess } from './staff-appointments.ts';

export type DayPlanEntry = {
  id: string;
  reference: string;
  status: AppointmentStatus;
  source: string;
  start: string;
  end: string;
  services: { serviceId: string; nameDe: string; nameEn: string; persons: number }[];
  citizen: { name: string | null; email: string | null; phone: string | null };
};

export type DayPlan = {
  office: { id: string; name: string; timeZone: string };
  date: string;
  entries: DayPlanEntry[];
  counts: Partial<Record<AppointmentStatus, number>>;
};

/**
 * All appointments of one office and office-local day, by start time. Lapsed reservations
 * (expired) never were appointments and are left out; cancelled ones stay visible.
 * `purpose` tells the audit log whether the plan was looked at, printed or exported.
 */
export async function readDayPlan(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; date: string; query?: string | undefined; purpose: 'read' | 'print' | 'export' },
): Promise<DayPlan> {
  assertOfficeAccess(principal, input.officeId);
  const office = await ctx.db.selectFrom('office').select(['id', 'name', 'time_zone']).where('id', '=', input.officeId).executeTakeFirst();
  if (!office) throw new DomainError('not_found', 'Unknown office', { officeId: input.officeId });
  const [from, to] = localDayBounds(input.date, office.time_zone);
  let query = ctx.db
    .selectFrom('appointment')
    .selectAll()
    .where('office_id', '=', office.id)
    .where('starts_at', '>=', new Date(from))
    .where('starts_at', '<', new Date(to))
    .where('status', '<>', 'expired')
    .orderBy('starts_at')
    .orderBy('reference');
  const text = input.query?.trim();
  if (text) {
    const reference = normaliseReference(text);
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([...(reference ? [eb('reference', '=', reference)] : []), eb('citizen_name', 'ilike', like)]));
  }
  const rows = await query.execute();
  const services =
    rows.length === 0
      ? []
      : await ctx.db
          .selectFrom('appointment_service')
          .innerJoin('service', 'service.id', 'appointment_service.service_id')
          .select([
            'appointment_service.appointment_id',
            'service.id',
            'service.name_de',
            'service.name_en',
            'service.sort_order',
            'appointment_service.persons',
          ])
          .where(
            'appointment_service.appointment_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('service.sort_order')
          .execute();
  const entries = rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    status: row.status,
    source: row.source,
    start: isoInZone(row.starts_at, office.time_zone),
    end: isoInZone(row.ends_at, office.time_zone),
    services: services
      .filter((s) => s.appointment_id === row.id)
      .map((s) => ({ serviceId: s.id, nameDe: s.name_de, nameEn: s.name_en, persons: s.persons })),
    citizen: { name: row.citizen_name, email: row.citizen_email, phone: row.citizen_phone },
  }));
  const counts: Partial<Record<AppointmentStatus, number>> = {};
  for (const e of entries) counts[e.status] = (counts[e.status] ?? 0) + 1;
  await audit(ctx.db, {
    actor: principal,
    action: `day_plan.${input.purpose}`,
    entity: 'office_day',
    entityId: `${office.id}/${input.date}`,
    officeId: office.id,
    at: ctx.now(),
    details: { appointmentIds: entries.map((e) => e.id), ...(text ? { query: text } : {}) },
  });
  return { office: { id: office.id, name: office.name, timeZone: office.time_zone }, date: input.date, entries, counts };
}
