import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { FEED_ENTITIES, parseCursor, readChangeFeed } from '../../sync/change-feed.ts';
import { applyJournalEntries, JournalGapError, resolveBranchToken, type EnrolledBranch } from '../../sync/central-apply.ts';
import { JournalEntrySchema, type JournalEntry } from '../../sync/journal-entry.ts';
import { errorResponse } from './errors.ts';
import { ErrorSchema } from './schemas.ts';
import { validationHook } from './validation.ts';
import { json } from './openapi-helpers.ts';

// Central endpoints a branch node talks to (docs/decisions/0006-branch-journal.md). Authenticated by
// the branch's enrollment token; a branch sees its own branch id and office only.

type SyncEnv = { Variables: { branch: EnrolledBranch } };

const BranchParam = z.object({
  branchId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'branchId', in: 'path' } }),
});
const OfficeParam = z.object({
  officeId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'officeId', in: 'path' } }),
});
const FeedPageSchema = z
  .object({
    records: z.array(z.object({ entity: z.enum(FEED_ENTITIES), key: z.string(), data: z.record(z.string(), z.unknown()).nullable() })),
    next: z.string(),
    hasMore: z.boolean(),
  })
  .openapi('ChangeFeedPage');
const UploadSchema = z.object({ entries: z.array(JournalEntrySchema).max(1000) });
const OutcomeSchema = z.object({
  opId: z.string(),
  seq: z.number().int(),
  status: z.enum(['applied', 'duplicate', 'conflict']),
  workItemId: z.string().nullable().optional(),
  code: z.string().optional(),
});
const UploadAnswerSchema = z.object({ highWater: z.number().int(), results: z.array(OutcomeSchema) }).openapi('JournalUploadAnswer');

function branchAuth(ctx: AppContext): MiddlewareHandler<SyncEnv> {
  return async (c, next) => {
    const [scheme, token] = (c.req.header('authorization') ?? '').split(' ');
    const branch = scheme?.toLowerCase() === 'bearer' && token ? await resolveBranchToken(ctx, token) : null;
    if (!branch) {
      c.header('WWW-Authenticate', 'Bearer realm="schalter-branch"');
      return errorResponse(c, 'unauthenticated');
    }
    if (c.req.param('branchId') !== undefined && c.req.param('branchId') !== branch.id) return errorResponse(c, 'not_found');
    if (c.req.param('officeId') !== undefined && c.req.param('officeId') !== branch.officeId) return errorResponse(c, 'not_found');
    c.set('branch', branch);
    return next();
  };
}

export function syncApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<SyncEnv>({ defaultHook: validationHook });
  api.use('/branches/:branchId/*', branchAuth(ctx));
  api.use('/offices/:officeId/*', branchAuth(ctx));

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices/{officeId}/changes',
      tags: ['sync'],
      security: [{ bearer: [] }],
      summary: "Change feed of the branch's office: an image page by page after since=0, then the changes after the cursor",
      request: { params: OfficeParam, query: z.object({ since: z.string().max(64).default('0') }) },
      responses: {
        200: json(FeedPageSchema, 'Whole rows (or null: gone or out of scope) and the cursor to send next'),
        401: json(ErrorSchema, 'No or invalid branch token'),
        404: json(ErrorSchema, "Not the branch's office"),
        422: json(ErrorSchema, 'Invalid cursor'),
      },
    }),
    async (c) => {
      const { since } = c.req.valid('query');
      try {
        parseCursor(since);
      } catch {
        return errorResponse(c, 'validation_failed', { fields: [{ path: 'since', message: 'invalid cursor' }] }) as never;
      }
      return c.json(await readChangeFeed(ctx.db, { officeId: c.get('branch').officeId, since, now: ctx.now() }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/branches/{branchId}/journal',
      tags: ['sync'],
      security: [{ bearer: [] }],
      summary: 'Upload journal entries of a branch node (in order; repeats are answered with the stored outcome)',
      request: { params: BranchParam, body: { content: { 'application/json': { schema: UploadSchema } }, required: true } },
      responses: {
        200: json(UploadAnswerSchema, 'Applied (or already applied) entries and the high-water mark'),
        401: json(ErrorSchema, 'No or invalid branch token'),
        404: json(ErrorSchema, 'Another branch'),
        409: json(ErrorSchema, 'journal_gap: the first entry does not follow the high-water mark (details.highWater)'),
        422: json(ErrorSchema, 'Invalid entries'),
      },
    }),
    async (c) => {
      const { entries } = c.req.valid('json');
      try {
        const answer = await applyJournalEntries(ctx, c.get('branch'), entries as JournalEntry[]);
        return c.json(answer, 200);
      } catch (error) {
        if (error instanceof JournalGapError)
          return errorResponse(c, 'journal_gap', { highWater: error.highWater, seq: error.seq }) as never;
        throw error;
      }
    },
  );
  return api;
}
