import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { csvDownloadHeaders } from '../staff/csv.ts';
import { measureLeadTimes } from '../../app/statistics/lead-times.ts';
import { readStatistics } from '../../app/statistics/read-statistics.ts';
import { readBreakdown } from '../../app/statistics/statistics-breakdown.ts';
import { readSideBySide } from '../../app/statistics/statistics-side-by-side.ts';
import { readKreisOverview } from '../../app/statistics/statistics-kreis.ts';
import { kreisStatisticsCsv, kreisStatisticsFilename } from '../staff/statistics-kreis-csv.ts';
import { canAccessOffice } from '../../domain/staff-access.ts';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import { cachedSchedules } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { requestLanguage } from '../language.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { statisticsCsv, statisticsFilename } from '../staff/statistics-csv.ts';
import { statisticsHoursCsv, statisticsHoursFilename } from '../staff/statistics-hours-csv.ts';
import { ErrorSchema } from './schemas.ts';
import { IsoDate } from '../edge-fields.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { validationHook } from './validation.ts';
import { json } from './openapi-helpers.ts';

const errors = {
  401: json(ErrorSchema, 'No or invalid credentials (unauthenticated)'),
  403: json(ErrorSchema, 'Role below teamlead (forbidden)'),
  404: json(ErrorSchema, "Not found — also for offices outside the caller's offices; office_not_found for an office that does not exist"),
  422: json(ErrorSchema, 'Invalid values'),
};
const meta = { tags: ['statistics'], security: [{ bearer: [] }], middleware: requireRole('teamlead') };

