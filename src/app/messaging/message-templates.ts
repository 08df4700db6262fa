import type { Kysely } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import {
  fieldsOf,
  MESSAGE_KINDS,
  templateProblems,
  type MessageKind,
  type MessageTemplate,
  type TemplateField,
} from '../../domain/message-template.ts';
import { actorOf, hasRole, type Principal } from '../../domain/staff-access.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext, CacheContext } from '../shared/context.ts';
import { BUILT_IN_BOOKING_TEMPLATES, type MessageLanguage } from './appointment-messages.ts';
import { BUILT_IN_CLOSURE_TEMPLATES, BUILT_IN_OFFER_REMINDER_TEMPLATES, type ClosureNoticeTemplate } from './closure-messages.ts';
import { BUILT_IN_DOCUMENT_READY_TEMPLATES } from './document-messages.ts';
import { BUILT_IN_REMINDER_TEMPLATES } from './reminder-messages.ts';
import { BUILT_IN_WAITING_LIST_OFFER_TEMPLATES } from './waiting-list-messages.ts';

// The municipality's wording of every citizen message (#5 closure notice, #19 all of them): read by
// whatever sends the message, edited and previewed on /staff/verwaltung/texte. Without a saved text
// (or a saved field left empty) the built-in one is used; the built-in text is never stored, so a
// later improvement of it reaches every municipality that did not word it itself.

export const MESSAGE_LANGUAGES: readonly MessageLanguage[] = ['de', 'en'];

/** Every saved wording by kind and language; a missing entry is the built-in text. */
export type TemplateSet = Partial<Record<MessageKind, Partial<Record<MessageLanguage, MessageTemplate>>>>;

export type BuiltInText = { intro: string; sms?: string };

/** The built-in wording of every kind written as templates: the texts page's starting text. */
export const BUILT_IN_TEMPLATES: Record<MessageKind, Record<MessageLanguage, BuiltInText>> = {
  booking_confirmation: {
    de: { intro: BUILT_IN_BOOKING_TEMPLATES.booking_confirmation.de },
    en: { intro: BUILT_IN_BOOKING_TEMPLATES.booking_confirmation.en },
  },
  appointment_confirmed: {
    de: { intro: BUILT_IN_BOOKING_TEMPLATES.appointment_confirmed.de },
    en: { intro: BUILT_IN_BOOKING_TEMPLATES.appointment_confirmed.en },
  },
  appointment_reminder: BUILT_IN_REMINDER_TEMPLATES,
  // One text for both: the pickup notice's SMS always said what its mail says.
  document_ready: {
    de: { ...BUILT_IN_DOCUMENT_READY_TEMPLATES.de, sms: BUILT_IN_DOCUMENT_READY_TEMPLATES.de.intro },
    en: { ...BUILT_IN_DOCUMENT_READY_TEMPLATES.en, sms: BUILT_IN_DOCUMENT_READY_TEMPLATES.en.intro },
  },
  closure_notice: BUILT_IN_CLOSURE_TEMPLATES,
  waiting_list_offer: BUILT_IN_WAITING_LIST_OFFER_TEMPLATES,
  replacement_reminder: BUILT_IN_OFFER_REMINDER_TEMPLATES,
};

/** The saved wording of one message, or null: the renderer's built-in text. */
export function templateFor(set: TemplateSet, kind: MessageKind, language: MessageLanguage): MessageTemplate | null {
  return set[kind]?.[language] ?? null;
}

export async function readMessageTemplates(db: Kysely<DB> | Trx): Promise<TemplateSet> {
  const rows = await db.selectFrom('message_template').select(['kind', 'language', 'intro', 'sms']).execute();
  const set: TemplateSet = {};
  for (const row of rows) {
    if (!(MESSAGE_KINDS as readonly string[]).includes(row.kind)) continue;
    const kind = row.kind as MessageKind;
    (set[kind] ??= {})[row.language] = { intro: row.intro, sms: row.sms };
  }
  return set;
}

// Texts change a few times a year and a booking mail needs them on the hot path: one copy per
// database, a few seconds old at most (as the catalogue), dropped at once when this process saves.
const CACHE_TTL_MS = 5_000;
const cache = new WeakMap<Kysely<DB>, { set: TemplateSet; loadedAt: number }>();

