import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  applySetup,
  currentSetupRevision,
  previewSetupChange,
  publicAffected,
  SetupInvalidError,
  SetupShortfallError,
  type SetupRevision,
} from '../../app/setup/apply-town-file.ts';
import { exportSetup } from '../../app/setup/export-town-file.ts';
import { townOfRequest } from '../../app/setup/setup-store.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessTown } from '../../domain/staff-access.ts';
import { requestLanguage } from '../language.ts';
import { requireRole, staffApiAuth, type StaffEnv } from '../staff/auth.ts';
import { errorResponse } from './errors.ts';
import { json } from './openapi-helpers.ts';
import { ErrorSchema } from './schemas.ts';
import { validationHook } from './validation.ts';

// The town file over HTTP for admins (#21, decision 0011): the same document as JSON, read through
// the same reader and applied by the same use case as `schalter setup apply`. The ETag is the
// applied revision, so a form saved after someone else's change gets 412 instead of undoing it.

const errors = {
  400: json(ErrorSchema, 'Malformed request (the body is not valid JSON)'),
  401: json(ErrorSchema, 'No or invalid credentials'),
  403: json(ErrorSchema, 'Role too low (the set-up is for admins)'),
  422: json(
    ErrorSchema,
    'The document is not a valid town file (or not the town of ?municipality=): error.details is [{path, message, line, column}], every problem at once, message in the request language. municipality_required: several towns are set up and ?municipality= is missing',
  ),
};

const TownDocument = z.record(z.string(), z.unknown()).openapi('TownDocument', {
  description:
    'The town file of one town as JSON, in the shape `schalter setup schema` prints (municipality, services, offices with counters, hours, exceptions and rules). No image travels: `municipality.logo` is the file name only. A document that keeps the stored name keeps the stored logo; one without `logo` removes it; a new name is refused (422 at `municipality.logo`): a new logo file is read by `schalter setup apply FILE` next to the town file. A Kreis file (`municipalities:`) is applied with `schalter setup apply`, not here: the API works on one town at a time, and its `municipality.id` must be the town of `?municipality=`.',
});

// Several towns on one installation (#20, decision 0014): every route works on one town.
const MunicipalityQuery = z.object({
  municipality: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional()
    .openapi({
      description:
        'The town (municipality id) whose set-up is read or changed. Required when several towns are set up (422 municipality_required without it); a one-town installation may leave it out.',
      example: 'castrop',
    }),
});

const Change = z
  .object({
    action: z.string().openapi({ example: 'changed', description: 'created, changed or removed' }),
    subject: z.string().openapi({ example: 'hours', description: 'municipality, service, office, counter, hours, exception, rules, …' }),
    officeId: z.string().nullable(),
    id: z.string(),
    de: z.string().openapi({ example: 'Öffnungszeiten Mo–Fr 08:00–12:30: 2 statt 3 Terminschalter' }),
    en: z.string(),
  })
  .openapi('SetupChange');

const Affected = z
  .object({
    id: z.string().openapi({ description: 'The id the booking returned' }),
    reference: z.string(),
    officeId: z.string(),
    start: z.string().openapi({ description: 'ISO instant' }),
  })
  .openapi('SetupAffectedAppointment');

const Preview = z.object({ changes: z.array(Change), affectedAppointments: z.array(Affected) }).openapi('SetupPreview');

const Applied = Preview.extend({
  applied: z.boolean().openapi({ description: 'false: the document equals the current set-up („keine Änderungen“)' }),
  revision: z.number().int().nullable(),
  closureIds: z.array(z.string()).openapi({ description: 'Closures that cancelled the affected appointments (closeAffectedReason)' }),
}).openapi('SetupApplied');

const etagOf = (revision: SetupRevision | null) => `"r${revision?.revision ?? 0}-${(revision?.sha256 ?? 'none').slice(0, 16)}"`;

/** The revision an If-Match names: undefined without the header (or `*`), null for "nothing applied yet", -1 unreadable. */
function expectedRevision(header: string | undefined): number | null | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"r(\d{1,9})-[0-9a-z]*"$/.exec(header.trim());
  if (!match) return -1;
  const revision = Number(match[1]);
  return revision === 0 ? null : revision;
}

function problemsResponse(c: Context, error: SetupInvalidError) {
  const de = requestLanguage(c) === 'de';
  const details = error.problems.map((p) => ({ path: p.path, message: de ? p.de : p.en, line: p.line, column: p.column }));
  return errorResponse(c, 'validation_failed', details);
}

/**
 * The town a request works on (?municipality=, or the only one): a town admin only its own — another
 * town's set-up answers like a town that does not exist (issue #20); a Kreis admin any.
 */