const Minutes = z.number().int().nullable();
const FiguresSchema = z.object({
  booked: z.number().int().openapi({ description: 'Bookings made in the range, counted by the day they were made, for whatever day' }),
  appointmentsDue: z
    .number()
    .int()
    .openapi({ description: 'Appointments for days in the range that were not cancelled (counted by the day of the appointment)' }),
  appointmentsCancelled: z.number().int().openapi({
    description: 'Appointments for days in the range that were cancelled, by anyone, whenever (by the day of the appointment)',
  }),
  served: z.number().int(),
  noShow: z.number().int(),
  noShowRate: z.number().nullable().openapi({ description: 'noShow / (served + noShow)' }),
  cancelledByCitizen: z.number().int(),
  cancelledByOffice: z.number().int(),
  walkinsServed: z.number().int(),
  walkinsTurnedAway: z.number().int(),
  arrivals: z.number().int().openapi({
    description: 'Tickets by the hour of arrival: check-ins of appointments and walk-in tickets, whether called or not',
  }),
  walkinArrivals: z.number().int().openapi({ description: 'Of arrivals, the walk-ins' }),
  serviceLevel15: z.number().nullable().openapi({
    description:
      'Share of arrivals called within 15 minutes of their appointment time, or of arriving when that was later (walk-ins: of arriving); never called counts as missed; null without arrivals',
  }),
  serviceLevel30: z.number().nullable().openapi({ description: 'As serviceLevel15, within 30 minutes' }),
  waitMedianMinutes: Minutes.openapi({ description: 'Check-in (arrival) to first call, whole minutes, median' }),
  waitP90Minutes: Minutes,
  processingMedianMinutes: Minutes.openapi({ description: 'First call to served' }),
  processingMeanMinutes: z.number().nullable(),
  utilisation: z.number().nullable().openapi({ description: 'Serving time / counter time staffed for appointments' }),
});
const ReportSchema = z
  .object({
    officeId: z.string(),
    serviceId: z.string().openapi({ description: "'*' for all services" }),
    from: IsoDate,
    to: IsoDate,
    period: z.enum(['day', 'week']),
    total: FiguresSchema,
    periods: z.array(
      FiguresSchema.extend({ period: IsoDate.openapi({ description: 'The day, or the Monday of the week' }), staffedHours: z.number() }),
    ),
    byHour: z
      .array(
        z.object({
          hour: z.number().int(),
          waits: z.number().int(),
          waitMedianMinutes: Minutes,
          waitP90Minutes: Minutes,
          arrivals: z.number().int().openapi({ description: 'Arrivals in this hour of the day, summed over the range' }),
          walkinArrivals: z.number().int(),
          served: z.number().int().openapi({ description: 'Appointments served in this hour (by the time of the verdict)' }),
          walkinsServed: z.number().int(),
        }),
      )
      .openapi({ description: 'By office-local hour of the day, over all days of the range; hours without any figure are left out' }),
    byWeekdayHour: z
      .array(
        z.object({
          weekday: z.number().int().min(1).max(7).openapi({ description: 'ISO weekday, 1 = Monday' }),
          hour: z.number().int(),
          days: z.number().int().openapi({ description: 'Open days of this weekday in the range (staffed, or anyone came or was served)' }),
          arrivals: z.number().int(),
          walkinArrivals: z.number().int(),
          served: z.number().int(),
          walkinsServed: z.number().int(),
          arrivalsPerDay: z.number().openapi({ description: 'arrivals / days, one decimal' }),
          servedPerDay: z.number().openapi({ description: '(served + walkinsServed) / days, one decimal' }),
        }),
      )
      .openapi({
        description:
          'Arrivals and served by weekday and hour of day (#17): what hourly staffing is planned by. Every open weekday has a cell for every hour that had any arrival or service on some weekday.',
      }),
    trend: z
      .array(
        FiguresSchema.extend({
          week: z.enum(['current', 'previous', 'lastYear']),
          from: IsoDate,
          to: IsoDate,
        }),
      )
      .openapi({
        description:
          'The week of `to` (Monday up to `to`) against the same weekdays 7 and 364 days earlier (#17). utilisation is null here (the trend reads no staffed time).',
      }),
    leadTimeHistory: z.array(z.object({ day: IsoDate, serviceId: z.string(), leadDays: z.number().int().nullable() })),
    planning: z.array(
      z.object({
        serviceId: z.string(),
        leadDays: z.number().int().nullable(),
        weeklyBookings: z.number(),
        unmetDemand: z
          .object({
            waitingListJoined: z.number().int(),
            searchMisses: z.number().int(),
            walkinsTurnedAway: z.number().int(),
          })
          .openapi({
            description:
              'Demand the office did not meet in the last four weeks (#17): waiting-list entries naming it that did not become a booking, searches that found nothing there, walk-ins turned away (those recorded without a service shared out by the booked share)',
          }),
        weeklyUnmetDemand: z.number().openapi({
          description:
            'Estimated people per week behind unmetDemand: max(waitingListJoined, searchMisses ÷ 3) + walkinsTurnedAway, ÷ 4 weeks. The forecast and extraCounterHoursPerWeek use weeklyBookings + weeklyUnmetDemand',
        }),
        weeklySeats: z.number(),
        forecast: z.array(
          z.object({ week: z.number().int(), leadDays: z.number().int().openapi({ description: '-1: no seats released' }) }),
        ),
        targetDays: z.number().int(),
        extraCounterHoursPerWeek: z.number().int(),
      }),
    ),
    demand: z
      .object({
        waitingNow: z
          .array(z.object({ serviceId: z.string(), waiting: z.number().int() }))
          .openapi({ description: 'People on the waiting list now who named this office, per service' }),
        waitingHistory: z
          .array(z.object({ day: IsoDate, serviceId: z.string(), waiting: z.number().int() }))
          .openapi({ description: 'Waiting-list length per day (last measurement of the day, taken every 10 minutes)' }),
        searchMisses: z.array(z.object({ day: IsoDate, serviceId: z.string(), misses: z.number().int() })).openapi({
          description:
            'Citizen searches (API, booking pages) that found no free slot at this office; a search for two services counts for each',
        }),
      })
      .openapi({ description: 'Demand the office could not meet (#8)' }),
  })
  .openapi('StatisticsReport');
