import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../app/shared/context.ts';
import { assertOfficeAccess } from '../../app/appointments/staff-appointments.ts';
import { actorOf } from '../../domain/staff-access.ts';
import { listWorkItems, resolveWorkItem } from '../../sync/work-items.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { body, json } from './openapi-helpers.ts';
import { ErrorSchema } from './schemas.ts';
import { OfficeIdParam } from './staff-schemas.ts';
import { validationHook } from './validation.ts';

// Klärfälle (#6) for team leads: what a branch did during Notbetrieb that the central state did not
// allow. Mounted at /api/v1 next to the public routes, so authentication is per route.

const errors = {
  400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
  401: json(ErrorSchema, 'No or invalid credentials'),
  403: json(ErrorSchema, 'Role too low (Klärfälle are for team leads and admins)'),
  404: json(
    ErrorSchema,
    "Unknown work item, or an office outside the caller's offices; office_not_found for an office that does not exist",
  ),
  422: json(ErrorSchema, 'Invalid values'),
};

export const WorkItemSchema = z
  .object({
    id: z.uuid(),
    officeId: z.string(),
    branchId: z.string().nullable(),
    kind: z.string().openapi({
      example: 'lease_exceeded',
      description:
        'Why the central state did not allow it: a domain error code, lease_exceeded, or actor_refused (recorded in the name of someone the branch may not act for; not applied)',
    }),
    message: z.string().openapi({
      example:
        'Termin ABC-123 für 10:20 an Spontankunden vergeben am Standort um 10:15 (Notbetrieb), über das Kontingent der Zweigstelle hinaus; …',
    }),
    opId: z.uuid().nullable(),
    branchAction: z.string().nullable().openapi({ description: 'What happened at the branch (German)' }),
    branchAt: z.string().nullable().openapi({ description: 'When it happened at the branch (ISO instant)' }),
    branchCutOff: z.boolean().nullable().openapi({
      description: 'Whether the branch was cut off from the central server then (Notbetrieb); null: not recorded (an older branch)',
    }),
    centralVerdict: z.string().nullable().openapi({ description: 'Why the central state did not allow it' }),
    createdAt: z.string().openapi({ description: 'When the central server applied it and opened the work item' }),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedByName: z.string().nullable(),
    resolutionNote: z.string().nullable(),
  })
  .openapi('WorkItem');

const ItemParams = OfficeIdParam.extend({ itemId: z.uuid().openapi({ param: { name: 'itemId', in: 'path' } }) });

export function workItemApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  const auth = staffApiAuth(ctx);
  const security = [{ bearer: [] }];

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/work-items',
      tags: ['sync'],
      security,
      middleware: [auth, requireRole('teamlead')] as const,
      summary:
        'Klärfälle of the office: facts from a branch that did not fit the central state. Open ones, oldest first; all=true adds those resolved in the last 30 days.',
      request: { params: OfficeIdParam, query: z.object({ all: z.enum(['true', 'false']).optional() }) },
      responses: { 200: json(z.object({ items: z.array(WorkItemSchema) }).openapi('WorkItems'), 'The work items'), ...errors },
    }),
    async (c) => {
      const { officeId } = c.req.valid('param');
      assertOfficeAccess(c.get('principal'), officeId);
      const items = await listWorkItems(ctx.db, { officeId, resolved: c.req.valid('query').all === 'true', now: ctx.now() });
      return c.json({ items }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/offices/{officeId}/work-items/{itemId}/resolve',
      tags: ['sync'],
      security,
      middleware: [auth, requireRole('teamlead')] as const,
      summary: 'Settle a Klärfall with a note saying what was done (audited). A resolved one cannot be resolved again.',
      request: { params: ItemParams, ...body(z.object({ note: z.string().trim().min(1).max(1000) }).openapi('WorkItemResolution')) },
      responses: { 200: json(WorkItemSchema, 'Resolved'), 409: json(ErrorSchema, 'Already resolved'), ...errors },
    }),
    async (c) => {
      const { officeId, itemId } = c.req.valid('param');
      const principal = c.get('principal');
      assertOfficeAccess(principal, officeId);
      const item = await resolveWorkItem(ctx, { officeId, itemId, note: c.req.valid('json').note, actor: actorOf(principal) });
      return c.json(item, 200);
    },
  );

  return api;
}
