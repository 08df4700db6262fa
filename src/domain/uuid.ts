/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then randomness. New
 * appointments are inserted at the right-hand end of the primary-key index (and of the indexes of
 * their services and events) instead of at a random page of it, so a year of history does not turn
 * every booking into reads of cold index pages. Randomness and time are passed in, so tests stay
 * deterministic. The id reveals the second it was made, which the record's created_at shows anyway.
 */
export function timeOrderedUuid(now: number, random: Uint8Array): string {
  if (random.length < 10) throw new Error('timeOrderedUuid needs 10 random bytes');
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  b.set(random.subarray(0, 10), 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text from outside (a path, a form) can be an id at all: PostgreSQL rejects a malformed uuid with an error, not no row. */
export function isUuid(text: string): boolean {
  return UUID_TEXT.test(text);
}
