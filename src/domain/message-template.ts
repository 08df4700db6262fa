// A municipality's own wording of a message, with placeholders in braces: {name}, {date}, {office},
// {reason}, {held}, {offer}. Pure text work; which placeholders a kind knows is decided here, so a
// typo like {datum} is refused when the text is saved instead of reaching citizens as "{datum}".

export const CLOSURE_PLACEHOLDERS = ['name', 'date', 'office', 'reason', 'held', 'offer'] as const;
export type ClosurePlaceholder = (typeof CLOSURE_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** Placeholders in the text that the message does not know. */
export function unknownPlaceholders(text: string, known: readonly string[] = CLOSURE_PLACEHOLDERS): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((p) => !known.includes(p)))];
}

export function usesPlaceholder(text: string, name: string): boolean {
  return text.includes(`{${name}}`);
}

/** Replaces every known placeholder; the values are inserted as they are (one pass, no re-expansion). */
export function fillTemplate(text: string, values: Partial<Record<string, string>>): string {
  return text
    .replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
