// `schalter setup apply` and PUT /api/v1/admin/setup (#21, decision 0011): a town set-up applied
// in one transaction, and never at a booked citizen's silent expense. Each function is one use case
// returning a value; the CLI and (later) the HTTP endpoints only render it.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { layOutSetupPlan } from '../../db/capacity-units.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { chooseNoticeChannel } from '../../domain/closure.ts';
import { closureNoticesChanged } from '../closures/closure-notices.ts';
import { cancelForClosure, runClosure } from '../closures/run-closure.ts';
import { audit } from '../shared/audit.ts';
import { newEntityId } from '../shared/ids.ts';
import { closureSettings } from '../shared/settings.ts';
import { invalidateCatalogue } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { planSetupChange, setupSha256, type AffectedAppointment, type SetupPlan } from './plan-setup-change.ts';
import type { SetupChange } from './setup-diff.ts';
import { readSetupRows, setUpTowns, writeSetupRows } from './setup-store.ts';
import { checkSetupFile, checkTownFile, placeOf, type SetupFile, type TownFileProblem } from './town-file.ts';
import { closest, KREIS_TEXTS } from './town-file-messages.ts';
import { LOGO_PATH } from './town-logo.ts';
import type { TownFile } from './town-file-schema.ts';
import { canonicalJson, type TownRows } from './town-rows.ts';

/** The town file has problems; each with its path (and, for text, line and column). */
export class SetupInvalidError extends DomainError {
  constructor(readonly problems: TownFileProblem[]) {
    super('validation_failed', 'The town file is not valid', { details: problems.map((p) => ({ path: p.path, message: p.en })), problems });
    this.name = 'SetupInvalidError';
  }
}

/** The new plan leaves fewer seats than are booked; these appointments would lose theirs. */
export class SetupShortfallError extends DomainError {
  constructor(
    readonly changes: SetupChange[],
    readonly affectedAppointments: AffectedAppointment[],
  ) {
    super('setup_shortfall', `The new set-up has no room for ${affectedAppointments.length} booked appointment(s)`, {
      affectedAppointments: affectedAppointments.map(publicAffected),
    });
    this.name = 'SetupShortfallError';
  }
}

export type SetupRevision = { revision: number; sha256: string; appliedAt: number; appliedBy: string };

/** What one town's part of a file changes (#20: a Kreis file names several towns, each applied on its own rows). */
export type TownPreview = {
  municipalityId: string;
  changes: SetupChange[];
  affectedAppointments: AffectedAppointment[];
  sha256: string;
};

/** For a one-town file the town's own; for a Kreis file every town's changes and appointments together, and `towns` one by one. */
export type SetupPreview = Omit<TownPreview, 'municipalityId'> & { towns: TownPreview[] };

export type TownApplied = TownPreview & {
  /** false: nothing to change in this town (the same set-up again). */
  applied: boolean;
  /** The town's latest revision after the apply (each town applied gets one of its own). */
  revision: SetupRevision | null;
};

export type SetupApplied = Omit<SetupPreview, 'towns'> & {
  /** false: nothing to change (the same set-up again). */
  applied: boolean;
  /** One-town file: the town's revision; Kreis file: the last one written. */
  revision: SetupRevision | null;
  /** Closures that cancelled the affected appointments (closeAffected); their jobs tell everyone and hold replacements. */
  closureIds: string[];
  towns: TownApplied[];
};

export type LogoOption = {
  /**
   * The bytes of the file `municipality.logo` names, read next to the town file (CLI, demo). Without
   * them (the JSON API) the stored image stays while the name stays; a new name is refused.
   */
  logo?: Uint8Array | undefined;
  /** The same for a Kreis file: per municipality id. */
  logos?: Readonly<Record<string, Uint8Array>> | undefined;
  /**
   * The town the caller works on (`?municipality=ID`, a page of that town's office): the document
   * must then be that town's one-town document, else it is refused as invalid.
   */
  municipalityId?: string | undefined;
};

export type ApplyOptions = LogoOption & {
  /**
   * The revision the caller read (If-Match): refused with setup_changed when another was applied
   * since — of that town for a one-town document, of any town for a Kreis file.
   */
  expectedRevision?: number | null;
  /** Cancel the appointments the new plan has no room for, through the closure flow, with this reason. */
  closeAffected?: { reason: string };
  /** 'cli', 'staff:<id>', 'token:<id>'. */
  actor: string;
};

