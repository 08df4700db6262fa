import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/shared/context.ts';
import { giveWalkinSlot, walkinSlotStarts } from '../../app/counter/walkin-slots.ts';
import { staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { body, json } from './openapi-helpers.ts';
import { ErrorSchema } from './schemas.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { validationHook } from './validation.ts';
import { epochMs, IsoDateTime } from '../edge-fields.ts';

// Walk-in slots from the branch lease (#6): a walk-in gets a slot later the same day. On a branch
// node the command is journalled like every counter action and works while the central server is
// away. Mounted at /api/v1 next to the public routes, so authentication is per route.

const errors = {
  400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
  401: json(ErrorSchema, 'No or invalid credentials'),
  403: json(ErrorSchema, 'Missing X-CSRF-Token with a session cookie (csrf_failed)'),
  404: json(ErrorSchema, "An office outside the caller's offices (not_found), or one that does not exist (office_not_found)"),
  422: json(ErrorSchema, 'Invalid values (e.g. a start that is not later today on a 5-minute mark), or service_not_offered'),
  503: json(ErrorSchema, 'journal_unavailable: the branch cannot write its journal; nothing happened'),
};

const WalkinSlotQuery = z.object({
  serviceId: z.string().min(1).max(64),
  persons: z.coerce.number().int().min(1).max(10).default(1),
});

const WalkinSlotRequest = z
  .object({
    serviceId: z.string().min(1).max(64),
    persons: z.number().int().min(1).max(10).default(1),
    startsAt: IsoDateTime.optional().openapi({
      description:
        'Later today on a 5-minute mark; without it the first start with lease seats (or, when the lease is used up, the next 5-minute mark)',
    }),
  })
  .openapi('WalkinSlotRequest');

const WalkinSlotSchema = z
  .object({
    appointmentId: z.uuid(),
    reference: z.string().openapi({ example: 'K7M-2QX' }),
    startsAt: z.string(),
    endsAt: z.string(),
    withinLease: z
      .boolean()
      .openapi({ description: 'false: given beyond the branch lease (served anyway, flagged; a Klärfall centrally)' }),
  })
  .openapi('WalkinSlot');

export function walkinSlotApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  const auth = staffApiAuth(ctx);
  const tags = ['counter'];
  const security = [{ bearer: [] }];

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/walkin-slots',
      tags,
      security,
      middleware: [auth] as const,
      summary: 'Starts later today at which the branch lease still has room for a walk-in slot of this service, earliest first',
      request: { params: OfficeIdParam, query: WalkinSlotQuery },
      responses: { 200: json(z.object({ starts: z.array(z.string()) }).openapi('WalkinSlotStarts'), 'Free starts'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      const { serviceId, persons } = c.req.valid('query');
      const starts = await walkinSlotStarts(ctx, c.get('principal'), { officeId, serviceId, persons });
      return c.json({ starts: starts.map((s) => new Date(s).toISOString()) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/walkin-slots',
      tags,
      security,
      middleware: [auth] as const,
      summary: 'Give a walk-in a slot later today from the branch lease; beyond the lease the slot is still given and flagged',
      request: { params: OfficeIdParam, ...body(WalkinSlotRequest) },
      responses: { 201: json(WalkinSlotSchema, 'Given'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      const { serviceId, persons, startsAt } = c.req.valid('json');
      const slot = await giveWalkinSlot(ctx, c.get('principal'), {
        officeId,
        serviceId,
        persons,
        start: startsAt ? epochMs(startsAt, 'startsAt') : null,
      });
      return c.json(slot, 201);
    },
  );

  return api;
}
