import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { csvDownloadHeaders } from '../staff/csv.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { readAuditLog } from '../../app/shared/audit.ts';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import { readDayPlan } from '../../app/appointments/read-day-plan.ts';
import {
  assertOfficeAccess,
  bookForCaller,
  cancelByStaff,
  readAppointmentForStaff,
  rescheduleByStaff,
  searchPhoneSlots,
} from '../../app/appointments/staff-appointments.ts';
import { searchAppointmentsForStaff } from '../../app/appointments/search-appointments.ts';
import { listOffices, requireOffice } from '../../app/shared/catalogue.ts';
import { officeTimeZone } from '../../app/shared/office-time.ts';
import { canAccessOffice } from '../../domain/staff-access.ts';
import { requestLanguage } from '../language.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { dayPlanCsv, dayPlanFilename } from '../staff/appointment-day-plan-csv.ts';
import { AppointmentSchema, ErrorSchema, OfficeSchema, parseServicesParam, SlotSchema } from './schemas.ts';
import {
  AppointmentIdParam,
  AppointmentSearchQuerySchema,
  AuditEntrySchema,
  DayPlanQuerySchema,
  DayPlanSchema,
  HistoryEntrySchema,
  OfficeIdParam,
  PhoneBookingSchema,
  PrincipalSchema,
  StaffAvailabilityQuerySchema,
  StaffCancelSchema,
  StaffNoteSchema,
  StaffRescheduleSchema,
} from './staff-schemas.ts';
import { validationHook } from './validation.ts';
import type { CancelReason } from '../../domain/cancel-reasons.ts';
import { epochMs } from '../edge-fields.ts';
import { registerCounterRoutes } from './counter-routes.ts';
import { registerStaffAppointmentRoutes } from './staff-appointment-routes.ts';
import { json, body } from './openapi-helpers.ts';

const errors = {
  400: json(ErrorSchema, 'Malformed request'),
  401: json(ErrorSchema, 'No or invalid credentials (unauthenticated)'),
  403: json(ErrorSchema, 'Role too low (forbidden), or missing X-CSRF-Token with a session cookie (csrf_failed)'),
  404: json(
    ErrorSchema,
    "Not found — also for offices and appointments outside the caller's offices; office_not_found for an office (path or officeId filter) that does not exist",
  ),
  409: json(ErrorSchema, 'Conflict, e.g. slot_unavailable, invalid_state'),
  422: json(ErrorSchema, 'Invalid values'),
};
const security = [{ bearer: [] }];
const staff = { tags: ['staff'], security };
const AppointmentResponse = z.object({ appointment: AppointmentSchema });

/**
 * Routes under /api/v1/staff. Every route is authenticated (bearer token or session cookie);
 * role checks go into the route's `middleware`, office scoping into the use cases (not_found).
 */