/** The document: YAML text, or the parsed document (JSON of the same shape). Read through the one reader. */
function readSetupDocument(doc: string | unknown, municipalityId?: string): SetupFile {
  if (municipalityId !== undefined) {
    const town = readTownDocument(doc);
    if (town.municipality.id !== municipalityId) {
      const place = typeof doc === 'string' ? placeOf(doc, 'municipality.id') : { line: null, column: null };
      throw new SetupInvalidError([{ path: 'municipality.id', ...place, ...KREIS_TEXTS.otherTown(town.municipality.id, municipalityId) }]);
    }
    return { kind: 'town', towns: [town] };
  }
  const { file, problems } = checkSetupFile(typeof doc === 'string' ? doc : JSON.stringify(doc ?? null));
  if (!file) throw new SetupInvalidError(problems);
  return file;
}

/** A one-town document (the admin pages' edits); a Kreis file is a problem here. */
export function readTownDocument(doc: string | unknown): TownFile {
  const { town, problems } = checkTownFile(typeof doc === 'string' ? doc : JSON.stringify(doc ?? null));
  if (!town) throw new SetupInvalidError(problems);
  return town;
}

/** The public shape of an affected appointment (preview and refusal): `{id, reference, officeId, start}`. */
export function publicAffected(a: AffectedAppointment): { id: string; reference: string; officeId: string; start: string } {
  return { id: a.id, reference: a.reference, officeId: a.officeId, start: new Date(a.start).toISOString() };
}

/** Where town `i`'s keys are in the document: '' in a one-town file, `municipalities[i].` in a Kreis file. */
const prefixOf = (file: SetupFile, i: number) => (file.kind === 'kreis' ? `municipalities[${i}].` : '');

/** Every town's plan, in the order of the file; refused when a logo cannot be taken. */
async function planTowns(ctx: AppContext, file: SetupFile, doc: string | unknown, options: LogoOption): Promise<SetupPlan[]> {
  const plans: SetupPlan[] = [];
  for (const town of file.towns) {
    const logo = options.logos?.[town.municipality.id] ?? (file.kind === 'town' ? options.logo : undefined);
    plans.push(await planSetupChange(ctx, town, logo));
  }
  const problems = plans.flatMap((plan, i) => {
    if (!plan.logoProblem) return [];
    const path = `${prefixOf(file, i)}${LOGO_PATH}`;
    const place = typeof doc === 'string' ? placeOf(doc, path) : { line: null, column: null };
    return [{ path, ...place, ...plan.logoProblem }];
  });
  if (problems.length) throw new SetupInvalidError(problems);
  return plans;
}

const townPreview = (plan: SetupPlan): TownPreview => ({
  municipalityId: plan.next.municipality!.id,
  changes: plan.changes,
  affectedAppointments: plan.affectedAppointments,
  sha256: plan.sha256,
});

/** The towns together: a one-town file is its town; a Kreis file's sha256 covers every town's. */
function together(file: SetupFile, towns: TownPreview[]): Omit<TownPreview, 'municipalityId'> {
  if (file.kind === 'town')
    return { changes: towns[0]!.changes, affectedAppointments: towns[0]!.affectedAppointments, sha256: towns[0]!.sha256 };
  return {
    changes: towns.flatMap((t) => t.changes),
    affectedAppointments: towns
      .flatMap((t) => t.affectedAppointments)
      .sort((a, b) => a.start - b.start || a.officeId.localeCompare(b.officeId) || a.reference.localeCompare(b.reference)),
    sha256: createHash('sha256')
      .update(towns.map((t) => `${t.municipalityId}:${t.sha256}`).join('\n'))
      .digest('hex'),
  };
}

/** What applying would change, and whom it would hurt; changes nothing. */
export async function previewSetupChange(ctx: AppContext, doc: string | unknown, options: LogoOption = {}): Promise<SetupPreview> {
  const file = readSetupDocument(doc, options.municipalityId);
  const towns = (await planTowns(ctx, file, doc, options)).map(townPreview);
  return { ...together(file, towns), towns };
}

/**
 * The last applied set-up: the ETag of GET /api/v1/admin/setup. With a municipality id that town's
 * last revision (#20), without the installation's.
 */