const BreakdownRowSchema = z.object({
  name: z.string().openapi({ description: 'Counter number, or the clerk’s display name' }),
  served: z.number().int(),
  noShowsCalled: z.number().int().openapi({ description: 'Called, did not come, marked no-show at the counter' }),
  handlingMedianMinutes: Minutes.openapi({ description: 'First call to served, whole minutes' }),
  handlingMeanMinutes: z.number().nullable(),
});
const BreakdownSchema = z
  .object({
    perCounter: z.array(BreakdownRowSchema),
    clerkFigures: z.boolean().openapi({ description: 'SCHALTER_CLERK_FIGURES; when false, perClerk is always empty' }),
    perClerk: z.array(BreakdownRowSchema),
    clerksWithheld: z.number().int(),
    minTicketsPerClerk: z.number().int(),
  })
  .openapi('StatisticsBreakdown');
const SideRowSchema = z.object({
  id: z.string().openapi({ description: "Service or office id; '*' for the total" }),
  name: z.string(),
  arrivals: z.number().int(),
  served: z.number().int(),
  walkinsServed: z.number().int(),
  noShow: z.number().int(),
  noShowRate: z.number().nullable(),
  waitMedianMinutes: Minutes,
  serviceLevel15: z.number().nullable(),
  processingMedianMinutes: Minutes,
});
const SideBySideSchema = z
  .object({ perService: z.array(SideRowSchema), perOffice: z.array(SideRowSchema), total: SideRowSchema })
  .openapi('StatisticsSideBySide');
const ReportQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  period: z.enum(['day', 'week']).default('day'),
  serviceId: z.string().max(64).optional().openapi({ description: 'One service; all services when absent' }),
  targetDays: z.coerce.number().int().min(1).max(365).default(14).openapi({ description: 'Lead-time target of the planning figures' }),
});
const KreisFiguresSchema = z.object({
  offices: z.number().int().openapi({ description: 'Offices of the town (the Kreis), retired ones included' }),
  booked: z.number().int().openapi({ description: 'Bookings made in the range, counted by the day they were made' }),
  served: z.number().int().openapi({ description: 'Appointments served, by the day of the appointment' }),
  noShow: z.number().int(),
  noShowRate: z.number().nullable().openapi({ description: 'noShow / (served + noShow); null when neither' }),
  waitMedianMinutes: Minutes.openapi({ description: 'Check-in (arrival) to first call, median over all offices of the town' }),
});
const KreisOverviewSchema = z
  .object({
    from: IsoDate,
    to: IsoDate,
    towns: z
      .array(KreisFiguresSchema.extend({ municipalityId: z.string(), name: z.string() }))
      .openapi({ description: 'Every town of the installation, in the order of their names; a town without figures has zeros' }),
    total: KreisFiguresSchema.openapi({ description: 'All towns together' }),
  })
  .openapi('KreisStatistics');
const kreisErrors = {
  ...errors,
  403: json(ErrorSchema, 'Role below teamlead, or staff of one town (forbidden): their town is /statistics/offices/{officeId}'),
};
const LeadTimeSchema = z.object({
  officeId: z.string(),
  serviceId: z.string(),
  leadDays: z.number().int().nullable(),
  firstFree: z.string().nullable(),
});