export function staffApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token from `schalter token create`. The staff pages use a session cookie instead, with the X-CSRF-Token header on changes.',
  });
  api.use('*', staffApiAuth(ctx));

  api.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      ...staff,
      summary: 'Who is calling',
      responses: { 200: json(z.object({ principal: PrincipalSchema }), 'The caller'), ...errors },
    }),
    (c) => c.json({ principal: { ...c.get('principal'), officeIds: [...c.get('principal').officeIds] } }, 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices',
      ...staff,
      summary: "The caller's offices",
      responses: { 200: json(z.object({ offices: z.array(OfficeSchema) }), 'Offices'), ...errors },
    }),
    async (c) => {
      const offices = (await listOffices(ctx.db)).filter((o) => canAccessOffice(c.get('principal'), o.id));
      return c.json({ offices: offices.map((o) => ({ id: o.id, name: o.name, address: o.address, timeZone: o.time_zone })) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/day-plan',
      ...staff,
      summary: 'Day plan (Tagesplan): all appointments of a day by time and status',
      request: { params: OfficeIdParam, query: DayPlanQuerySchema },
      responses: { 200: json(DayPlanSchema, 'The day plan'), ...errors },
    }),
    async (c) => {
      const { date, query } = c.req.valid('query');
      const plan = await readDayPlan(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, date, query, purpose: 'read' });
      return c.json(plan, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/day-plan.csv',
      ...staff,
      summary: 'Day plan as CSV for Excel (UTF-8 with BOM, ";" separated)',
      request: { params: OfficeIdParam, query: DayPlanQuerySchema },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV file' }, ...errors },
    }),
    async (c) => {
      const { date, query } = c.req.valid('query');
      const plan = await readDayPlan(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, date, query, purpose: 'export' });
      return c.body(dayPlanCsv(plan, requestLanguage(c)), 200, csvDownloadHeaders(dayPlanFilename(plan)));
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/availability',
      ...staff,
      summary: 'Earliest free starts for a phone booking (may use the seats kept for the phone)',
      request: { params: OfficeIdParam, query: StaffAvailabilityQuerySchema },
      responses: { 200: json(z.object({ slots: z.array(SlotSchema) }), 'Free starts'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      const q = c.req.valid('query');
      const slots = await searchPhoneSlots(ctx, c.get('principal'), {
        officeId,
        services: parseServicesParam(q.services),
        from: q.from,
        to: q.to,
        limit: q.limit ?? 20,
      });
      const timeZone = await officeTimeZone(ctx.db, officeId);
      return c.json(
        {
          slots: slots.map((s) => ({
            officeId: s.officeId,
            start: isoInZone(s.start, timeZone),
            end: isoInZone(s.end, timeZone),
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/appointments',
      ...staff,
      summary: 'Book for a caller (phone booking): confirmed at once',
      request: { params: OfficeIdParam, ...body(PhoneBookingSchema) },
      responses: { 201: json(AppointmentResponse, 'Booked and confirmed; read the reference out if there is no email'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { appointment } = await bookForCaller(ctx, c.get('principal'), {
        officeId: c.req.valid('param').officeId,
        start: epochMs(b.start),
        services: b.services,
        citizen: b.citizen,
        language: b.language,
      });
      return c.json({ appointment }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/appointments',
      ...staff,
      summary: 'Search appointments by Buchungsnummer (reference), name, phone or email',
      description:
        'One search text, case-insensitive: a reference however it is typed (any date), or part of the name, part of the email address or the phone number in any spelling (appointments from 30 days back on). Only the caller’s offices of its town. Upcoming appointments first (soonest first), then past ones (latest first); at most 50. Audited.',
      request: { query: AppointmentSearchQuerySchema },
      responses: { 200: json(z.object({ appointments: z.array(AppointmentSchema) }), 'Matches: upcoming first, at most 50'), ...errors },
    }),
    async (c) => {
      const { query, officeId } = c.req.valid('query');
      if (officeId !== undefined) await requireOffice(ctx.db, officeId);
      return c.json({ appointments: await searchAppointmentsForStaff(ctx, c.get('principal'), { query, officeId }) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/appointments/{id}',
      ...staff,
      summary: 'One appointment with its history',
      request: { params: AppointmentIdParam },
      responses: {
        200: json(
          z.object({ appointment: AppointmentSchema, history: z.array(HistoryEntrySchema), staffNote: StaffNoteSchema }),
          'The appointment',
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await readAppointmentForStaff(ctx, c.get('principal'), c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{id}/cancel',
      ...staff,
      summary: 'Cancel an appointment with a reason; its time becomes free and the citizen is mailed the reason',
      request: { params: AppointmentIdParam, body: { content: { 'application/json': { schema: StaffCancelSchema } }, required: false } },
      responses: { 200: json(AppointmentResponse, 'Cancelled'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json') as { reason?: CancelReason; explanation?: string | null } | undefined;
      const input = { appointmentId: c.req.valid('param').id, reason: b?.reason ?? 'citizen', explanation: b?.explanation };
      return c.json({ appointment: await cancelByStaff(ctx, c.get('principal'), input) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{id}/reschedule',
      ...staff,
      summary: 'Move an appointment (atomic: the old time is kept if the new one cannot be had)',
      request: { params: AppointmentIdParam, ...body(StaffRescheduleSchema) },
      responses: { 200: json(AppointmentResponse, 'Moved'), ...errors },
    }),
    async (c) => {
      const { start, officeId } = c.req.valid('json');
      return c.json(
        {
          appointment: await rescheduleByStaff(ctx, c.get('principal'), {
            appointmentId: c.req.valid('param').id,
            start: epochMs(start),
            officeId,
          }),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/audit-log',
      ...staff,
      middleware: [requireRole('teamlead')] as const,
      summary: 'Who read or changed what in this office (team leads and admins)',
      request: { params: OfficeIdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: { 200: json(z.object({ entries: z.array(AuditEntrySchema) }), 'Newest first'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      assertOfficeAccess(c.get('principal'), officeId);
      const rows = await readAuditLog(ctx.db, { officeId, limit: c.req.valid('query').limit });
      const entries = rows.map((r) => ({
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        officeId: r.office_id,
        details: r.details,
        branchId: r.branch_id,
      }));
      return c.json({ entries }, 200);
    },
  );

  // Correcting an appointment (staff-appointment-routes.ts).
  registerStaffAppointmentRoutes(api, ctx);

  // The day at the office: queue, counters, walk-ins, document pickup (counter-routes.ts).
  registerCounterRoutes(api, ctx);

  return api;
}