/**
 * The saved wordings, from a copy at most a few seconds old. Inside a transaction pass it as
 * `executor`: on the embedded database's single connection a read through ctx.db would wait for it.
 */
export async function messageTemplates(ctx: CacheContext, executor: Kysely<DB> | Trx = ctx.db): Promise<TemplateSet> {
  const cached = cache.get(ctx.db);
  if (cached && ctx.elapsed() - cached.loadedAt < CACHE_TTL_MS) return cached.set;
  const set = await readMessageTemplates(executor);
  cache.set(ctx.db, { set, loadedAt: ctx.elapsed() });
  return set;
}

/** The closure job's and the closure form's view: the notice in both languages. */
export type ClosureTemplates = Record<MessageLanguage, ClosureNoticeTemplate | null>;

export async function readClosureTemplates(db: Kysely<DB>): Promise<ClosureTemplates> {
  const set = await readMessageTemplates(db);
  return { de: templateFor(set, 'closure_notice', 'de'), en: templateFor(set, 'closure_notice', 'en') };
}

/** A form's text as a wording: an empty field, or one left as the built-in text, is null (built-in). */
export function asTemplate(kind: MessageKind, language: MessageLanguage, texts: Partial<Record<TemplateField, string>>): MessageTemplate {
  const builtIn = BUILT_IN_TEMPLATES[kind][language];
  const own = (field: TemplateField) => {
    if (!fieldsOf(kind).includes(field)) return null;
    const text = (texts[field] ?? '').replace(/\r\n/g, '\n').trim();
    return text === '' || text === builtIn[field] ? null : text;
  };
  return { intro: own('intro'), sms: own('sms') };
}

/**
 * Saves one kind's wording in both languages (admins only: the text applies to every office of the
 * town, beyond any team lead's own offices). Refused whole, naming field and placeholder, while one
 * text has unknown placeholders, lacks a required one or is too long. Audited with before and after.
 */
export async function saveMessageTemplate(
  ctx: AppContext,
  principal: Principal,
  input: { kind: MessageKind; texts: Record<MessageLanguage, Partial<Record<TemplateField, string>>> },
): Promise<void> {
  if (!hasRole(principal, 'admin')) throw new DomainError('forbidden', 'Only an admin changes the municipality-wide wording');
  const templates = Object.fromEntries(MESSAGE_LANGUAGES.map((l) => [l, asTemplate(input.kind, l, input.texts[l])])) as Record<
    MessageLanguage,
    MessageTemplate
  >;
  const problems = MESSAGE_LANGUAGES.flatMap((language) =>
    templateProblems(input.kind, templates[language]).map((p) => ({ ...p, language })),
  );
  if (problems.length > 0)
    throw new DomainError('validation_failed', 'The text has unknown placeholders, lacks a required one or is too long', {
      fields: problems.map((p) => ({
        path: `${p.field}-${p.language}`,
        message:
          p.missing.length > 0
            ? `needs ${p.missing.map((n) => `{${n}}`).join(', ')}`
            : p.tooLong
              ? 'too long'
              : `unknown: ${p.unknown.join(', ')}`,
      })),
    });
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const before = await readMessageTemplates(trx);
    for (const language of MESSAGE_LANGUAGES) {
      const template = templates[language];
      const was = templateFor(before, input.kind, language) ?? { intro: null, sms: null };
      if (was.intro === template.intro && was.sms === template.sms) continue;
      await trx
        .insertInto('message_template')
        .values({ kind: input.kind, language, ...template, updated_by: actorOf(principal), updated_at: new Date(now) })
        .onConflict((oc) =>
          oc
            .columns(['kind', 'language'])
            .doUpdateSet({ intro: template.intro, sms: template.sms, updated_by: actorOf(principal), updated_at: new Date(now) }),
        )
        .execute();
      // null in before/after: the built-in text.
      await audit(trx, {
        actor: principal,
        action: 'message_template.save',
        entity: 'message_template',
        entityId: `${input.kind}:${language}`,
        at: now,
        details: { before: was, after: template },
      });
    }
  });
  cache.delete(ctx.db);
}
