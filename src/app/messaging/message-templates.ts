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
import { actorOf, canAccessTown, hasRole, type Principal } from '../../domain/staff-access.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../db/transaction.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext, CacheContext } from '../shared/context.ts';
import { officeTown } from '../setup/town-site-url.ts';
import { BUILT_IN_BOOKING_TEMPLATES, type MessageLanguage } from './appointment-messages.ts';
import { BUILT_IN_CLOSURE_TEMPLATES, BUILT_IN_OFFER_REMINDER_TEMPLATES, type ClosureNoticeTemplate } from './closure-messages.ts';
import { BUILT_IN_DOCUMENT_READY_TEMPLATES } from './document-messages.ts';
import { BUILT_IN_REMINDER_TEMPLATES } from './reminder-messages.ts';
import { BUILT_IN_WAITING_LIST_OFFER_TEMPLATES } from './waiting-list-messages.ts';

// The municipality's wording of every citizen message (#5 closure notice, #19 all of them): read by
// whatever sends the message, edited and previewed on /staff/verwaltung/texte. Without a saved text
// (or a saved field left empty) the built-in one is used; the built-in text is never stored, so a
// later improvement of it reaches every municipality that did not word it itself.
// Per town (#20, decision 0014): a town's own field, else the installation's (municipality_id ''),
// else the built-in text. A message takes the texts of the town of its office (MessageTown.id).

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

/** The installation's texts: rows of no town, which every town without a text of its own has. */
export const INSTALLATION_TEXTS = '';

/** Every saved wording by town (INSTALLATION_TEXTS: the installation's), each as saved. */
type SavedTexts = Map<string, TemplateSet>;

async function readSavedTexts(db: Kysely<DB> | Trx): Promise<SavedTexts> {
  const rows = await db.selectFrom('message_template').select(['municipality_id', 'kind', 'language', 'intro', 'sms']).execute();
  const saved: SavedTexts = new Map();
  for (const row of rows) {
    if (!(MESSAGE_KINDS as readonly string[]).includes(row.kind)) continue;
    const set = saved.get(row.municipality_id) ?? {};
    (set[row.kind as MessageKind] ??= {})[row.language] = { intro: row.intro, sms: row.sms };
    saved.set(row.municipality_id, set);
  }
  return saved;
}

/** A town's wording, field by field: its own, else the installation's, else null (built-in). null town: the installation's. */
function townTexts(saved: SavedTexts, town: string | null): TemplateSet {
  const base = saved.get(INSTALLATION_TEXTS) ?? {};
  const own = (town && town !== INSTALLATION_TEXTS ? saved.get(town) : undefined) ?? {};
  const set: TemplateSet = {};
  for (const kind of MESSAGE_KINDS) {
    for (const language of MESSAGE_LANGUAGES) {
      const mine = own[kind]?.[language];
      const kreis = base[kind]?.[language];
      if (!mine && !kreis) continue;
      (set[kind] ??= {})[language] = { intro: mine?.intro ?? kreis?.intro ?? null, sms: mine?.sms ?? kreis?.sms ?? null };
    }
  }
  return set;
}

/** The wording the messages of `town`'s offices use (null: an office of no town, the installation's). */
export async function readMessageTemplates(db: Kysely<DB> | Trx, town: string | null): Promise<TemplateSet> {
  return townTexts(await readSavedTexts(db), town);
}

// Texts change a few times a year and a booking mail needs them on the hot path: one copy per
// database, a few seconds old at most (as the catalogue), dropped at once when this process saves.
const CACHE_TTL_MS = 5_000;
const cache = new WeakMap<Kysely<DB>, { saved: SavedTexts; loadedAt: number }>();

/**
 * A town's wordings (as readMessageTemplates), from a copy at most a few seconds old. Inside a
 * transaction pass it as `executor`: on the embedded database's single connection a read through
 * ctx.db would wait for it.
 */
export async function messageTemplates(ctx: CacheContext, town: string | null, executor: Kysely<DB> | Trx = ctx.db): Promise<TemplateSet> {
  const cached = cache.get(ctx.db);
  if (cached && ctx.elapsed() - cached.loadedAt < CACHE_TTL_MS) return townTexts(cached.saved, town);
  const saved = await readSavedTexts(executor);
  cache.set(ctx.db, { saved, loadedAt: ctx.elapsed() });
  return townTexts(saved, town);
}

/** The closure job's and the closure form's view: the notice of the office's town in both languages. */
export type ClosureTemplates = Record<MessageLanguage, ClosureNoticeTemplate | null>;

