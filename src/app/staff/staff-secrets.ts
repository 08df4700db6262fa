import { createHash, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { HOTP, Secret, TOTP } from 'otpauth';
import { isTotpReplay, totpCandidateCounters, TOTP_PERIOD_SECONDS } from '../../domain/staff-session.ts';

// Password hashing, session/token secrets, CSRF tokens and TOTP codes. Randomness comes from the
// caller (ctx.randomBytes) so tests stay deterministic where they need to.

/** argon2id with the library defaults (19 MiB, 2 passes, 1 lane) = OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Verifies against a throw-away hash, so an unknown email takes as long as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('schalter-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

// Read out on the phone or copied from a terminal: the reference alphabet has no look-alikes.
const READABLE = 'ACDEFGHJKMNPQRTUVWXY34679abcdefghjkmnpqrstuvwxyz';

/** e.g. `hQ4ca-TtK7m-…`: 20 characters from 48 (~111 bits). */
export function generateOneTimePassword(random: Uint8Array): string {
  if (random.length < 20) throw new RangeError('generateOneTimePassword needs 20 random bytes');
  let out = '';
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) out += '-';
    out += READABLE[random[i]! % READABLE.length];
  }
  return out;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Synchronizer token bound to the session: derived from the session id (which only the cookie
 * holds), so it needs no storage and dies with the session. Knowing it reveals nothing about the id.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update('schalter-csrf\0').update(sessionId).digest('base64url');
}

export function csrfTokenMatches(sessionId: string, token: string | undefined | null): boolean {
  return typeof token === 'string' && equalStrings(csrfTokenFor(sessionId), token);
}

/** 20 random bytes (160 bits, RFC 4226's recommendation) as Base32, what authenticator apps take. */
export function newTotpSecret(random: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(random.subarray(0, 20)).buffer }).base32;
}

export function totpUri(input: { secret: string; account: string; issuer: string }): string {
  return new TOTP({
    issuer: input.issuer,
    label: input.account,
    secret: Secret.fromBase32(input.secret),
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The time step whose code matches, or null (wrong, too old, too new, or already used). */
export function matchTotp(input: { secret: string; code: string; now: number; lastUsedCounter: number | null }): number | null {
  const code = input.code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return null;
  const secret = Secret.fromBase32(input.secret);
  for (const counter of totpCandidateCounters(input.now)) {
    if (counter < 0 || !equalStrings(HOTP.generate({ secret, counter }), code)) continue;
    return isTotpReplay(counter, input.lastUsedCounter) ? null : counter;
  }
  return null;
}

/** For tests and the enrolment hint: the code an authenticator shows at `now`. */
export function totpCodeAt(secret: string, now: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now, period: TOTP_PERIOD_SECONDS });
}
