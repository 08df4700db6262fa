import { canAccessTown, hasRole, type Principal, type StaffRole } from './staff-access.ts';

// Who may manage whose staff account (issue #19). Pure rules: the use cases ask these and never
// compare roles or office lists themselves.

export type AccountShape = { role: StaffRole; officeIds: readonly string[]; municipalityId: string | null };
type Manager = Pick<Principal, 'role' | 'officeIds' | 'municipalityId'>;

/** The accounts pages are for team leads and admins. */
export function managesAccounts(manager: Pick<Principal, 'role'>): boolean {
  return hasRole(manager, 'teamlead');
}

const withinOffices = (manager: Manager, officeIds: readonly string[]) =>
  officeIds.length > 0 && officeIds.every((id) => manager.officeIds.includes(id));

/**
 * A Kreis admin sees and manages every account; a town admin those of its town (issue #20). A team lead only clerks all of whose offices are the lead's:
 * a clerk who also works for another office is that office's colleague too, so an admin decides
 * for them — a lead never changes anything another office relies on.
 */
export function canManageAccount(manager: Manager, target: AccountShape): boolean {
  if (manager.role === 'admin') return canAccessTown(manager, target.municipalityId);
  if (manager.role !== 'teamlead') return false;
  return target.role === 'clerk' && withinOffices(manager, target.officeIds);
}

/** Whether the manager may give an account this role and these offices (when creating or changing it). */
export function canAssignAccount(manager: Manager, next: AccountShape): boolean {
  if (manager.role === 'admin') return canAccessTown(manager, next.municipalityId);
  if (manager.role !== 'teamlead') return false;
  return next.role === 'clerk' && withinOffices(manager, next.officeIds);
}

/** The roles a manager may choose from on the form (a team lead: clerk only). */
export function assignableRoles(manager: Pick<Principal, 'role'>): StaffRole[] {
  if (manager.role === 'admin') return ['clerk', 'teamlead', 'admin'];
  return manager.role === 'teamlead' ? ['clerk'] : [];
}
