// Whom a branch node may speak for (docs/decisions/0009-branch-credentials.md): the central server
// applies a branch's operations only in the name of people of that office or of the office's own
// devices.

/** Why the central server does not accept an operation in the name its branch gave. */
export type ActorRefusal = 'unknown_actor' | 'not_of_office' | 'disabled';

/** The office's staff as the central server knows them when a branch's entries arrive. */
export type OfficeStaff = ReadonlyMap<string, { disabledAt: number | null }>;

/** `staff:<uuid>` → the uuid; anything else → null. */
export function staffIdOfActor(actor: string): string | null {
  const match = /^staff:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(actor);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * May a branch of `officeId` record an operation of `actor` at `at`? Its own staff (assigned to the
 * office, not disabled before the action) and its own office's devices (`kiosk:<officeId>`, with or
 * without a device after a further colon). Not admins, not staff of other offices, not API tokens
 * (a branch has none of the central's), not ids the central server does not know.
 */
export function branchActorRefusal(actor: string, input: { officeId: string; staff: OfficeStaff; at: number }): ActorRefusal | null {
  if (actor === `kiosk:${input.officeId}` || actor.startsWith(`kiosk:${input.officeId}:`)) return null;
  const staffId = staffIdOfActor(actor);
  if (staffId === null) return 'unknown_actor';
  const member = input.staff.get(staffId);
  if (!member) return 'not_of_office';
  if (member.disabledAt !== null && member.disabledAt <= input.at) return 'disabled';
  return null;
}
