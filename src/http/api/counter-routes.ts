import { createRoute, type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import type { CounterCommand, CounterCommandType } from '../../app/counter/counter-command.ts';
import { executeCounterCommand, staffCommand } from '../../app/counter/execute-counter-command.ts';
import { importDocumentOrders } from '../../app/documents/import-document-orders.ts';
import { documentStatus } from '../../app/documents/documents.ts';
import { listDocuments } from '../../app/documents/list-documents.ts';
import { changeQueueSettings } from '../../app/counter/change-queue-settings.ts';
import { officeDayAt, queueSettings } from '../../app/shared/office-time.ts';
import { readDisplayBoard, readQueue } from '../../app/counter/queue-board.ts';
import { assertOfficeAccess } from '../../app/appointments/staff-appointments.ts';
import { requireRole, type StaffEnv } from '../staff/auth.ts';
import { ErrorSchema } from './schemas.ts';
import {
  CallSchema,
  CheckInSchema,
  CounterParam,
  DisplayBoardSchema,
  DocumentCreateSchema,
  DocumentListQuery,
  DocumentSchema,
  DocumentStatusSchema,
  ForwardSchema,
  HandOutSchema,
  ImportResultSchema,
  OfficeAppointmentParam,
  OrderParam,
  PaymentSchema,
  PublicOrderParam,
  QueueSchema,
  QueueSettingsSchema,
  TicketParam,
  TicketResponse,
  WalkinSchema,
} from './counter-schemas.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { json, body } from './openapi-helpers.ts';
import { newEntityId } from '../../app/shared/ids.ts';

const errors = {
  400: json(ErrorSchema, 'Malformed request'),
  401: json(ErrorSchema, 'No or invalid credentials (unauthenticated)'),
  403: json(ErrorSchema, 'Role too low (forbidden), or missing X-CSRF-Token with a session cookie (csrf_failed)'),
  404: json(
    ErrorSchema,
    "Not found — also for offices, tickets and orders outside the caller's offices; office_not_found for an office that does not exist",
  ),
  409: json(
    ErrorSchema,
    'Conflict: invalid_state, counter_busy, walkin_quota_exhausted, checkin_too_early, checkin_too_late; set_centrally (queue settings at a branch node)',
  ),
  422: json(ErrorSchema, 'Invalid values'),
};
const counter = { tags: ['counter'], security: [{ bearer: [] }] };
const DocumentResponse = z.object({ document: DocumentSchema });

const post = <R extends NonNullable<RouteConfig['request']>, S extends z.ZodType>(path: string, summary: string, request: R, ok: S) =>
  createRoute({ method: 'post', path, ...counter, summary, request, responses: { 200: json(ok, 'Done'), ...errors } });
const create = <R extends NonNullable<RouteConfig['request']>, S extends z.ZodType>(path: string, summary: string, request: R, ok: S) =>
  createRoute({ method: 'post', path, ...counter, summary, request, responses: { 201: json(ok, 'Created'), ...errors } });

/**
 * The day at the office under /api/v1/staff: queue, counters, walk-ins, document pickup. Every change
 * is a counter command run by executeCounterCommand (audited there); office scoping is in staffCommand.
 */
export function registerCounterRoutes(api: OpenAPIHono<StaffEnv>, ctx: AppContext): void {
  const run = ((c: Context<StaffEnv>, type: CounterCommandType, officeId: string, payload: unknown) =>
    executeCounterCommand(ctx, staffCommand(c.get('principal'), { type, officeId, payload, at: ctx.now() } as never))) as Run;

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/queue',
      ...counter,
      summary: "Today's queue: waiting and called tickets, walk-in quota, estimated wait",
      request: { params: OfficeIdParam },
      responses: { 200: json(QueueSchema, 'The queue'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      assertOfficeAccess(c.get('principal'), officeId);
      return c.json(await readQueue(ctx.db, officeId, ctx.now()), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/queue-settings',
      ...counter,
      summary: 'Walk-in quota and check-in window',
      request: { params: OfficeIdParam },
      responses: { 200: json(QueueSettingsSchema.extend({ effectiveWalkinQuota: z.number().int() }), 'Settings'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      assertOfficeAccess(c.get('principal'), officeId);
      const day = await officeDayAt(ctx.db, officeId, ctx.now());
      const s = await queueSettings(ctx.db, officeId, day.day);
      return c.json(
        {
          walkinQuota: s.quotaIsDerived ? null : s.walkinQuota,
          walkinMinutes: s.walkinMinutes,
          checkinEarlyMinutes: s.checkinEarlyMinutes,
          checkinLateMinutes: s.checkinLateMinutes,
          effectiveWalkinQuota: s.walkinQuota,
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/offices/{officeId}/queue-settings',
      ...counter,
      middleware: [requireRole('teamlead')] as const,
      summary: 'Change walk-in quota and check-in window (team leads)',
      request: { params: OfficeIdParam, ...body(QueueSettingsSchema) },
      responses: { 200: json(QueueSettingsSchema, 'Saved'), ...errors },
    }),
    async (c) => {
      const settings = c.req.valid('json');
      await changeQueueSettings(ctx, c.get('principal'), c.req.valid('param').officeId, settings);
      return c.json(settings, 200);
    },
  );

  api.openapi(
    post('/offices/{officeId}/counters/{counterNumber}/open', 'Start working at a counter', { params: CounterParam }, z.object({})),
    async (c) => {
      const { officeId, counterNumber } = c.req.valid('param');
      await run(c, 'counter.open', officeId, { counterNumber });
      return c.json({}, 200);
    },
  );
  api.openapi(
    post('/offices/{officeId}/counters/{counterNumber}/close', 'Leave a counter', { params: CounterParam }, z.object({})),
    async (c) => {
      const { officeId, counterNumber } = c.req.valid('param');
      await run(c, 'counter.close', officeId, { counterNumber });
      return c.json({}, 200);
    },
  );
  api.openapi(
    post(
      '/offices/{officeId}/counters/{counterNumber}/call-next',
      'Call the next ticket to this counter (ticket null: nobody waits)',
      { params: CounterParam },
      TicketResponse,
    ),
    async (c) => {
      const { officeId, counterNumber } = c.req.valid('param');
      return c.json({ ticket: (await run(c, 'ticket.call_next', officeId, { counterNumber })).ticket }, 200);
    },
  );

  api.openapi(
    create(
      '/offices/{officeId}/check-in',
      'Check an appointment in by its reference; gives a T ticket',
      { params: OfficeIdParam, ...body(CheckInSchema) },
      TicketResponse,
    ),
    async (c) => {
      const { reference, priority } = c.req.valid('json');
      const outcome = await run(c, 'appointment.check_in', c.req.valid('param').officeId, {
        reference,
        ticketId: newEntityId(ctx),
        priority: priority ?? false,
      });
      return c.json({ ticket: outcome.ticket }, 201);
    },
  );
  api.openapi(
    create(
      '/offices/{officeId}/walk-ins',
      'A ticket without appointment (S), within the daily quota; priority for emergencies',
      { params: OfficeIdParam, ...body(WalkinSchema) },
      TicketResponse,
    ),
    async (c) => {
      const { serviceId, priority } = c.req.valid('json');
      const outcome = await run(c, 'walkin.issue', c.req.valid('param').officeId, {
        serviceId,
        ticketId: newEntityId(ctx),
        priority: priority ?? false,
      });
      return c.json({ ticket: outcome.ticket, waitMinutes: outcome.waitMinutes ?? 0 }, 201);
    },
  );

  api.openapi(
    post(
      '/offices/{officeId}/tickets/{ticketId}/call',
      'Call this waiting ticket to a counter',
      { params: TicketParam, ...body(CallSchema) },
      TicketResponse,
    ),
    async (c) => {
      const { officeId, ticketId } = c.req.valid('param');
      return c.json(
        { ticket: (await run(c, 'ticket.call', officeId, { ticketId, counterNumber: c.req.valid('json').counterNumber })).ticket },
        200,
      );
    },
  );
  const simple = [
    ['call-again', 'ticket.call_again', 'Call the ticket again (display and gong)'],
    ['served', 'ticket.served', 'Served: the appointment is done'],
    ['no-show', 'ticket.no_show', 'Did not come when called'],
  ] as const;
  for (const [path, type, summary] of simple) {
    api.openapi(post(`/offices/{officeId}/tickets/{ticketId}/${path}`, summary, { params: TicketParam }, TicketResponse), async (c) => {
      const { officeId, ticketId } = c.req.valid('param');
      return c.json({ ticket: (await run(c, type, officeId, { ticketId })).ticket }, 200);
    });
  }
  api.openapi(
    post(
      '/offices/{officeId}/tickets/{ticketId}/forward',
      'Back into the queue for another counter and/or service',
      { params: TicketParam, ...body(ForwardSchema) },
      TicketResponse,
    ),
    async (c) => {
      const { officeId, ticketId } = c.req.valid('param');
      const { toCounter, toServiceId } = c.req.valid('json');
      return c.json({ ticket: (await run(c, 'ticket.forward', officeId, { ticketId, toCounter, toServiceId })).ticket }, 200);
    },
  );

  api.openapi(
    post(
      '/offices/{officeId}/appointments/{appointmentId}/cancel-at-counter',
      'The citizen at the counter gives up a future appointment (no mail)',
      { params: OfficeAppointmentParam },
      z.object({}),
    ),
    async (c) => {
      const { officeId, appointmentId } = c.req.valid('param');
      await run(c, 'appointment.cancel', officeId, { appointmentId });
      return c.json({}, 200);
    },
  );
  api.openapi(
    create(
      '/offices/{officeId}/payments',
      'A fee paid at the counter',
      { params: OfficeIdParam, ...body(PaymentSchema) },
      z.object({ paymentId: z.uuid() }),
    ),
    async (c) => {
      const paymentId = newEntityId(ctx);
      const p = c.req.valid('json');
      await run(c, 'fee.paid', c.req.valid('param').officeId, {
        paymentId,
        amountCents: p.amountCents,
        method: p.method,
        ticketId: p.ticketId ?? null,
        documentOrderNumber: p.documentOrderNumber ?? null,
      });
      return c.json({ paymentId }, 201);
    },
  );

  registerDocumentRoutes(api, ctx, run);
}

type Run = <T extends CounterCommandType>(
  c: Context<StaffEnv>,
  type: T,
  officeId: string,
  payload: Extract<CounterCommand, { type: T }>['payload'],
) => ReturnType<typeof executeCounterCommand>;

function registerDocumentRoutes(api: OpenAPIHono<StaffEnv>, ctx: AppContext, run: Run) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/documents',
      ...counter,
      summary: 'Document orders of the office (by state, order number or name)',
      request: { params: OfficeIdParam, query: DocumentListQuery },
      responses: { 200: json(z.object({ documents: z.array(DocumentSchema) }), 'Newest change first'), ...errors },
    }),
    async (c) => {
      const documents = await listDocuments(ctx, c.get('principal'), c.req.valid('param').officeId, c.req.valid('query'));
      return c.json({ documents }, 200);
    },
  );
  api.openapi(
    create(
      '/offices/{officeId}/documents',
      'Register a document order (from the producing system or at the counter)',
      { params: OfficeIdParam, ...body(DocumentCreateSchema) },
      DocumentResponse,
    ),
    async (c) => {
      const d = c.req.valid('json');
      const source = c.get('principal').kind === 'token' ? 'api' : 'counter';
      const outcome = await run(c, 'document.register', c.req.valid('param').officeId, {
        documentId: newEntityId(ctx),
        orderNumber: d.orderNumber,
        kind: d.kind,
        holderName: d.holderName,
        email: d.email ?? null,
        phone: d.phone ?? null,
        language: d.language ?? 'de',
        state: d.state ?? 'in_production',
        source,
      });
      return c.json({ document: outcome.document! }, 201);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/documents/import',
      ...counter,
      summary:
        'Import orders as CSV (Vorgangsnummer;Dokument;Name;E-Mail;Telefon;Status): new numbers are registered, known ones marked ready; all rows or none',
      request: { params: OfficeIdParam, body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
      responses: { 200: json(ImportResultSchema, 'Counts'), ...errors },
    }),
    async (c) => {
      const csv = await c.req.text();
      return c.json(await importDocumentOrders(ctx, c.get('principal'), { officeId: c.req.valid('param').officeId, csv }), 200);
    },
  );
  const moves = [
    ['ready', 'document.ready', 'The producer delivered: ready for pickup (the citizen is told)'],
    ['return', 'document.return', 'Not collected: sent back'],
  ] as const;
  for (const [path, type, summary] of moves) {
    api.openapi(
      post(`/offices/{officeId}/documents/{orderNumber}/${path}`, summary, { params: OrderParam }, DocumentResponse),
      async (c) => {
        const { officeId, orderNumber } = c.req.valid('param');
        return c.json({ document: (await run(c, type, officeId, { orderNumber })).document! }, 200);
      },
    );
  }
  api.openapi(
    post(
      '/offices/{officeId}/documents/{orderNumber}/hand-out',
      'Handed out to the holder or an authorised person (name recorded)',
      { params: OrderParam, ...body(HandOutSchema) },
      DocumentResponse,
    ),
    async (c) => {
      const { officeId, orderNumber } = c.req.valid('param');
      const { recipient, authorisedName } = c.req.valid('json');
      return c.json(
        {
          document: (await run(c, 'document.hand_out', officeId, { orderNumber, recipient, authorisedName: authorisedName ?? null }))
            .document!,
        },
        200,
      );
    },
  );
}

/** Public: the state of a document order (no personal data) and the call display's board. */
export function registerPublicCounterRoutes(api: OpenAPIHono, ctx: AppContext): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{orderNumber}/status',
      tags: ['documents'],
      summary: 'Is my ID card ready? State of a document order (no personal data)',
      request: { params: PublicOrderParam },
      responses: {
        200: json(DocumentStatusSchema, 'State'),
        404: json(ErrorSchema, 'Unknown order number'),
        422: json(ErrorSchema, 'Not an order number (too long)'),
      },
    }),
    async (c) => {
      const { willNotify: _internal, ...status } = await documentStatus(ctx.db, c.req.valid('param').orderNumber);
      return c.json(status, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/display',
      tags: ['queue'],
      summary: 'What the call display shows: recent calls and counters (no personal data)',
      request: { params: OfficeIdParam },
      responses: {
        200: json(DisplayBoardSchema, 'Board'),
        404: json(ErrorSchema, 'Unknown office (office_not_found)'),
        422: json(ErrorSchema, 'Not an office id'),
      },
    }),
    async (c) => c.json(await readDisplayBoard(ctx.db, c.req.valid('param').officeId, ctx.now()), 200),
  );
}