/** /api/v1/statistics: figures of the caller's offices for team leads and admins (bearer token or session). */
export function statisticsApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  api.use('*', staffApiAuth(ctx));

  api.openapi(
    createRoute({
      method: 'get',
      path: '/lead-times',
      ...meta,
      summary: "Days until the next free online slot per office and service (the caller's offices)",
      responses: { 200: json(z.object({ leadTimes: z.array(LeadTimeSchema) }), 'Lead times now'), ...errors },
    }),
    async (c) => {
      const principal = c.get('principal');
      const schedules = (await cachedSchedules(ctx)).filter((s) => canAccessOffice(principal, s.office.id));
      const zones = new Map(schedules.map((s) => [s.office.id, s.office.time_zone]));
      const times = await measureLeadTimes(ctx, [...zones.keys()]);
      return c.json(
        {
          leadTimes: times.map((t) => ({ ...t, firstFree: t.firstFree === null ? null : isoInZone(t.firstFree, zones.get(t.officeId)!) })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/kreis',
      ...meta,
      summary: 'Per town: bookings, served, no-shows, no-show rate and median wait (staff of the whole Kreis only)',
      description:
        'Only aggregates of the offices of each town (#20, decision 0014): no names, no references. For staff without a town of their own (a Kreis admin); the staff of a town get 403.',
      request: { query: ReportQuery.pick({ from: true, to: true }) },
      responses: { 200: json(KreisOverviewSchema, 'Figures per town'), ...kreisErrors },
    }),
    async (c) => c.json(await readKreisOverview(ctx, c.get('principal'), c.req.valid('query')), 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/kreis/export.csv',
      ...meta,
      summary: 'The figures per town as CSV for Excel (UTF-8 with BOM, ";" separated; staff of the whole Kreis only)',
      request: { query: ReportQuery.pick({ from: true, to: true }) },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV file' }, ...kreisErrors },
    }),
    async (c) => {
      const overview = await readKreisOverview(ctx, c.get('principal'), c.req.valid('query'));
      return c.body(kreisStatisticsCsv(overview, requestLanguage(c)), 200, csvDownloadHeaders(kreisStatisticsFilename(overview)));
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}',
      ...meta,
      summary: 'Figures of one office by day or week, waiting time by hour, lead-time history and outlook',
      request: { params: OfficeIdParam, query: ReportQuery },
      responses: { 200: json(ReportSchema, 'Figures'), ...errors },
    }),
    async (c) =>
      c.json(await readStatistics(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, ...c.req.valid('query') }), 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/export.csv',
      ...meta,
      summary: 'The figures by day or week as CSV for Excel (UTF-8 with BOM, ";" separated)',
      request: { params: OfficeIdParam, query: ReportQuery },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV file' }, ...errors },
    }),
    async (c) => {
      const report = await readStatistics(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, ...c.req.valid('query') });
      return c.body(statisticsCsv(report, requestLanguage(c)), 200, csvDownloadHeaders(statisticsFilename(report)));
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/comparison',
      ...meta,
      summary: 'Per service at this office, per office the caller may see, and their total side by side',
      description: 'The total sums only the offices listed (for an admin: the whole town). Rows in the order of their names.',
      request: { params: OfficeIdParam, query: ReportQuery.pick({ from: true, to: true }) },
      responses: { 200: json(SideBySideSchema, 'Side by side'), ...errors },
    }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      const officeId = c.req.valid('param').officeId;
      return c.json(await readSideBySide(ctx, c.get('principal'), { officeId, from, to, lang: requestLanguage(c) }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/breakdown',
      ...meta,
      summary: 'Served, no-shows called and handling time per counter and per clerk (team leads and admins only)',
      description:
        'Rows in the order of their names, never of their figures; clerks with fewer than minTicketsPerClerk finished tickets in the range are withheld (counted in clerksWithheld). Decision record 0013.',
      request: { params: OfficeIdParam, query: ReportQuery.pick({ from: true, to: true }) },
      responses: { 200: json(BreakdownSchema, 'Breakdown'), ...errors },
    }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      return c.json(await readBreakdown(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, from, to }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/hours.csv',
      ...meta,
      summary: 'Arrivals and served by weekday and hour of day as CSV (totals and the average per open day; UTF-8 with BOM, ";")',
      request: { params: OfficeIdParam, query: ReportQuery },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV file' }, ...errors },
    }),
    async (c) => {
      const report = await readStatistics(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, ...c.req.valid('query') });
      return c.body(statisticsHoursCsv(report, requestLanguage(c)), 200, csvDownloadHeaders(statisticsHoursFilename(report)));
    },
  );
  return api;
}
