import type { Reachability } from '../../domain/closure.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, canAccessOffice, hasRole, type Principal } from '../../domain/staff-access.ts';
import { cachedSchedules } from '../shared/catalogue.ts';
import type { AppContext } from '../shared/context.ts';
import { startClosureJob } from './closure-runner.ts';
import { findRecentDuplicate } from './list-closures.ts';
import { openClosure, previewClosure, type ClosureRequest } from './open-closure.ts';

// Closing several offices in one step from the staff pages (#20): what `schalter close --office a,b |
// --municipality … | --all` does from a terminal, for the Kreis when its data centre fails and every
// town is hit at once. The same use cases as the CLI: every office's capacity goes first
// (openClosure), only then are the people told (the closure jobs). Only offices the principal
// may reach: a Kreis admin all of them, a town's admin that town's — a form naming another town's
// office is refused as a whole, before anything is closed.

type Log = (message: string, error?: unknown) => void;

export type ClosableOffice = { id: string; name: string; timeZone: string };
export type ClosableTown = { id: string; name: string; offices: ClosableOffice[] };
export type SeveralRequest = Omit<ClosureRequest, 'actor'>;

/** The offices (not retired) the principal may close, grouped by town; towns and offices by name. */
export async function closableOffices(ctx: AppContext, principal: Principal): Promise<ClosableTown[]> {
  const offices = (await cachedSchedules(ctx))
    .map((s) => s.office)
    .filter((o) => o.retired_at === null && canAccessOffice(principal, o.id));
  const towns = await ctx.db.selectFrom('municipality').select(['id', 'name']).execute();
  const nameOf = new Map(towns.map((t) => [t.id, t.name]));
  const byTown = new Map<string, ClosableOffice[]>();
  for (const o of offices) {
    const list = byTown.get(o.municipality_id) ?? byTown.set(o.municipality_id, []).get(o.municipality_id)!;
    list.push({ id: o.id, name: o.name, timeZone: o.time_zone });
  }
  return [...byTown]
    .map(([id, list]) => ({ id, name: nameOf.get(id) ?? id, offices: list.sort((a, b) => a.name.localeCompare(b.name, 'de')) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

/**
 * The offices a choice names — single offices, whole towns, or all — out of those the principal may
 * close. An id outside them (another town's office, typed into a forged form) is refused: forbidden.
 */
export function chosenOffices(
  towns: readonly ClosableTown[],
  choice: { officeIds: readonly string[]; townIds: readonly string[]; all: boolean },
): ClosableOffice[] {
  const reachable = towns.flatMap((t) => t.offices);
  const foreign = [
    ...choice.officeIds.filter((id) => !reachable.some((o) => o.id === id)),
    ...choice.townIds.filter((id) => !towns.some((t) => t.id === id)),
  ];
  if (foreign.length > 0) throw new DomainError('forbidden', `Not yours to close: ${foreign.join(', ')}`);
  return reachable.filter(
    (o) => choice.all || choice.officeIds.includes(o.id) || towns.some((t) => choice.townIds.includes(t.id) && t.offices.includes(o)),
  );
}

function assertMayClose(principal: Principal, officeIds: readonly string[]): void {
  if (!hasRole(principal, 'teamlead')) throw new DomainError('forbidden', 'Closures are for team leads', { requiredRole: 'teamlead' });
  const foreign = officeIds.filter((id) => !canAccessOffice(principal, id));
  if (foreign.length > 0) throw new DomainError('forbidden', `Not yours to close: ${foreign.join(', ')}`);
}

/** Who each closure would affect; changes nothing. */
export async function previewSeveralClosures(
  ctx: AppContext,
  principal: Principal,
  requests: readonly SeveralRequest[],
): Promise<{ officeId: string; reach: Reachability }[]> {
  assertMayClose(
    principal,
    requests.map((r) => r.officeId),
  );
  const out = [];
  for (const request of requests) out.push({ officeId: request.officeId, reach: await previewClosure(ctx, request) });
  return out;
}

/**
 * Closes every office of the list: all of them stop taking bookings first, then each office's job
 * tells its people. A second click within two minutes finds the closures already made. Returns the
 * closure ids in the order of the requests.
 */
export async function closeSeveralOffices(
  ctx: AppContext,
  principal: Principal,
  requests: readonly SeveralRequest[],
  log: Log = () => {},
): Promise<string[]> {
  assertMayClose(
    principal,
    requests.map((r) => r.officeId),
  );
  const actor = actorOf(principal);
  const ids: string[] = [];
  const opened: string[] = [];
  for (const request of requests) {
    const duplicate = await findRecentDuplicate(ctx, { ...request, actor });
    if (duplicate) {
      ids.push(duplicate);
      continue;
    }
    const o = await openClosure(ctx, { ...request, actor });
    ids.push(o.closure.id);
    opened.push(o.closure.id);
  }
  for (const id of opened) void startClosureJob(ctx, id, log);
  return ids;
}

export type SeveralSummary = {
  towns: {
    id: string;
    name: string;
    offices: { officeId: string; name: string; closureId: string; affected: number }[];
    affected: number;
  }[];
  affected: number;
};

/** Per town, how many appointments each closure took in (counts only, no one's name). Another office's closure is not_found. */
export async function summariseSeveralClosures(
  ctx: AppContext,
  principal: Principal,
  closureIds: readonly string[],
): Promise<SeveralSummary> {
  const ids = closureIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0 || ids.length !== closureIds.length) throw new DomainError('not_found', 'No such closure');
  const rows = await ctx.db
    .selectFrom('closure as c')
    .innerJoin('office as o', 'o.id', 'c.office_id')
    .innerJoin('municipality as m', 'm.id', 'o.municipality_id')
    .leftJoin('closure_item as ci', 'ci.closure_id', 'c.id')
    .select(['c.id', 'c.office_id', 'o.name as office_name', 'm.id as town_id', 'm.name as town_name'])
    .select((eb) => eb.fn.count<string>('ci.appointment_id').as('affected'))
    .where('c.id', 'in', ids)
    .groupBy(['c.id', 'c.office_id', 'o.name', 'm.id', 'm.name'])
    .execute();
  if (rows.length !== new Set(ids).size || rows.some((r) => !canAccessOffice(principal, r.office_id)))
    throw new DomainError('not_found', 'No such closure');
  const towns = new Map<string, SeveralSummary['towns'][number]>();
  for (const r of rows) {
    const town =
      towns.get(r.town_id) ?? towns.set(r.town_id, { id: r.town_id, name: r.town_name, offices: [], affected: 0 }).get(r.town_id)!;
    town.offices.push({ officeId: r.office_id, name: r.office_name, closureId: r.id, affected: Number(r.affected) });
    town.affected += Number(r.affected);
  }
  const list = [...towns.values()].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  for (const t of list) t.offices.sort((a, b) => a.name.localeCompare(b.name, 'de'));
  return { towns: list, affected: list.reduce((s, t) => s + t.affected, 0) };
}
