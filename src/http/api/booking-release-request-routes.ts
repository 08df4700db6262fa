import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { releaseRequestStatus, type ReleaseRequestReceipt } from '../../app/booking/fair-release.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { ErrorSchema } from './schemas.ts';

// The fair release window's side of the public API (docs/scaling.md): POST /appointments answers 202
// with a receipt while a window is open, and the citizen asks here what the lottery decided.

export const ReleaseRequestReceiptSchema = z
  .object({
    token: z.string().nullable().openapi({
      description:
        'Secret for GET /release-requests/{token}; null when this request collapsed into your earlier entry for the same office and release',
    }),
    duplicate: z.boolean(),
    state: z.literal('pending'),
    officeId: z.string(),
    start: z.iso.datetime(),
    decidesAt: z.iso
      .datetime()
      .openapi({ description: 'When the window closes; the lottery decides right after and the outcome is emailed' }),
  })
  .openapi('ReleaseRequestReceipt');

const ReleaseRequestStatusSchema = z
  .object({
    state: z.enum(['pending', 'booked', 'unavailable']),
    officeId: z.string(),
    start: z.iso.datetime(),
    decidesAt: z.iso.datetime(),
    outcome: z.string().nullable().openapi({ description: 'Why nothing was booked: slot_unavailable, contact_limit_reached, …' }),
    appointment: z.object({ reference: z.string(), start: z.iso.datetime(), status: z.string() }).nullable(),
  })
  .openapi('ReleaseRequestStatus');

const TokenParam = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .openapi({ param: { name: 'token', in: 'path' }, description: 'The token from the 202 answer of POST /appointments' }),
});

export function receiptBody(receipt: ReleaseRequestReceipt) {
  const { token, duplicate, state, officeId } = receipt;
  return {
    releaseRequest: {
      token,
      duplicate,
      state,
      officeId,
      start: new Date(receipt.start).toISOString(),
      decidesAt: new Date(receipt.decidesAt).toISOString(),
    },
  };
}

export function registerReleaseRequestRoutes(api: OpenAPIHono, ctx: AppContext) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/release-requests/{token}',
      tags: ['public'],
      summary: 'What the release lottery decided for a request (fair release window)',
      request: { params: TokenParam },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ releaseRequest: ReleaseRequestStatusSchema }) } },
          description: 'pending until the window closes, then booked (see the confirmation email) or unavailable',
        },
        404: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Unknown token' },
        422: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Not a token (validation_failed)' },
      },
    }),
    async (c) => {
      const s = await releaseRequestStatus(ctx, c.req.valid('param').token);
      const iso = (ms: number) => new Date(ms).toISOString();
      const appointment = s.appointment ? { ...s.appointment, start: iso(s.appointment.start) } : null;
      return c.json(
        {
          releaseRequest: {
            state: s.state,
            officeId: s.officeId,
            start: iso(s.start),
            decidesAt: iso(s.decidesAt),
            outcome: s.outcome,
            appointment,
          },
        },
        200,
      );
    },
  );
}
