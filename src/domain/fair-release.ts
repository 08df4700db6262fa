// The fair release window (issue #7): when a wave of slots opens (Monday 07:00), requests for its new
// slots that arrive in the first N minutes are collected and decided by lottery when the window
// closes, so a script sending 100 requests a second has no edge over a person who clicks once.
// Pure rules; time is an argument.
import type { ReleasePolicy } from './capacity-types.ts';
import { currentWave } from './release.ts';

export type FairWindow = {
  /** The release instant of the wave; with office and contact it identifies one lottery entry. */
  waveReleasedAt: number;
  /** Requests until this instant are collected; the lottery decides them afterwards. */
  closesAt: number;
};

/**
 * The window a booking request for `start` falls into at `now`, or null when it is booked at once:
 * the option is off (minutes null or 0), the start is not one the current wave released for the
 * first time, or the window is over. `pendingAfterClose`: entries of that wave still wait for the
 * lottery, so a request just after the window joins them instead of overtaking them.
 */
export function fairWindowFor(input: {
  policy: ReleasePolicy;
  timeZone: string;
  now: number;
  start: number;
  minutes: number | null;
  pendingAfterClose?: boolean;
}): FairWindow | null {
  const { minutes, now, start } = input;
  if (!minutes || minutes <= 0) return null;
  const wave = currentWave(input);
  if (start < wave.newFrom || start >= wave.newUntil) return null;
  const closesAt = wave.releasedAt + minutes * 60_000;
  if (now < closesAt || input.pendingAfterClose) return { waveReleasedAt: wave.releasedAt, closesAt };
  return null;
}

/** Whether it is worth asking storage for still-undecided entries: only shortly after a window closed. */
export function mayHavePendingEntries(input: { policy: ReleasePolicy; timeZone: string; now: number; minutes: number | null }): boolean {
  if (!input.minutes || input.minutes <= 0) return false;
  const closesAt = currentWave(input).releasedAt + input.minutes * 60_000;
  return input.now >= closesAt && input.now < closesAt + LOTTERY_GRACE_MS;
}

/** The lottery job runs every few seconds; an hour after the window closed it has long finished. */
export const LOTTERY_GRACE_MS = 60 * 60_000;

/**
 * The person behind a request: one entry per contact, office and wave. Addresses are compared
 * case-insensitively and phone numbers without spaces, so spelling variants collapse as well.
 */
export function lotteryContactKey(email: string | null, phone: string | null): string | null {
  if (email) return `email:${email.trim().toLowerCase()}`;
  if (phone) return `phone:${phone.replace(/[\s()/-]/g, '')}`;
  return null;
}

/** A draw from 6 random bytes: a whole number below 2^48, safe in JavaScript and in a bigint column. */
export function drawFrom(random: Uint8Array): number {
  return Buffer.from(random.subarray(0, 6)).readUIntBE(0, 6);
}

/**
 * The order the lottery decides entries in: earlier windows first, within a window by draw, ties
 * (astronomically rare) by id, so every run — and a resumed one — takes the same entries in the same
 * order. Arrival time plays no part. The lottery's SQL orders by the same three columns.
 */
export function lotteryOrder<T extends { id: string; closesAt: number; draw: number }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.closesAt - b.closesAt || a.draw - b.draw || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
