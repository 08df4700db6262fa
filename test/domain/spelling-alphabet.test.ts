import { describe, expect, it } from 'vitest';
import { REFERENCE_ALPHABET } from '../../src/domain/reference.ts';
import { spellOut } from '../../src/domain/spelling-alphabet.ts';

describe('a booking number spelt out on the phone', () => {
  it('says letters with the DIN 5009 city names, digits and the dash as they are', () => {
    expect(spellOut('K7M-4Q2', 'de')).toEqual(['K wie Köln', '7', 'M wie München', 'Strich', '4', 'Q wie Quickborn', '2']);
  });

  it('in English with the ICAO alphabet', () => {
    expect(spellOut('k7m-4q2', 'en')).toEqual(['K as in Kilo', '7', 'M as in Mike', 'dash', '4', 'Q as in Quebec', '2']);
  });

  it('has a word for every letter a booking number can hold', () => {
    for (const char of REFERENCE_ALPHABET.replace(/\d/g, '')) {
      expect(spellOut(char, 'de')[0]).toMatch(/^[A-Z] wie \p{Lu}/u);
      expect(spellOut(char, 'en')[0]).toMatch(/^[A-Z] as in [A-Z]/);
    }
  });
});
