import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/shared/context.ts';
import { requireOffice } from '../../app/shared/catalogue.ts';
import { listOutboxMessages, OUTBOX_STATES, reportBounce, retryOutboxMessage } from '../../app/messaging/outbox-messages.ts';
import { DomainError } from '../../domain/errors.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { body, json } from './openapi-helpers.ts';
import { ErrorSchema } from './schemas.ts';
import { IsoDate } from '../edge-fields.ts';
import { validationHook } from './validation.ts';

// Notifications (#5): the outbox's states for staff, a retry for failed messages, and the entry
// point for bounces reported by an integration (e.g. the reader of the mail relay's DSNs).

const errors = {
  400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
  401: json(ErrorSchema, 'No or invalid credentials'),
  403: json(ErrorSchema, 'Role too low, or a bounce reported with a session instead of an integration token'),
  404: json(ErrorSchema, "Unknown message, or one outside the caller's offices; office_not_found for an officeId that does not exist"),
  409: json(ErrorSchema, 'The message is not in a state that allows this'),
  422: json(ErrorSchema, 'Invalid values'),
};

const StateSchema = z.enum(OUTBOX_STATES as unknown as ['queued', 'sending', 'sent', 'failed', 'bounced']);

const MessageSchema = z
  .object({
    id: z.string(),
    officeId: z.string().nullable().openapi({ description: 'Derived from what the message is about; null: only admins see it' }),
    kind: z.enum(['appointment', 'reminder', 'closure', 'offer_reminder', 'document', 'release', 'waiting_list', 'other']),
    channel: z.enum(['email', 'sms']),
    recipient: z
      .string()
      .openapi({ description: 'Masked (e•••@example.org, ••• 789); bodies are never returned', example: 'e•••@example.org' }),
    subject: z.string().nullable(),
    state: StateSchema,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi('OutboxMessage');

const BounceSchema = z
  .object({
    messageId: z.string().max(200).openapi({ description: 'The Message-ID Schalter gave the mail', example: '<outbox-42@schalter>' }),
    reason: z.string().trim().min(1).max(1000).openapi({ example: '550 5.1.1 mailbox unknown' }),
  })
  .openapi('BounceReport');

export function notificationApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  const auth = staffApiAuth(ctx);
  const security = [{ bearer: [] }];

  api.openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      tags: ['notifications'],
      security,
      middleware: [auth] as const,
      summary:
        "Messages of the outbox (newest first, at most 200) within the caller's offices, filterable by state, office and the office-local day they were written",
      request: { query: z.object({ state: StateSchema.optional(), officeId: z.string().max(64).optional(), date: IsoDate.optional() }) },
      responses: { 200: json(z.object({ messages: z.array(MessageSchema) }).openapi('OutboxMessages'), 'The messages'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const office = q.officeId ? await requireOffice(ctx.db, q.officeId) : undefined;
      const messages = await listOutboxMessages(ctx, c.get('principal'), {
        officeId: q.officeId,
        state: q.state,
        date: q.date,
        timeZone: office?.time_zone,
      });
      return c.json({ messages }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/{id}/retry',
      tags: ['notifications'],
      security,
      middleware: [auth] as const,
      summary: 'Send a failed message again (a fresh round of attempts). Bounced messages are not retried: the address is wrong.',
      request: {
        params: z.object({
          id: z
            .string()
            .regex(/^\d{1,18}$/)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 200: json(z.object({ state: StateSchema }), 'Queued again'), ...errors },
    }),
    async (c) => c.json({ state: await retryOutboxMessage(ctx, c.get('principal'), c.req.valid('param').id) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/bounces',
      tags: ['notifications'],
      security,
      middleware: [auth, requireRole('clerk')] as const,
      summary:
        'Report a bounce (integration token only, for a message of one of the token\'s offices; admin tokens: all). The message becomes "bounced"; a bounced closure notice puts its person on the call list at once. Repeating a report changes nothing.',
      request: body(BounceSchema),
      responses: {
        200: json(z.object({ state: StateSchema, movedToCallList: z.number().int() }).openapi('BounceRecorded'), 'Recorded'),
        ...errors,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      // Bounces come from machines; a person's session cookie has no business here.
      if (principal.kind !== 'token')
        throw new DomainError('forbidden', 'Bounces are reported with an integration token', { requiredAuth: 'bearer token' });
      const b = c.req.valid('json');
      return c.json(await reportBounce(ctx, principal, b), 200);
    },
  );

  return api;
}
