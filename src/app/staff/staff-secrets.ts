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

// Recovery codes: 32 characters without look-alikes (no I, O, 0, 1), so 5 bits each and unbiased
// from one random byte (256 = 8 × 32); written as 4 groups of 4, read case-insensitively.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const RECOVERY_LENGTH = 16;

/** e.g. `K7QM-4XHD-RT9P-2WCE`: 16 characters of 32, 80 random bits. */
export function generateRecoveryCode(random: Uint8Array): string {
  if (random.length < RECOVERY_LENGTH) throw new RangeError(`generateRecoveryCode needs ${RECOVERY_LENGTH} random bytes`);
  let out = '';
  for (let i = 0; i < RECOVERY_LENGTH; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += RECOVERY_ALPHABET[random[i]! % RECOVERY_ALPHABET.length];
  }
  return out;
}

/** The code as typed (any case, spaces or dashes) in its stored spelling, or null when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const plain = input.toUpperCase().replace(/[\s-]/g, '');
  return plain.length === RECOVERY_LENGTH && [...plain].every((ch) => RECOVERY_ALPHABET.includes(ch)) ? plain : null;
}

/**
 * SHA-256, not argon2, on purpose: a code carries 80 random bits, so even a stolen table cannot be
 * searched (2^80 hashes at 10^10 per second are millions of years), while argon2 with its per-code
 * salt would cost ten slow verifications per attempt — work an attacker could make the server do.
 * The account's id is mixed in, so equal codes of two people never share a hash.
 */
export function recoveryCodeHash(userId: string, normalizedCode: string): string {
  return createHash('sha256').update('schalter-recovery\0').update(userId).update('\0').update(normalizedCode).digest('hex');
}