export async function readClosureTemplates(ctx: AppContext, officeId: string): Promise<ClosureTemplates> {
  const set = await readMessageTemplates(ctx.db, (await officeTown(ctx, officeId)).id);
  return { de: templateFor(set, 'closure_notice', 'de'), en: templateFor(set, 'closure_notice', 'en') };
}

/**
 * The text a town has where it words nothing itself: the installation's, else the built-in one.
 * The texts page starts from it; a field left at it is stored as null, so a later change of the
 * installation's or the built-in text reaches the town.
 */
export async function inheritedTexts(
  db: Kysely<DB> | Trx,
  town: string,
): Promise<Record<MessageKind, Record<MessageLanguage, BuiltInText>>> {
  const base = town === INSTALLATION_TEXTS ? {} : townTexts(await readSavedTexts(db), null);
  return Object.fromEntries(
    MESSAGE_KINDS.map((kind) => [
      kind,
      Object.fromEntries(
        MESSAGE_LANGUAGES.map((l) => {
          const builtIn = BUILT_IN_TEMPLATES[kind][l];
          const kreis = templateFor(base, kind, l);
          const sms = kreis?.sms ?? builtIn.sms;
          return [l, { intro: kreis?.intro ?? builtIn.intro, ...(sms !== undefined ? { sms } : {}) }];
        }),
      ),
    ]),
  ) as Record<MessageKind, Record<MessageLanguage, BuiltInText>>;
}

/** The town's own wording as saved (no inherited text): which kinds it words itself. */
export async function readOwnTemplates(db: Kysely<DB> | Trx, town: string): Promise<TemplateSet> {
  return (await readSavedTexts(db)).get(town) ?? {};
}

/**
 * A form's text as a wording: an empty field, or one left as the text inherited (`inherited`, by
 * default the built-in one), is null.
 */
export function asTemplate(
  kind: MessageKind,
  language: MessageLanguage,
  texts: Partial<Record<TemplateField, string>>,
  inherited: BuiltInText = BUILT_IN_TEMPLATES[kind][language],
): MessageTemplate {
  const own = (field: TemplateField) => {
    if (!fieldsOf(kind).includes(field)) return null;
    const text = (texts[field] ?? '').replace(/\r\n/g, '\n').trim();
    return text === '' || text === inherited[field] ? null : text;
  };
  return { intro: own('intro'), sms: own('sms') };
}

/**
 * Saves one kind's wording of one town in both languages (admins only: the text applies to every
 * office of the town, beyond any team lead's own offices; a town's admin only its own town's, the
 * installation's texts only the Kreis admin). Refused whole, naming field and placeholder, while one
 * text has unknown placeholders, lacks a required one or is too long. Audited with before and after.
 */
export async function saveMessageTemplate(
  ctx: AppContext,
  principal: Principal,
  input: { town: string; kind: MessageKind; texts: Record<MessageLanguage, Partial<Record<TemplateField, string>>> },
): Promise<void> {
  if (!hasRole(principal, 'admin')) throw new DomainError('forbidden', 'Only an admin changes the municipality-wide wording');
  if (!canAccessTown(principal, input.town === INSTALLATION_TEXTS ? null : input.town)) throw new DomainError('not_found', 'No such town');
  const inherited = await inheritedTexts(ctx.db, input.town);
  const templates = Object.fromEntries(
    MESSAGE_LANGUAGES.map((l) => [l, asTemplate(input.kind, l, input.texts[l], inherited[input.kind][l])]),
  ) as Record<MessageLanguage, MessageTemplate>;
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
    const before = await readOwnTemplates(trx, input.town);
    for (const language of MESSAGE_LANGUAGES) {
      const template = templates[language];
      const was = templateFor(before, input.kind, language) ?? { intro: null, sms: null };
      if (was.intro === template.intro && was.sms === template.sms) continue;
      await trx
        .insertInto('message_template')
        .values({
          municipality_id: input.town,
          kind: input.kind,
          language,
          ...template,
          updated_by: actorOf(principal),
          updated_at: new Date(now),
        })
        .onConflict((oc) =>
          oc
            .columns(['municipality_id', 'kind', 'language'])
            .doUpdateSet({ intro: template.intro, sms: template.sms, updated_by: actorOf(principal), updated_at: new Date(now) }),
        )
        .execute();
      // null in before/after: the inherited text. municipalityId scopes who reads the entry (read-audit-log.ts).
      await audit(trx, {
        actor: principal,
        action: 'message_template.save',
        entity: 'message_template',
        entityId: `${input.kind}:${language}`,
        at: now,
        details: { municipalityId: input.town === INSTALLATION_TEXTS ? null : input.town, before: was, after: template },
      });
    }
  });
  cache.delete(ctx.db);
}
