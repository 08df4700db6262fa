import { describe, expect, it } from 'vitest';
import { newReference } from '../../src/app/shared/ids.ts';
import { formatReference, isUnspeakableReference, normaliseReference, REFERENCE_ALPHABET } from '../../src/domain/reference.ts';

// #22 defect 3: the demo showed „WTF-DFC“. A reference is read out at the counter and printed on
// the confirmation; it never spells a swear word or a Nazi code.

const bytesFor = (text: string) => Uint8Array.from(text.replace('-', ''), (ch) => REFERENCE_ALPHABET.indexOf(ch));

describe('references', () => {
  it('knows the runs it must not show, also across the dash', () => {
    expect(isUnspeakableReference('WTF-DFC')).toBe(true);
    expect(isUnspeakableReference('K7M-4Q9')).toBe(false);
    expect(isUnspeakableReference('QNP-DXY')).toBe(true);
    expect(isUnspeakableReference('C3H-H7K')).toBe(true);
  });

  it('draws again instead of handing one out', () => {
    const draws = [bytesFor('WTF-DFC'), bytesFor('X4A-HJ9'), bytesFor('K7M-4Q9')];
    const seen: number[] = [];
    const reference = newReference({
      randomBytes: (n) => {
        seen.push(n);
        return draws.shift()!;
      },
    });
    expect(reference).toBe('K7M-4Q9');
    expect(seen).toEqual([6, 6, 6]);
  });

  it('formats and reads back what people type', () => {
    expect(formatReference(bytesFor('K7M-4Q9'))).toBe('K7M-4Q9');
    expect(normaliseReference(' k7m 4q9 ')).toBe('K7M-4Q9');
  });

  it('a hundred thousand draws never show a listed run, and only a few are redrawn', () => {
    let redrawn = 0;
    let calls = 0;
    const random = {
      randomBytes: (n: number) => {
        calls++;
        return Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
      },
    };
    for (let i = 0; i < 100_000; i++) {
      const before = calls;
      expect(isUnspeakableReference(newReference(random))).toBe(false);
      redrawn += calls - before - 1;
    }
    expect(redrawn / 100_000).toBeLessThan(0.05);
  });
});
