// Who may do what on the staff side. Pure rules: the HTTP layer and the use cases ask these
// functions and never compare roles or office lists themselves.

export type StaffRole = 'clerk' | 'teamlead' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['clerk', 'teamlead', 'admin'];

/** Someone acting on the staff side: a logged-in person or an integration's API token. */
export type Principal = {
  kind: 'user' | 'token';
  id: string;
  /** Email of a person, name of a token; shown in pages and logs. */
  label: string;
  role: StaffRole;
  /**
   * Offices this principal works for: a clerk's or team lead's assignments (those of their town), a
   * town admin's every office of the town. Empty for a Kreis admin, who works for all.
   */
  officeIds: readonly string[];
  /** The town (municipality) the principal belongs to; null: the whole Kreis (an admin without town). */
  municipalityId: string | null;
  /**
   * Whether citizens' personal data may be shown. Staff of a town see their town's by their role; a Kreis
   * admin sets up every town but sees none unless granted (staff_user.personal_data, issue #20).
   */
  personalData: boolean;
};

const RANK: Record<StaffRole, number> = { clerk: 1, teamlead: 2, admin: 3 };

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/** Roles are ordered: a team lead may do everything a clerk may, an admin everything. */
export function hasRole(principal: Pick<Principal, 'role'>, minimum: StaffRole): boolean {
  return RANK[principal.role] >= RANK[minimum];
}

type Scoped = Pick<Principal, 'role' | 'officeIds' | 'municipalityId'>;

/** An admin of no town: set-up and accounts of every town of the Kreis. */
export function isKreisAdmin(principal: Pick<Principal, 'role' | 'municipalityId'>): boolean {
  return principal.role === 'admin' && principal.municipalityId === null;
}

/**
 * A Kreis admin sees every office; everyone else only the offices they work for — a town admin all of
 * the town's (the principal carries them, read when the request is authenticated).
 */
export function canAccessOffice(principal: Scoped, officeId: string): boolean {
  return isKreisAdmin(principal) || principal.officeIds.includes(officeId);
}

/** The offices a query may touch: null means all (a Kreis admin). */
export function officeScope(principal: Scoped): readonly string[] | null {
  return isKreisAdmin(principal) ? null : principal.officeIds;
}

/**
 * Whether something of a town (an account, a set-up change, a text) is the principal's business: a
 * Kreis admin's for every town, anyone else's for their own. `null` is what belongs to no town
 * (installations without towns, integration tokens of the whole Kreis): only the Kreis's.
 */
export function canAccessTown(principal: Pick<Principal, 'municipalityId'>, municipalityId: string | null): boolean {
  return principal.municipalityId === null || principal.municipalityId === municipalityId;
}

/** Citizens' names, contacts, appointments, tickets, messages: refused to a Kreis admin without the grant. */
export function seesPersonalData(principal: Pick<Principal, 'personalData'>): boolean {
  return principal.personalData;
}

/** How a principal is written into appointment events and the audit log. */
export function actorOf(principal: Pick<Principal, 'kind' | 'id'>): string {
  return `${principal.kind === 'user' ? 'staff' : 'token'}:${principal.id}`;
}

/**
 * Team leads and admins can close offices and manage accounts; their accounts must have a second
 * factor (a district went down in 2023 through a VPN login without MFA).
 */
export function requiresSecondFactor(role: StaffRole): boolean {
  return role === 'teamlead' || role === 'admin';
}

export type LoginStage = 'totp_verify' | 'password_change' | 'totp_enrol' | 'branch_pin' | 'active';

/**
 * What a session still has to do before it may work. An enrolled second factor is checked first,
 * so a stolen password alone never reaches the password change; a one-time password is replaced
 * before a new second factor is set up. Someone who works at an office with a branch node then
 * chooses a branch PIN (docs/decisions/0009): the morning the central server is gone, that PIN is
 * the only way to log in at the office PC, so nobody of the office may be without one. At the branch
 * node itself (`atBranch`) that PIN is the whole login: no second factor is kept or asked there.
 */
export function loginStage(input: {
  role: StaffRole;
  mustChangePassword: boolean;
  totpEnrolled: boolean;
  totpVerified: boolean;
  needsBranchPin?: boolean;
  atBranch?: boolean;
  /** Logged in through the town's identity provider, which asks for the second factor itself. */
  viaIdentityProvider?: boolean;
}): LoginStage {
  if (input.viaIdentityProvider) return input.needsBranchPin ? 'branch_pin' : 'active';
  if (input.totpEnrolled && !input.totpVerified) return 'totp_verify';
  if (input.mustChangePassword) return 'password_change';
  if (requiresSecondFactor(input.role) && !input.totpEnrolled && !input.atBranch) return 'totp_enrol';
  if (input.needsBranchPin) return 'branch_pin';
  return 'active';
}

/** BSI IT-Grundschutz ORP.4: length beats complexity rules; we ask for 12 characters and refuse the obvious. */
export function passwordProblems(
  password: string,
  context: { email: string; previous?: string },
): ('too_short' | 'too_long' | 'contains_email' | 'unchanged')[] {
  const problems: ('too_short' | 'too_long' | 'contains_email' | 'unchanged')[] = [];
  if ([...password].length < 12) problems.push('too_short');
  if (password.length > 256) problems.push('too_long');
  const local = context.email.split('@')[0] ?? '';
  if (local.length >= 3 && password.toLowerCase().includes(local.toLowerCase())) problems.push('contains_email');
  if (context.previous !== undefined && password === context.previous) problems.push('unchanged');
  return problems;
}
