import type { StaffRole } from './staff-access.ts';

/**
 * How a town's identity provider (Active Directory via ADFS, Keycloak, …) says who someone is in
 * Schalter: groups carried in one claim of the ID token. Set by the data centre
 * (`SCHALTER_OIDC_*`, docs/operations.md „Single sign-on“).
 */
export type SsoMapping = {
  /** The claim holding the person's groups (a list of strings, or one string). */
  groupsClaim: string;
  /** The group that makes someone an admin, a team lead, a clerk; the highest of them counts. */
  roleGroups: Record<StaffRole, string>;
  /** A group `${officePrefix}${officeId}` gives access to that office. */
  officePrefix: string;
  /** A group `${townPrefix}${municipalityId}` places the account in that town. */
  townPrefix: string;
  /** The group of the Kreis's own admins: accounts of the whole installation, no town. */
  kreisGroup: string;
};

export type SsoAccount = {
  subject: string;
  email: string;
  displayName: string;
  role: StaffRole;
  officeIds: string[];
  /** null: the whole Kreis (only with the Kreis group), or an installation without towns. */
  municipalityId: string | null;
};

export type SsoRefusal = 'no_email' | 'no_role' | 'no_office' | 'no_town' | 'several_towns' | 'unknown_office' | 'office_of_other_town';

const ROLE_ORDER: StaffRole[] = ['admin', 'teamlead', 'clerk'];

/**
 * The Schalter account an ID token's claims describe, or why it cannot have one. The provider is
 * the source of truth: role, offices and town are taken from it at every login, so removing a
 * group there removes the access here with the next login.
 */
export function accountFromClaims(
  claims: Record<string, unknown>,
  mapping: SsoMapping,
  installation: { offices: ReadonlyMap<string, string | null>; municipalityIds: readonly string[] },
): SsoAccount | { refused: SsoRefusal } {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email.includes('@')) return { refused: 'no_email' };
  const raw = claims[mapping.groupsClaim];
  const groups = new Set((Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).filter((g) => typeof g === 'string'));
  const role = ROLE_ORDER.find((r) => groups.has(mapping.roleGroups[r]));
  if (!role) return { refused: 'no_role' };

  const officeIds = [...groups]
    .filter((g) => g.startsWith(mapping.officePrefix))
    .map((g) => g.slice(mapping.officePrefix.length))
    .sort();
  if (officeIds.some((id) => !installation.offices.has(id))) return { refused: 'unknown_office' };
  // As on the accounts page: clerks and team leads work for offices, admins for the town.
  if (role !== 'admin' && officeIds.length === 0) return { refused: 'no_office' };

  const namedTowns = [...groups]
    .filter((g) => g.startsWith(mapping.townPrefix))
    .map((g) => g.slice(mapping.townPrefix.length))
    .filter((id) => installation.municipalityIds.includes(id));
  const officeTowns = [...new Set(officeIds.map((id) => installation.offices.get(id)).filter((t): t is string => typeof t === 'string'))];
  const towns = [...new Set([...namedTowns, ...officeTowns])];
  if (towns.length > 1) return { refused: officeTowns.length > 1 || namedTowns.length > 1 ? 'several_towns' : 'office_of_other_town' };

  let municipalityId: string | null = towns[0] ?? null;
  // One town: everyone belongs to it, as with local accounts (decision 0014).
  if (municipalityId === null && installation.municipalityIds.length === 1) municipalityId = installation.municipalityIds[0]!;
  const kreis = groups.has(mapping.kreisGroup) && role === 'admin' && officeIds.length === 0 && namedTowns.length === 0;
  // Only where towns must be told apart; an installation without a town file has none to name.
  if (municipalityId === null && !kreis && installation.municipalityIds.length > 1) return { refused: 'no_town' };
  if (kreis && installation.municipalityIds.length > 1) municipalityId = null;

  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
  return {
    subject: String(claims.sub),
    email,
    displayName: name.slice(0, 100),
    role,
    officeIds: role === 'admin' ? [] : officeIds,
    municipalityId,
  };
}
