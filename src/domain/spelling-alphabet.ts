// A booking number read out on the phone (#22): „K wie Köln“ is heard right where „K“ alone is
// taken for „A“. German follows the spelling table of DIN 5009:2022 (city names), English the
// ICAO/NATO alphabet people know from airlines. Digits and the dash are said as they are.

const DIN_5009: Record<string, string> = {
  A: 'Aachen',
  B: 'Berlin',
  C: 'Chemnitz',
  D: 'Düsseldorf',
  E: 'Essen',
  F: 'Frankfurt',
  G: 'Goslar',
  H: 'Hamburg',
  I: 'Ingelheim',
  J: 'Jena',
  K: 'Köln',
  L: 'Leipzig',
  M: 'München',
  N: 'Nürnberg',
  O: 'Offenbach',
  P: 'Potsdam',
  Q: 'Quickborn',
  R: 'Rostock',
  S: 'Salzwedel',
  T: 'Tübingen',
  U: 'Unna',
  V: 'Völklingen',
  W: 'Wuppertal',
  X: 'Xanten',
  Y: 'Ypsilon',
  Z: 'Zwickau',
};

const ICAO: Record<string, string> = {
  A: 'Alfa',
  B: 'Bravo',
  C: 'Charlie',
  D: 'Delta',
  E: 'Echo',
  F: 'Foxtrot',
  G: 'Golf',
  H: 'Hotel',
  I: 'India',
  J: 'Juliett',
  K: 'Kilo',
  L: 'Lima',
  M: 'Mike',
  N: 'November',
  O: 'Oscar',
  P: 'Papa',
  Q: 'Quebec',
  R: 'Romeo',
  S: 'Sierra',
  T: 'Tango',
  U: 'Uniform',
  V: 'Victor',
  W: 'Whiskey',
  X: 'X-ray',
  Y: 'Yankee',
  Z: 'Zulu',
};

/** Each character as it is said: `K7M-4Q2` → „K wie Köln“, „7“, „M wie München“, „Strich“, … */
export function spellOut(text: string, language: 'de' | 'en'): string[] {
  return [...text.toUpperCase()].map((char) => {
    if (char === '-') return language === 'de' ? 'Strich' : 'dash';
    const word = (language === 'de' ? DIN_5009 : ICAO)[char];
    if (!word) return char;
    return language === 'de' ? `${char} wie ${word}` : `${char} as in ${word}`;
  });
}
