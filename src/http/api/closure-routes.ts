import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CALL_OUTCOMES, readCallList, recordCallOutcome } from '../../app/messaging/call-list.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { openClosure, previewClosure } from '../../app/closures/open-closure.ts';
import { DEFAULT_PAGE_SIZE, PERSON_FILTERS, readClosureReport } from '../../app/closures/read-closure-report.ts';
import { startClosureJob } from '../../app/closures/closure-runner.ts';
import { assertOfficeAccess } from '../../app/appointments/staff-appointments.ts';
import { actorOf } from '../../domain/staff-access.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { ErrorSchema } from './schemas.ts';
import { epochMs, IsoDateTime } from '../edge-fields.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { validationHook } from './validation.ts';
import { json } from './openapi-helpers.ts';

const errors = {
  400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
  401: json(ErrorSchema, 'No or invalid credentials'),
  403: json(ErrorSchema, 'Role too low (closing needs a team lead)'),
  404: json(
    ErrorSchema,
    "Unknown closure, or an office outside the caller's offices (not_found); an office that does not exist (office_not_found)",
  ),
  422: json(ErrorSchema, 'Invalid values'),
};

export const ClosureBodySchema = z
  .object({
    from: IsoDateTime,
    to: IsoDateTime,
    reason: z.string().trim().min(1).max(200).openapi({ example: 'technische Störung' }),
    counters: z.array(z.number().int().min(1)).min(1).nullable().default(null).openapi({ description: 'null: the whole office' }),
    notify: z.boolean().default(true).openapi({ description: 'false: nobody is messaged; everyone goes onto the call list' }),
    offerReplacements: z.boolean().default(true),
    holdHours: z.number().int().min(1).max(168).optional().openapi({ description: 'How long replacements are held (default 48)' }),
  })
  .openapi('ClosureRequest');

const ClosureOpenedSchema = z
  .object({
    closure: z.object({ id: z.uuid() }),
    affected: z.number().int(),
    notifications: z.object({ email: z.number().int(), sms: z.number().int(), callList: z.number().int() }),
  })
  .openapi('ClosureOpened');

const PreviewSchema = z
  .object({
    appointments: z.number().int(),
    email: z.number().int(),
    sms: z.number().int(),
    phoneOnly: z.number().int(),
    unreachable: z.number().int(),
  })
  .openapi('ClosurePreview');

const ReportSchema = z
  .object({
    closure: z.object({
      id: z.string(),
      officeId: z.string(),
      from: z.string(),
      to: z.string(),
      reason: z.string(),
      counters: z.array(z.number()).nullable(),
      state: z.string(),
      createdAt: z.string(),
      finishedAt: z.string().nullable(),
    }),
    progress: z.object({ closureId: z.string(), total: z.number(), done: z.number(), skipped: z.number(), pending: z.number() }),
    counts: z
      .record(z.enum(PERSON_FILTERS), z.number().int())
      .openapi({ description: 'People per state over the whole closure (the filters of `state`)' }),
    list: z
      .object({
        filter: z.enum(PERSON_FILTERS).nullable(),
        page: z.number().int(),
        pageSize: z.number().int(),
        matching: z.number().int(),
        pages: z.number().int(),
      })
      .openapi({ description: 'Which page of which people `people` holds' }),
    people: z.array(
      z.object({
        appointmentId: z.string(),
        reference: z.string(),
        name: z.string().nullable(),
        phone: z.string().nullable(),
        channel: z.enum(['email', 'sms', 'call', 'none']),
        state: z.enum(['pending', 'done', 'skipped']),
        message: z.object({ state: z.string(), attempts: z.number(), lastError: z.string().nullable() }).nullable(),
        offer: z
          .object({
            state: z.string(),
            expiresAt: z.string(),
            held: z.object({ reference: z.string(), officeId: z.string(), start: z.string() }).nullable(),
          })
          .nullable(),
        callList: z.object({ state: z.string(), lastOutcome: z.string().nullable(), attempts: z.number() }).nullable(),
      }),
    ),
  })
  .openapi('ClosureReport');

