// What a branch node may know and whom it may speak for (docs/decisions/0009-branch-credentials.md).
// A branch holds no secret that is valid centrally: its staff log in with a branch PIN, and the
// central server applies a branch's operations only in the name of people of that office or of the
// office's own devices.

export const BRANCH_PIN_MIN = 6;
export const BRANCH_PIN_MAX = 10;

export type BranchPinProblem = 'not_digits' | 'too_short' | 'too_long' | 'too_simple';

/**
 * Digits only, 6 to 10 of them: typed at the counter every morning, like a bank card's PIN. Never
 * a central password, by construction: those have at least 12 characters (passwordProblems).
 * A PIN guessed online meets the login throttle; one cracked from a stolen office PC opens only that
 * person's account on that office's PC, and `schalter branch revoke` clears it.
 */
export function branchPinProblems(pin: string): BranchPinProblem[] {
  if (!/^\d*$/.test(pin)) return ['not_digits'];
  if (pin.length < BRANCH_PIN_MIN) return ['too_short'];
  if (pin.length > BRANCH_PIN_MAX) return ['too_long'];
  return isSimpleSequence(pin) ? ['too_simple'] : [];
}

/** 111111, 123456, 987654: the first PINs anyone tries. */
function isSimpleSequence(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  return steps.size === 1 && [0, 1, 9].includes([...steps][0]!);
}

/** Why the central server does not accept an operation in the name its branch gave. */
export type ActorRefusal = 'unknown_actor' | 'not_of_office' | 'disabled';

/** The office's staff as the central server knows them when a branch's entries arrive. */
export type OfficeStaff = ReadonlyMap<string, { disabledAt: number | null }>;

/** The API tokens scoped to the office (issue #18 item 4), with when each was revoked. */
export type OfficeTokens = ReadonlyMap<string, { revokedAt: number | null }>;

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const STAFF_ACTOR = new RegExp(`^staff:${UUID}$`, 'i');
const TOKEN_ACTOR = new RegExp(`^token:${UUID}$`, 'i');

/** `staff:<uuid>` → the uuid; anything else → null. */
export function staffIdOfActor(actor: string): string | null {
  const match = STAFF_ACTOR.exec(actor);
  return match ? match[1]!.toLowerCase() : null;
}

/** `token:<uuid>` → the uuid; anything else → null. */
export function tokenIdOfActor(actor: string): string | null {
  const match = TOKEN_ACTOR.exec(actor);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * May a branch of `officeId` record an operation of `actor` at `at`? Its own staff (assigned to the
 * office, not disabled before the action), its own office's devices (`kiosk:<officeId>`, with or
 * without a device after a further colon) and the API tokens scoped to the office, which the change
 * feed brings to its branch (not revoked before the action). Not admins, not staff or tokens of
 * other offices, not ids the central server does not know.
 */
export function branchActorRefusal(
  actor: string,
  input: { officeId: string; staff: OfficeStaff; tokens: OfficeTokens; at: number },
): ActorRefusal | null {
  if (actor === `kiosk:${input.officeId}` || actor.startsWith(`kiosk:${input.officeId}:`)) return null;
  const tokenId = tokenIdOfActor(actor);
  if (tokenId !== null) {
    const token = input.tokens.get(tokenId);
    if (!token) return 'not_of_office';
    return token.revokedAt !== null && token.revokedAt <= input.at ? 'disabled' : null;
  }
  const staffId = staffIdOfActor(actor);
  if (staffId === null) return 'unknown_actor';
  const member = input.staff.get(staffId);
  if (!member) return 'not_of_office';
  if (member.disabledAt !== null && member.disabledAt <= input.at) return 'disabled';
  return null;
}
