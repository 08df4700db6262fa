import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { isKreisAdmin, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';

// The town scope of a principal (issue #20, docs/decisions/0003 "Town scope"), read on every
// authenticated request like the office assignments, so a change counts from the next click. The
// domain rules (canAccessOffice, officeScope, seesPersonalData) then need no database.

type Db = Kysely<DB> | Trx;

/**
 * The town an office belongs to: its municipality, when that is a town of the installation (a branch
 * node mirrors offices without their municipality row; an office of no known town is nobody's town's).
 */
const officeTown = sql<string | null>`(SELECT m.id FROM municipality m WHERE m.id = office.municipality_id)`;

/** Every office of a town, retired ones included (their history is the town's). */
export async function officesOfTown(db: Db, municipalityId: string): Promise<string[]> {
  const rows = await db.selectFrom('office').select('id').where('municipality_id', '=', municipalityId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The town of each named office that exists (null: an office of no town). */
export async function townsOfOffices(db: Db, officeIds: readonly string[]): Promise<Map<string, string | null>> {
  if (officeIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('office')
    .select(['id', officeTown.as('town')])
    .where('id', 'in', [...officeIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.town]));
}

/** The only town of the installation, or null when there is none or there are several. */
export async function onlyTown(db: Db): Promise<string | null> {
  const rows = await db.selectFrom('municipality').select('id').orderBy('id').limit(2).execute();
  return rows.length === 1 ? rows[0]!.id : null;
}

export type ScopeInput = {
  role: StaffRole;
  municipalityId: string | null;
  /** staff_user.personal_data; tokens have no grant. */
  personalDataGranted: boolean;
  /** staff_user_office / api_token_office. */
  assignedOfficeIds: readonly string[];
};

/**
 * What a principal may reach: a town admin every office of the town; a clerk or team lead of a town
 * their assigned offices of that town (an office of another town assigned by a direct SQL change
 * stays out of reach); a Kreis admin every office, personal data only with the grant — or while the
 * installation has no town at all (not set up yet: nothing to keep apart).
 */
export async function principalScope(db: Db, input: ScopeInput): Promise<Pick<Principal, 'officeIds' | 'municipalityId' | 'personalData'>> {
  const town = input.municipalityId;
  if (input.role === 'admin') {
    if (town !== null) return { municipalityId: town, officeIds: await officesOfTown(db, town), personalData: true };
    const anyTown = await db.selectFrom('municipality').select('id').limit(1).executeTakeFirst();
    return { municipalityId: null, officeIds: [], personalData: input.personalDataGranted || anyTown === undefined };
  }
  if (town === null) return { municipalityId: null, officeIds: [...input.assignedOfficeIds], personalData: true };
  const towns = await townsOfOffices(db, input.assignedOfficeIds);
  return { municipalityId: town, officeIds: input.assignedOfficeIds.filter((id) => towns.get(id) === town), personalData: true };
}

export type AccountTownInput = {
  role: StaffRole;
  officeIds: readonly string[];
  /** A town; null: the whole Kreis (admins only); undefined: not said — the offices', or the only town. */
  municipalityId?: string | null | undefined;
  /** Who creates or changes the account on the accounts page; absent for the operator (CLI). */
  manager?: Pick<Principal, 'role' | 'municipalityId'> | null;
};

/**
 * The town a new or changed account (or API token) belongs to, checked against its offices: clerks
 * and team leads work only for offices of their own town; a town admin's accounts are of its town.
 * Throws unknown_municipality, office_of_other_town, account_town_required, forbidden.
 */
export async function accountTown(db: Db, input: AccountTownInput): Promise<string | null> {
  const managerTown = input.manager?.municipalityId ?? null;
  // Someone of a town creates only accounts of that town; not saying it means it.
  if (managerTown !== null && input.municipalityId !== undefined && input.municipalityId !== managerTown)
    throw new DomainError('forbidden', 'Accounts of another town are not yours to manage');
  const wanted = managerTown ?? input.municipalityId;
  if (typeof wanted === 'string') {
    const exists = await db.selectFrom('municipality').select('id').where('id', '=', wanted).executeTakeFirst();
    if (!exists) throw new DomainError('unknown_municipality', `Unknown town: ${wanted}`, { municipalityId: wanted });
  }
  if (input.role === 'admin') {
    if (wanted !== undefined) return wanted;
    // On a single town (or none yet) nothing has to be said; in a Kreis, a Kreis-wide admin is chosen, not defaulted.
    const towns = await db.selectFrom('municipality').select('id').limit(2).execute();
    if (towns.length > 1) throw new DomainError('account_town_required', 'Say the town, or the whole Kreis, of an admin account');
    return towns[0]?.id ?? null;
  }
  const towns = await townsOfOffices(db, input.officeIds);
  const officeTowns = [...new Set(input.officeIds.filter((id) => towns.has(id)).map((id) => towns.get(id) ?? null))];
  if (typeof wanted === 'string') {
    const foreign = input.officeIds.filter((id) => towns.has(id) && towns.get(id) !== wanted);
    if (foreign.length > 0)
      throw new DomainError('office_of_other_town', `Offices of another town: ${foreign.join(', ')}`, {
        officeIds: foreign,
        municipalityId: wanted,
      });
    return wanted;
  }
  // Not said (or the Kreis, which is for admins): the town of the offices, which must be one.
  if (officeTowns.length > 1)
    throw new DomainError('office_of_other_town', 'The offices belong to different towns', { officeIds: [...input.officeIds] });
  return officeTowns[0] ?? null;
}

/**
 * Whether the principal answers for what belongs to no town — audit entries without an office (tokens,
 * failed logins of unknown addresses, CLI work), messages without an office, the operator's metrics: a
 * Kreis admin; on an installation of one town also its admins, who saw all of it before there were towns.
 */
export async function answersForWholeInstallation(db: Db, principal: Pick<Principal, 'role' | 'municipalityId'>): Promise<boolean> {
  if (isKreisAdmin(principal)) return true;
  return principal.role === 'admin' && principal.municipalityId !== null && (await onlyTown(db)) === principal.municipalityId;
}
