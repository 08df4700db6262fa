import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { CappedMap, createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { botCheckDifficulty, CALM_COUNTER } from '../../domain/bot-difficulty.ts';
import { SlidingWindowCounter } from '../../domain/sliding-window.ts';

// Bot protection without a picture puzzle (BITV 2.0 / WCAG 1.1.1 rule out visual captchas): the
// browser proves some seconds of work (ALTCHA proof of work) before a booking is accepted. A screen
// reader user does nothing; the widget only announces "verifying".

export type BotCheck = {
  challenge(): Promise<Challenge>;
  /** True if the payload solves a challenge we signed, in time, and was not used before. */
  verify(payload: string): Promise<boolean>;
};

export type BotCheckOptions = {
  hmacKey: string;
  /** PBKDF2 iterations per try. */
  cost?: number;
  /** The secret counter the browser must reach in a calm hour; the expected number of tries. */
  counter?: [number, number];
  /**
   * Challenges a calm minute sees in this process (default 30). Above it the counter range grows in
   * steps up to eight times (botCheckDifficulty): at release time every booking costs more work.
   */
  calmPerMinute?: number;
  /** Load is measured on this clock (injected in tests); expiry stays on wall-clock time. */
  now?: () => number;
};

// ~1000-2000 tries of 250 PBKDF2 rounds: about a second on a mid-range phone, a fraction of that on a
// desktop, and every booking a script sends costs it the same.
const DEFAULT_COST = 250;
const DEFAULT_COUNTER: [number, number] = [1000, 2000];
// The challenge is fetched when the form is sent, so ten minutes never limits a person's typing.
const VALID_MS = 10 * 60_000;
const DEFAULT_CALM_PER_MINUTE = 30;

export function createBotCheck(options: BotCheckOptions): BotCheck {
  const hmacSignatureSecret = options.hmacKey;
  // A second secret signs the expected key, so verifying is one HMAC instead of redoing the work.
  const hmacKeySignatureSecret = createHmac('sha256', options.hmacKey).update('altcha-key-signature').digest('hex');
  const [low, high] = options.counter ?? DEFAULT_COUNTER;
  // Load = challenges asked for in the last minute: every booking from a browser with JavaScript
  // fetches one just before sending, and so does every script that wants to book that way.
  const requests = new SlidingWindowCounter();
  const now = options.now ?? Date.now;
  const calmPerMinute = options.calmPerMinute ?? DEFAULT_CALM_PER_MINUTE;
  const counterNow = (): [number, number] => {
    const at = now();
    requests.record(at);
    const factor = botCheckDifficulty({ bookingsPerMinute: requests.perMinute(at), calmPerMinute }).counter[0] / CALM_COUNTER[0];
    return [low * factor, high * factor];
  };
  // Each solved challenge is accepted once; remembering the last 50,000 outlives their ten minutes.
  const used = new CappedMap<string, boolean>({ maxSize: 50_000 });
  return {
    challenge: () =>
      createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: options.cost ?? DEFAULT_COST,
        counter: randomInt(...counterNow()),
        deriveKey,
        // Wall-clock time on purpose: the library and the browser both check expiry against it.
        expiresAt: new Date(Date.now() + VALID_MS),
        hmacSignatureSecret,
        hmacKeySignatureSecret,
      }),
    async verify(payload) {
      const decoded = decodePayload(payload);
      if (!decoded) return false;
      try {
        const result = await verifySolution({
          challenge: decoded.challenge,
          solution: decoded.solution,
          deriveKey,
          hmacSignatureSecret,
          hmacKeySignatureSecret,
        });
        return result.verified && used.setIfAbsent(decoded.challenge.parameters.nonce, true);
      } catch {
        return false;
      }
    },
  };
}

function decodePayload(payload: string): { challenge: Challenge; solution: Solution } | null {
  if (payload.length > 4000) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    if (!parsed?.challenge?.parameters?.nonce || typeof parsed.solution?.counter !== 'number') return null;
    return parsed;
  } catch {
    return null;
  }
}

export function randomHmacKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Bookings that arrive without a proof of work: a browser without JavaScript cannot compute one,
 * and BITV requires that such citizens can still book. A script could take the same door, so each
 * client address gets only a few such bookings per hour (default 5: a family booking for its
 * members fits, a flood does not). In memory and per process, like the API rate limit.
 */
export function createFallbackLimiter(options: { perHour: number; now: () => number }) {
  const seen = new Map<string, number[]>();
  return {
    /** Counts one attempt; false when the address has used its hourly allowance. */
    take(address: string): boolean {
      const now = options.now();
      const recent = (seen.get(address) ?? []).filter((at) => at > now - 3_600_000);
      if (seen.size > 10_000) for (const [key, times] of seen) if (times.every((at) => at <= now - 3_600_000)) seen.delete(key);
      if (recent.length >= options.perHour) {
        seen.set(address, recent);
        return false;
      }
      recent.push(now);
      seen.set(address, recent);
      return true;
    },
  };
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return c.req.header('x-test-client') ?? 'local';
  }
}
