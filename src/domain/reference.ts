// Read aloud on the phone and typed from paper: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
export const REFERENCE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A reference like `K7M-4Q2` from six random bytes (the caller supplies randomness). */
export function formatReference(random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('formatReference needs 6 random bytes');
  let out = '';
  for (let i = 0; i < 6; i++) {
    if (i === 3) out += '-';
    out += REFERENCE_ALPHABET[random[i]! % REFERENCE_ALPHABET.length];
  }
  return out;
}

export const REFERENCE_PATTERN = /^[A-Z0-9]{3}-[A-Z0-9]{3}$/;

/** Accepts what people type: lower case, spaces, missing dash. */
export function normaliseReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length !== 6) return null;
  return `${compact.slice(0, 3)}-${compact.slice(3)}`;
}
