// Document orders (ID card, passport, …): produced by the Bundesdruckerei, collected at the office.

export type DocumentState = 'in_production' | 'ready' | 'handed_out' | 'returned';
export type DocumentKind = 'id_card' | 'passport' | 'child_passport' | 'residence_permit' | 'other';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['id_card', 'passport', 'child_passport', 'residence_permit', 'other'];

/**
 * Allowed moves. `returned`: not collected in time and sent back (or destroyed) — ready documents only.
 * A handed-out document never changes again; a document marked ready by mistake may go back to production.
 */
const MOVES: Record<DocumentState, readonly DocumentState[]> = {
  in_production: ['ready'],
  ready: ['handed_out', 'returned', 'in_production'],
  handed_out: [],
  returned: [],
};

export function canMoveDocument(from: DocumentState, to: DocumentState): boolean {
  return MOVES[from].includes(to);
}

/** Order numbers as the producing system prints them: letters and digits, 4–32, dashes allowed; compared upper-case. */
export function normaliseOrderNumber(input: string): string | null {
  const value = input.trim().toUpperCase().replace(/\s+/g, '');
  return /^[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]$/.test(value) ? value : null;
}
