// How much proof of work (ALTCHA) a booking costs, by how busy the booking is. A person books once
// and waits a second or two more at release time; a script sending thousands of bookings pays the
// factor on every one. The citizen pages' challenge (src/http/pages/bot-check.ts) asks this function
// for its counter range, with the challenges requested in the last minute as the load.

export type Difficulty = { counter: [number, number] };

/** ~1000–2000 tries: about a second on a mid-range phone (altcha's recommendation for phones). */
export const CALM_COUNTER: [number, number] = [1000, 2000];
const MAX_FACTOR = 8;

/**
 * `bookingsPerMinute`: bookings recently sent to this process; `calmPerMinute`: what an ordinary
 * hour sees. The factor grows with the ratio, in powers of two (so it changes in steps, not on every
 * request), and is capped so that a phone still solves it in well under a minute.
 */
export function botCheckDifficulty(input: { bookingsPerMinute: number; calmPerMinute: number }): Difficulty {
  const ratio = input.calmPerMinute > 0 ? input.bookingsPerMinute / input.calmPerMinute : 1;
  const factor = ratio <= 1 ? 1 : Math.min(MAX_FACTOR, 2 ** Math.ceil(Math.log2(ratio)));
  return { counter: [CALM_COUNTER[0] * factor, CALM_COUNTER[1] * factor] };
}
