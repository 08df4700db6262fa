// A municipality's own wording of a message, with placeholders in braces: {name}, {date}, {office}, …
// Pure text work. One registry says, for every kind of citizen message, which parts can be worded
// (the mail's own paragraph, the SMS), which placeholders each knows and which it cannot do without:
// a typo like {datum} is refused when the text is saved instead of reaching citizens as "{datum}",
// and so is a text that lost the link the citizen has to click (#19).

export const MESSAGE_KINDS = [
  'booking_confirmation',
  'appointment_confirmed',
  'appointment_reminder',
  'document_ready',
  'closure_notice',
  'waiting_list_offer',
  'replacement_reminder',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** `intro`: the mail's own paragraph(s), between greeting and the facts Schalter adds; `sms`: the whole SMS. */
export type TemplateField = 'intro' | 'sms';
export const TEMPLATE_FIELDS: readonly TemplateField[] = ['intro', 'sms'];

/** Longest texts a field takes (the table's checks say the same). */
export const FIELD_MAX_LENGTH: Record<TemplateField, number> = { intro: 2000, sms: 480 };

export type MessageKindSpec = {
  placeholders: readonly string[];
  /** The fields this kind has (a mail-only message has no SMS), each with the placeholders it must keep. */
  fields: Partial<Record<TemplateField, { required: readonly string[] }>>;
};

export const MESSAGE_KIND_SPECS: Record<MessageKind, MessageKindSpec> = {
  // Double opt-in: without the link nobody can confirm, and the reservation lapses.
  booking_confirmation: {
    placeholders: ['name', 'date', 'office', 'reference', 'deadline', 'confirm', 'code'],
    fields: { intro: { required: ['confirm'] } },
  },
  // The manage link is part of the facts Schalter adds below the paragraph.
  appointment_confirmed: { placeholders: ['name', 'date', 'office', 'reference'], fields: { intro: { required: [] } } },
  // An SMS reader can give the slot back only through the link.
  appointment_reminder: {
    placeholders: ['name', 'date', 'end', 'office', 'reference', 'cancel'],
    fields: { intro: { required: [] }, sms: { required: ['cancel'] } },
  },
  // A pickup notice that does not say where helps nobody; the status link is a courtesy.
  document_ready: {
    placeholders: ['name', 'document', 'order', 'office', 'address', 'status'],
    fields: { intro: { required: ['office'] }, sms: { required: ['office'] } },
  },
  closure_notice: {
    placeholders: ['name', 'date', 'office', 'reason', 'held', 'deadline', 'offer'],
    fields: { intro: { required: [] }, sms: { required: ['offer'] } },
  },
  waiting_list_offer: {
    placeholders: ['name', 'date', 'end', 'office', 'address', 'deadline', 'reference', 'offer'],
    fields: { intro: { required: ['offer'] }, sms: { required: ['offer'] } },
  },
  replacement_reminder: {
    placeholders: ['name', 'date', 'office', 'deadline', 'reference', 'offer'],
    fields: { intro: { required: [] }, sms: { required: ['offer'] } },
  },
};

/** Kept for the closure notice's callers: its placeholders. */
export const CLOSURE_PLACEHOLDERS = MESSAGE_KIND_SPECS.closure_notice.placeholders;

/** A saved wording: null fields use the built-in text. */
export type MessageTemplate = { intro: string | null; sms: string | null };

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(value);
}

export function fieldsOf(kind: MessageKind): TemplateField[] {
  return TEMPLATE_FIELDS.filter((f) => MESSAGE_KIND_SPECS[kind].fields[f] !== undefined);
}

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** Placeholders in the text that the message does not know. */
export function unknownPlaceholders(text: string, known: readonly string[] = CLOSURE_PLACEHOLDERS): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((p) => !known.includes(p)))];
}

export function usesPlaceholder(text: string, name: string): boolean {
  return text.includes(`{${name}}`);
}

export type TemplateProblem = { field: TemplateField; unknown: string[]; missing: string[]; tooLong: boolean };

/**
 * What is wrong with a wording, by field: placeholders the kind does not know, required ones it lost,
 * too long. A null field (the built-in text) has no problems; a field the kind does not have is ignored.
 */
export function templateProblems(kind: MessageKind, template: MessageTemplate): TemplateProblem[] {
  const spec = MESSAGE_KIND_SPECS[kind];
  return fieldsOf(kind).flatMap((field) => {
    const text = template[field];
    if (!text) return [];
    const unknown = unknownPlaceholders(text, spec.placeholders);
    const missing = spec.fields[field]!.required.filter((p) => !usesPlaceholder(text, p));
    const tooLong = text.length > FIELD_MAX_LENGTH[field];
    return unknown.length > 0 || missing.length > 0 || tooLong ? [{ field, unknown, missing, tooLong }] : [];
  });
}

/** Replaces every known placeholder; the values are inserted as they are (one pass, no re-expansion). */
export function fillTemplate(text: string, values: Partial<Record<string, string>>): string {
  return text
    .replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

// GSM 03.38's basic set and its extension (two septets each): an SMS of these alone has 160
// characters (153 per part when split); one character outside it makes the whole SMS UCS-2, 70 (67).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** How many SMS a text is sent as, and whether a character outside the GSM alphabet makes it UCS-2. */
export function smsSegments(text: string): { segments: number; unicode: boolean; units: number } {
  const chars = [...text];
  const unicode = chars.some((c) => !GSM_BASIC.includes(c) && !GSM_EXTENDED.includes(c));
  const units = unicode
    ? chars.reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0)
    : chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
  const [single, part] = unicode ? [70, 67] : [160, 153];
  return { segments: units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / part), unicode, units };
}