async function townOfPrincipal(ctx: AppContext, c: Context<StaffEnv>, municipality: string | undefined): Promise<string | undefined> {
  const town = await townOfRequest(ctx.db, municipality);
  if (town !== undefined && !canAccessTown(c.get('principal'), town)) throw new DomainError('not_found', 'No such town');
  return town;
}

export function adminSetupApiRoutes(ctx: AppContext) {
  const api = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
  const auth = staffApiAuth(ctx);
  const security = [{ bearer: [] }];
  const townOf = (c: Context<StaffEnv>, municipality: string | undefined) => townOfPrincipal(ctx, c, municipality);

  const handled = async (c: Context, work: () => Promise<Response>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SetupInvalidError) return problemsResponse(c, error);
      if (error instanceof SetupShortfallError)
        return errorResponse(c, 'setup_shortfall', {
          changes: error.changes,
          affectedAppointments: error.affectedAppointments.map(publicAffected),
        });
      throw error;
    }
  };

  api.openapi(
    createRoute({
      method: 'get',
      path: '/admin/setup',
      tags: ['admin'],
      security,
      middleware: [auth, requireRole('admin')] as const,
      summary:
        'The current set-up of one town as JSON in the shape of the town file; the ETag changes with every change applied to that town',
      request: { query: MunicipalityQuery },
      responses: {
        200: { ...json(TownDocument, 'The set-up'), headers: z.object({ ETag: z.string() }) },
        404: json(ErrorSchema, 'No town is set up yet, or not the one named'),
        ...errors,
      },
    }),
    async (c) => {
      const town = await townOf(c, c.req.valid('query').municipality);
      const [doc, revision] = await Promise.all([exportSetup(ctx, town), currentSetupRevision(ctx, town)]);
      c.header('ETag', etagOf(revision));
      c.header('Cache-Control', 'no-store');
      return c.json(doc as Record<string, unknown>, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/admin/setup/preview',
      tags: ['admin'],
      security,
      middleware: [auth, requireRole('admin')] as const,
      summary:
        'What applying this document would change, and the booked appointments that would lose their seats (by id, as the booking returned it); changes nothing',
      request: { body: { content: { 'application/json': { schema: TownDocument } }, required: true }, query: MunicipalityQuery },
      responses: { 200: json(Preview, 'The changes and the affected appointments'), ...errors },
    }),
    (c) =>
      handled(c, async () => {
        const town = await townOf(c, c.req.valid('query').municipality);
        const preview = await previewSetupChange(ctx, c.req.valid('json'), { municipalityId: town });
        return c.json({ changes: preview.changes, affectedAppointments: preview.affectedAppointments.map(publicAffected) }, 200);
      }) as never,
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/admin/setup',
      tags: ['admin'],
      security,
      middleware: [auth, requireRole('admin')] as const,
      summary:
        'Apply the set-up of one town (?municipality=, required when several towns are set up) in one transaction; other towns are not touched. If-Match with the ETag of GET: 412 setup_changed when someone else applied a change meanwhile (without If-Match: applied unconditionally, like the CLI). 409 setup_shortfall lists the booked appointments the new plan has no room for, unless closeAffectedReason hands them to the closure flow (cancelled, told, a replacement held).',
      request: {
        body: { content: { 'application/json': { schema: TownDocument } }, required: true },
        query: MunicipalityQuery.extend({
          closeAffectedReason: z.string().trim().min(1).max(200).optional().openapi({
            description: 'Cancel the appointments without room through the closure flow, with this reason („Umbau Rathaus“)',
          }),
        }),
        headers: z.object({ 'if-match': z.string().optional() }),
      },
      responses: {
        200: { ...json(Applied, 'Applied, or nothing to change'), headers: z.object({ ETag: z.string() }) },
        409: json(ErrorSchema, 'setup_shortfall: error.details.affectedAppointments'),
        412: json(ErrorSchema, 'setup_changed: the set-up was changed since the ETag was read'),
        ...errors,
      },
    }),
    (c) =>
      handled(c, async () => {
        const expected = expectedRevision(c.req.header('if-match'));
        if (expected === -1) return errorResponse(c, 'setup_changed', { reason: 'If-Match is not an ETag of this set-up' });
        const { closeAffectedReason: reason, municipality } = c.req.valid('query');
        const town = await townOf(c, municipality);
        const result = await applySetup(ctx, c.req.valid('json'), {
          actor: actorOf(c.get('principal')),
          municipalityId: town,
          ...(expected === undefined ? {} : { expectedRevision: expected }),
          ...(reason ? { closeAffected: { reason } } : {}),
        });
        c.header('ETag', etagOf(result.revision));
        return c.json(
          {
            applied: result.applied,
            revision: result.revision?.revision ?? null,
            changes: result.changes,
            affectedAppointments: result.affectedAppointments.map(publicAffected),
            closureIds: result.closureIds,
          },
          200,
        );
      }) as never,
  );

  return api;
}
