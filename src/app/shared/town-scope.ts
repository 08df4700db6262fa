// A citizen request belongs to one town of the Kreis (#20, kreis-design.md decision 4): its site
// lists that town's offices and services only, and an "any office" search stays inside the town
// unless the town names neighbours. A one-town installation has no scope (null): everything in the
// installation is the town's, exactly as before the Kreis — offices from before the town file
// (municipality_id NULL) included.
import { DomainError } from '../../domain/errors.ts';
import type { Office, Service } from '../../db/schema.ts';
import { catalogue, type OfficeSchedule } from './catalogue.ts';
import type { CacheContext } from './context.ts';

export type TownScope = { townId: string; neighbours: readonly string[] } | null;

export type TownCatalogue = {
  /** The town's offices, also retired ones (their appointments still name them). */
  offices: Office[];
  /** The town's services, also retired ones; lists leave those out with isOffered. */
  services: Service[];
  /** The town's own offices' plans: what its site shows by name. */
  schedules: OfficeSchedule[];
  /** Where an "any office" search looks: the town's offices and its neighbours'. */
  searchSchedules: OfficeSchedule[];
};

const inTown = (scope: TownScope, municipalityId: string | null) => scope === null || municipalityId === scope.townId;
const inReach = (scope: TownScope, municipalityId: string | null) =>
  scope === null || municipalityId === scope.townId || (municipalityId !== null && scope.neighbours.includes(municipalityId));

/** The catalogue as one town's site sees it (a filter of the shared snapshot, no query of its own). */
export async function townCatalogue(ctx: CacheContext, scope: TownScope): Promise<TownCatalogue> {
  const snapshot = await catalogue(ctx);
  if (scope === null) return { ...snapshot, searchSchedules: snapshot.schedules };
  return {
    offices: snapshot.offices.filter((o) => inTown(scope, o.municipality_id)),
    services: snapshot.services.filter((s) => inTown(scope, s.municipality_id)),
    schedules: snapshot.schedules.filter((s) => inTown(scope, s.office.municipality_id)),
    searchSchedules: snapshot.schedules.filter((s) => inReach(scope, s.office.municipality_id)),
  };
}

/**
 * The office ids a town's citizens may book at: its own and its neighbours'. Undefined for a
 * one-town installation (no limit), so callers pass it straight on to the search.
 */
export async function bookableOfficeIds(ctx: CacheContext, scope: TownScope): Promise<string[] | undefined> {
  if (scope === null) return undefined;
  return (await townCatalogue(ctx, scope)).searchSchedules.map((s) => s.office.id);
}

/**
 * Refuses an office of another town, as an unknown office: a booking on town A's site must not reach
 * town B's office (ids are unique in the installation, so the id alone would find it).
 */
export async function requireOfficeInReach(ctx: CacheContext, scope: TownScope, officeId: string): Promise<void> {
  const ids = await bookableOfficeIds(ctx, scope);
  if (ids && !ids.includes(officeId)) throw new DomainError('office_not_found', 'Unknown office', { officeId });
}

/**
 * The town of each office, from the cached catalogue (an office never changes its town: a town file
 * refuses another town's office ids). Rows of the hot-path tables carry it (decision 0014: the
 * distribution column), written by the application with every insert. An office the snapshot does
 * not know yet (made seconds ago) is read from the table; an unknown office is not in the answer.
 */
export async function townsOfOffices(ctx: CacheContext, officeIds: readonly string[]): Promise<Map<string, string>> {
  const { offices } = await catalogue(ctx);
  const towns = new Map(offices.filter((o) => officeIds.includes(o.id)).map((o) => [o.id, o.municipality_id]));
  const missing = [...new Set(officeIds)].filter((id) => !towns.has(id));
  if (missing.length > 0) {
    const rows = await ctx.db.selectFrom('office').select(['id', 'municipality_id']).where('id', 'in', missing).execute();
    for (const r of rows) towns.set(r.id, r.municipality_id);
  }
  return towns;
}
