import { formatReference, isUnspeakableReference } from '../../domain/reference.ts';
import { timeOrderedUuid } from '../../domain/uuid.ts';
import type { AppContext } from './context.ts';

// Every id, token and code the app makes is drawn from the context's randomness (STYLE habit 5), so
// tests can script it. Each helper draws once, with a fixed size: tests that hand out draws by size
// (test/app/booking/fair-release.test.ts intercepts every 6-byte draw) see the same sequence as when
// each caller drew for itself (#16). test/architecture/ids.test.ts keeps new copies out.

type Random = Pick<AppContext, 'randomBytes'>;

/** A secret for a link or a login (manage link, session, API or device token): 32 bytes, base64url. */
export function newToken(ctx: Random): string {
  return Buffer.from(ctx.randomBytes(32)).toString('base64url');
}

/** A fresh id for what a command or a use case creates (RFC 4122 version 4 from 16 drawn bytes). */
export function newEntityId(ctx: Random): string {
  const b = Buffer.from(ctx.randomBytes(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A time-ordered id (UUID version 7, 10 drawn bytes) for rows of tables that grow by the day. */
export function newRowId(ctx: Random, now: number): string {
  return timeOrderedUuid(now, ctx.randomBytes(10));
}

/** An appointment's reference as the citizen reads it out, like `K7M-4Q9` (6 drawn bytes). */
export function newReference(ctx: Random): string {
  // Redrawn in about 3 % of cases; a scripted draw that is unspeakable forever would be a test's mistake.
  for (;;) {
    const reference = formatReference(ctx.randomBytes(6));
    if (!isUnspeakableReference(reference)) return reference;
  }
}

/** Six digits, easy to read out and type; guessing is bounded by the secret link it belongs to (4 drawn bytes). */
export function newConfirmationCode(ctx: Random): string {
  return String(Buffer.from(ctx.randomBytes(4)).readUInt32BE(0) % 1_000_000).padStart(6, '0');
}
