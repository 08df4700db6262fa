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

// Letter runs a person should not have to read out at the counter or find on a confirmation: swear
// words, and the codes the German plate rules (FZV § 8) refuse for Nazi symbolism. Only combinations
// the alphabet above can form are listed; read across the dash, as people read it aloud.
const UNSPEAKABLE = ['WTF', 'FCK', 'FUC', 'FUK', 'CUM', 'KKK', 'KAK', 'KAC', 'NPD', 'AFD', 'HJ', 'HH', 'AH'];

/** True when a reference contains a run from the list above; such a reference is drawn again. */
export function isUnspeakableReference(reference: string): boolean {
  const compact = reference.replace('-', '');
  return UNSPEAKABLE.some((run) => compact.includes(run));
}

export const REFERENCE_PATTERN = /^[A-Z0-9]{3}-[A-Z0-9]{3}$/;

/** Accepts what people type: lower case, spaces, missing dash. */
export function normaliseReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length !== 6) return null;
  return `${compact.slice(0, 3)}-${compact.slice(3)}`;
}