const CallListEntrySchema = z
  .object({
    id: z.string(),
    state: z.enum(['open', 'reached', 'voicemail']),
    reason: z.enum(['no_channel', 'delivery_failed']),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    language: z.enum(['de', 'en']),
    original: z.object({ reference: z.string(), start: z.string() }),
    held: z
      .object({
        reference: z.string(),
        officeId: z.string(),
        start: z.string(),
        end: z.string(),
        expiresAt: z.string(),
        offerState: z.string(),
      })
      .nullable(),
    attempts: z.number().int(),
    lastOutcome: z.enum(CALL_OUTCOMES).nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('CallListEntry');

/**
 * Closing an office (issue #5). Mounted at /api/v1 next to the public routes, so authentication is
 * per route (a `use('*')` here would guard the public API too).
 */
export function closureApiRoutes(ctx: AppContext, log: (message: string, error?: unknown) => void = () => {}) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  const auth = staffApiAuth(ctx);
  const security = [{ bearer: [] }];

  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/closures',
      tags: ['closures'],
      security,
      middleware: [auth, requireRole('teamlead')] as const,
      summary:
        'Close an office, some counters or a time range: capacity is removed at once, then every affected appointment is cancelled, its citizen told and offered a held replacement',
      request: { params: OfficeIdParam, body: { content: { 'application/json': { schema: ClosureBodySchema } }, required: true } },
      responses: { 201: json(ClosureOpenedSchema, 'Closed; the job runs on (GET /closures/{id} shows progress)'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      const principal = c.get('principal');
      assertOfficeAccess(principal, officeId);
      const b = c.req.valid('json');
      const opened = await openClosure(ctx, {
        officeId,
        from: epochMs(b.from, 'from'),
        to: epochMs(b.to, 'to'),
        reason: b.reason,
        counters: b.counters,
        notify: b.notify,
        offerReplacements: b.offerReplacements,
        holdHours: b.holdHours,
        actor: actorOf(principal),
      });
      void startClosureJob(ctx, opened.closure.id, log);
      return c.json(opened, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/closures/preview',
      tags: ['closures'],
      security,
      middleware: [auth, requireRole('teamlead')] as const,
      summary: 'What a closure would do: how many appointments, reachable by email / SMS / only by phone / not at all. Changes nothing.',
      request: { params: OfficeIdParam, body: { content: { 'application/json': { schema: ClosureBodySchema } }, required: true } },
      responses: { 200: json(PreviewSchema, 'The preview'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      assertOfficeAccess(c.get('principal'), officeId);
      const b = c.req.valid('json');
      return c.json(
        await previewClosure(ctx, {
          officeId,
          from: epochMs(b.from, 'from'),
          to: epochMs(b.to, 'to'),
          reason: b.reason,
          counters: b.counters,
          notify: b.notify,
          offerReplacements: b.offerReplacements,
        }),
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/closures/{id}',
      tags: ['closures'],
      security,
      middleware: [auth] as const,
      summary: 'Progress of a closure: counts per state, and one page of the people (channel, message state, offer state, call list)',
      request: {
        params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }),
        query: z.object({
          state: z.enum(PERSON_FILTERS).optional().openapi({ description: 'Only people in this state (as counted in `counts`)' }),
          page: z.coerce.number().int().min(1).default(1).openapi({ description: 'Page of the list, from 1; beyond the last, the last' }),
          pageSize: z.coerce.number().int().min(1).max(1000).default(DEFAULT_PAGE_SIZE),
        }),
      },
      responses: { 200: json(ReportSchema, 'The closure'), ...errors },
    }),
    async (c) => {
      const { state, page, pageSize } = c.req.valid('query');
      return c.json(
        await readClosureReport(ctx, c.get('principal'), c.req.valid('param').id, { filter: state ?? null, page, pageSize }),
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/call-list',
      tags: ['closures'],
      security,
      middleware: [auth] as const,
      summary: 'People a clerk must phone: no email or SMS, or their message failed. Open entries unless all=true.',
      request: { params: OfficeIdParam, query: z.object({ all: z.enum(['true', 'false']).optional() }) },
      responses: { 200: json(z.object({ entries: z.array(CallListEntrySchema) }).openapi('CallList'), 'The call list'), ...errors },
    }),
    async (c) => {
      const entries = await readCallList(ctx, c.get('principal'), {
        officeId: c.req.valid('param').officeId,
        includeHandled: c.req.valid('query').all === 'true',
      });
      return c.json({ entries }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/call-list/{id}',
      tags: ['closures'],
      security,
      middleware: [auth] as const,
      summary:
        'Record a call: reached or voicemail takes the person off the open list; not reached keeps them on it. Reached, the answer to the held replacement: accepted confirms it at once (appointmentId), declined releases it, other_time releases it so the clerk books another time by phone',
      request: {
        params: z.object({
          id: z
            .string()
            .regex(/^\d{1,18}$/)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        body: {
          content: {
            'application/json': {
              schema: z.object({ outcome: z.enum(CALL_OUTCOMES), note: z.string().max(500).optional() }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(
          z.object({
            state: z.enum(['open', 'reached', 'voicemail']),
            appointmentId: z.string().nullable().openapi({ description: 'The confirmed replacement (outcome accepted), else null' }),
          }),
          'Recorded',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(
        await recordCallOutcome(ctx, c.get('principal'), { entryId: c.req.valid('param').id, outcome: b.outcome, note: b.note }),
        200,
      );
    },
  );

  return api;
}