export async function currentSetupRevision(ctx: Pick<AppContext, 'db'>, municipalityId?: string): Promise<SetupRevision | null> {
  let query = ctx.db.selectFrom('setup_revision').selectAll().orderBy('revision', 'desc').limit(1);
  if (municipalityId !== undefined) query = query.where('municipality_id', '=', municipalityId);
  const row = await query.executeTakeFirst();
  return row ? { revision: row.revision, sha256: row.sha256, appliedAt: row.applied_at.getTime(), appliedBy: row.applied_by } : null;
}

const MAX_ATTEMPTS = 4;

/**
 * Applies a set-up in one transaction: for each town of the file (one, or several of a Kreis file)
 * the rows of every table — that town's only, never another's —, the capacity of the new plan over
 * the whole horizon (laid out exactly, so the database refuses any unit below its load), a
 * setup_revision of its own and an audit entry. Towns without a change are left alone. Refuses with
 * SetupShortfallError when a plan has fewer seats than are booked, unless `closeAffected` hands those
 * appointments to the closure flow. Durations and fees apply to new bookings only: appointments keep
 * their units.
 */
export async function applySetup(ctx: AppContext, doc: string | unknown, options: ApplyOptions): Promise<SetupApplied> {
  const file = readSetupDocument(doc, options.municipalityId);
  // A one-town document's If-Match is that town's revision; a Kreis file's the installation's.
  const scope = file.kind === 'town' ? file.towns[0]!.municipality.id : undefined;
  for (let attempt = 1; ; attempt++) {
    await checkRevision(ctx.db, options.expectedRevision, scope);
    const plans = await planTowns(ctx, file, doc, options);
    const previews = plans.map(townPreview);
    const preview = together(file, previews);
    if (plans.every((p) => p.changes.length === 0)) {
      const towns = await Promise.all(
        previews.map(async (t) => ({ ...t, applied: false, revision: await currentSetupRevision(ctx, t.municipalityId) })),
      );
      return { ...preview, applied: false, revision: await currentSetupRevision(ctx, scope), closureIds: [], towns };
    }
    await refuseForeignIds(ctx.db, file, plans);
    await refuseUnknownNeighbours(ctx.db, file);
    if (preview.affectedAppointments.length > 0 && !options.closeAffected)
      throw new SetupShortfallError(preview.changes, preview.affectedAppointments);
    try {
      const outcome = await inTransaction(ctx.db, async (trx) => {
        // One apply at a time; a second waits here and then sees the first's rows.
        await sql`LOCK TABLE setup_revision IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
        await checkRevision(trx, options.expectedRevision, scope);
        const written: { revision: SetupRevision; closureIds: string[] }[] = [];
        for (const plan of plans) {
          if (plan.changes.length === 0) continue;
          const one = await write(ctx, trx, plan, options);
          if (one === 'moved') return 'moved' as const;
          written.push(one);
        }
        return written;
      });
      if (outcome === 'moved') {
        if (attempt >= MAX_ATTEMPTS) throw new DomainError('setup_changed', 'The set-up keeps changing while it is applied');
        continue;
      }
      invalidateCatalogue(ctx.db);
      const closureIds = outcome.flatMap((o) => o.closureIds);
      if (closureIds.length > 0) {
        closureNoticesChanged();
        // Tell and re-offer now; a run cut short (a crash) is resumed like any closure at the next start.
        for (const closureId of closureIds) await runClosure(ctx, closureId);
      }
      const towns = await Promise.all(
        previews.map(async (t) => ({
          ...t,
          applied: t.changes.length > 0,
          revision: await currentSetupRevision(ctx, t.municipalityId),
        })),
      );
      return { ...preview, applied: true, revision: outcome.at(-1)!.revision, closureIds, towns };
    } catch (error) {
      // A booking committed into a unit after the plan was made: plan again, and refuse with the new list.
      if (!isOverbooking(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function write(
  ctx: AppContext,
  trx: Trx,
  plan: SetupPlan,
  options: ApplyOptions,
): Promise<'moved' | { revision: SetupRevision; closureIds: string[] }> {
  const now = ctx.now();
  const municipalityId = plan.next.municipality!.id;
  if (canonicalJson(await readSetupRows(trx, municipalityId)) !== canonicalJson(plan.current)) return 'moved';
  // The municipality row first: the revision refers to it, and the closures to the revision.
  await writeSetupRows(trx, plan.current, plan.next, now, plan.logo);
  const inserted = await trx
    .insertInto('setup_revision')
    .values({ municipality_id: municipalityId, sha256: plan.sha256, applied_at: new Date(now), applied_by: options.actor })
    .returning(['revision', 'sha256', 'applied_at', 'applied_by'])
    .executeTakeFirstOrThrow();
  const revision = { revision: inserted.revision, sha256: inserted.sha256, appliedAt: now, appliedBy: inserted.applied_by };
  // Seats given back before the new plan takes them away: the CHECK refuses any unit below its load.
  const closureIds = options.closeAffected
    ? await cancelAffected(ctx, trx, plan, revision.revision, options.closeAffected.reason, options.actor)
    : [];
  for (const layout of plan.layouts) await layOutSetupPlan(trx, { officeId: layout.officeId, municipalityId }, layout.rows, layout.range);
  await audit(trx, {
    actor: options.actor,
    action: 'setup.apply',
    entity: 'setup_revision',
    entityId: String(revision.revision),
    at: now,
    details: {
      municipalityId,
      ...beforeAndAfter(plan.current, plan.next),
      changes: plan.changes.map((c) => c.en),
      closedAppointments: options.closeAffected ? plan.affectedAppointments.map((a) => a.id) : [],
      reason: options.closeAffected?.reason ?? null,
    },
  });
  return { revision, closureIds };
}

/**
 * Hands the appointments the new plan has no room for to the closure flow: per office one closure
 * (named with the reason, its window from the first to the last of them) with an item for each,
 * and the appointments cancelled here, in the transaction that takes their seats away. The closure
 * job then tells each person once and holds a replacement (app/closures/run-closure.ts).
 * Appointments cancelled or moved by their citizens meanwhile are left out.
 */
async function cancelAffected(
  ctx: AppContext,
  trx: Trx,
  plan: SetupPlan,
  revision: number,
  reason: string,
  actor: string,
): Promise<string[]> {
  if (plan.affectedAppointments.length === 0) return [];
  const now = ctx.now();
  const rows = await trx
    .selectFrom('appointment')
    .selectAll()
    .where(
      'id',
      'in',
      plan.affectedAppointments.map((a) => a.id),
    )
    .where('status', 'in', ['reserved', 'confirmed'])
    .orderBy('id')
    .forUpdate()
    .execute();
  const settings = closureSettings(ctx);
  const closureIds: string[] = [];
  for (const officeId of [...new Set(rows.map((r) => r.office_id))].sort()) {
    const own = rows.filter((r) => r.office_id === officeId);
    const id = newEntityId(ctx);
    closureIds.push(id);
    await trx
      .insertInto('closure')
      .values({
        id,
        office_id: officeId,
        starts_at: new Date(Math.min(...own.map((a) => a.starts_at.getTime()))),
        ends_at: new Date(Math.max(...own.map((a) => a.ends_at.getTime()))),
        counters: null,
        reason,
        notify: true,
        offer_replacements: true,
        hold_hours: settings.holdHours,
        state: 'running',
        created_by: actor,
        created_at: new Date(now),
        setup_revision: revision,
      })
      .execute();
    await trx
      .insertInto('closure_item')
      .values(
        own.map((a) => ({
          closure_id: id,
          appointment_id: a.id,
          state: 'pending' as const,
          channel: chooseNoticeChannel({ email: a.citizen_email, phone: a.citizen_phone, smsEnabled: settings.smsEnabled }),
          original_start: a.starts_at,
        })),
      )
      .execute();
    await cancelForClosure(trx, { id, created_by: actor }, own, now);
    await audit(trx, {
      actor,
      action: 'office.close',
      entity: 'closure',
      entityId: id,
      officeId,
      at: now,
      details: { setupRevision: revision, reason, affected: own.length, appointmentIds: own.map((a) => a.id) },
    });
  }
  return closureIds;
}

/**
 * The audit's before and after: a summary of each set-up, and the rows that differ (those that went
 * or were changed as they were, those that came or were changed as they are now), so a changed fee
 * or duration can be read back from the log without the file.
 */
function beforeAndAfter(current: TownRows, next: TownRows): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const gone: Record<string, unknown[]> = {};
  const came: Record<string, unknown[]> = {};
  for (const key of Object.keys(next) as (keyof TownRows)[]) {
    const rows = (set: TownRows): unknown[] => [set[key] ?? []].flat();
    const was = new Set(rows(current).map(canonicalJson));
    const is = new Set(rows(next).map(canonicalJson));
    const removed = rows(current).filter((r) => !is.has(canonicalJson(r)));
    const added = rows(next).filter((r) => !was.has(canonicalJson(r)));
    if (removed.length) gone[key] = removed;
    if (added.length) came[key] = added;
  }
  return { before: { ...summary(current), rows: gone }, after: { ...summary(next), rows: came } };
}

function summary(rows: TownRows): Record<string, unknown> {
  return {
    municipality: rows.municipality?.id ?? null,
    sha256: rows.municipality ? setupSha256(rows) : null,
    offices: rows.offices.map((o) => o.id),
    services: rows.services.map((s) => s.id),
    counters: rows.counters.length,
    staffingRules: rows.staffingRules.length,
    exceptions: rows.staffingExceptions.length,
  };
}

async function checkRevision(db: Kysely<DB> | Trx, expected: number | null | undefined, municipalityId: string | undefined): Promise<void> {
  if (expected === undefined) return;
  let query = db.selectFrom('setup_revision').select('revision').orderBy('revision', 'desc').limit(1);
  if (municipalityId !== undefined) query = query.where('municipality_id', '=', municipalityId);
  const row = await query.executeTakeFirst();
  const current = row?.revision ?? null;
  if (current !== expected)
    throw new DomainError('setup_changed', 'The set-up was changed since it was read', {
      expectedRevision: expected,
      currentRevision: current,
    });
}

/** Ids are unique per installation (they are in URLs): an office or service of another municipality is not taken over. */
async function refuseForeignIds(db: Kysely<DB>, file: SetupFile, plans: readonly SetupPlan[]): Promise<void> {
  const [offices, services] = await Promise.all([
    db.selectFrom('office').select(['id', 'municipality_id']).execute(),
    db.selectFrom('service').select(['id', 'municipality_id']).execute(),
  ]);
  const problems: TownFileProblem[] = [];
  plans.forEach((plan, t) => {
    const id = plan.next.municipality!.id;
    const at = prefixOf(file, t);
    plan.next.offices.forEach((o, i) => {
      const owner = offices.find((r) => r.id === o.id && r.municipality_id !== id);
      if (owner)
        problems.push({
          path: `${at}offices[${i}].id`,
          line: null,
          column: null,
          de: `Die Kennung „${o.id}“ gehört schon einem Standort der Stadt ${owner.municipality_id}`,
          en: `the id "${o.id}" already belongs to an office of ${owner.municipality_id}`,
        });
    });
    plan.next.services.forEach((s, i) => {
      const owner = services.find((r) => r.id === s.id && r.municipality_id !== id);
      if (owner)
        problems.push({
          path: `${at}services[${i}].id`,
          line: null,
          column: null,
          de: `Die Kennung „${s.id}“ gehört schon einer Dienstleistung der Stadt ${owner.municipality_id}`,
          en: `the id "${s.id}" already belongs to a service of ${owner.municipality_id}`,
        });
    });
  });
  if (problems.length) throw new SetupInvalidError(problems);
}

/**
 * A town's neighbours must be towns of the file or towns already set up here (decision 0014): the
 * pure check knows only the file, so a one-town file may name a town applied earlier.
 */
async function refuseUnknownNeighbours(db: Kysely<DB>, file: SetupFile): Promise<void> {
  const known = [...new Set([...file.towns.map((t) => t.municipality.id), ...(await setUpTowns(db))])];
  const problems: TownFileProblem[] = [];
  file.towns.forEach((town, t) =>
    town.municipality.neighbours.forEach((id, k) => {
      if (known.includes(id)) return;
      problems.push({
        path: `${prefixOf(file, t)}municipality.neighbours[${k}]`,
        line: null,
        column: null,
        ...KREIS_TEXTS.unknownNeighbour(
          id,
          closest(
            id,
            known.filter((k) => k !== town.municipality.id),
          ),
        ),
      });
    }),
  );
  if (problems.length) throw new SetupInvalidError(problems);
}

function isOverbooking(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (
    e.code === '23514' && (e.constraint === 'capacity_unit_not_overbooked' || (e.message ?? '').includes('capacity_unit_not_overbooked'))
  );
}
