import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../../domain/errors.ts';
import { unknownPlaceholders, usesPlaceholder } from '../../domain/message-template.ts';
import { actorOf, hasRole, type Principal } from '../../domain/staff-access.ts';
import type { DB } from '../../db/schema.ts';
import type { Kysely } from 'kysely';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import type { MessageLanguage } from './appointment-messages.ts';
import { renderClosureNotice, type ClosureNoticeTemplate, type OfficeFacts, type RenderedNotice } from './closure-messages.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';

// The municipality's wording of the closure notice (#5): read by the closure job, edited and
// previewed by team leads. Without a saved text the built-in one is used.

export type ClosureTemplates = Record<MessageLanguage, ClosureNoticeTemplate | null>;

export async function readClosureTemplates(db: Kysely<DB>): Promise<ClosureTemplates> {
  const rows = await db.selectFrom('message_template').select(['language', 'intro', 'sms']).where('kind', '=', 'closure_notice').execute();
  const of = (language: MessageLanguage) => {
    const row = rows.find((r) => r.language === language);
    return row ? { intro: row.intro, sms: row.sms } : null;
  };
  return { de: of('de'), en: of('en') };
}

/** The problems of a template, by field: unknown placeholders, an SMS without the link. */
export function templateProblems(template: ClosureNoticeTemplate): { field: 'intro' | 'sms'; unknown: string[]; missingOffer: boolean }[] {
  const problems: { field: 'intro' | 'sms'; unknown: string[]; missingOffer: boolean }[] = [];
  for (const field of ['intro', 'sms'] as const) {
    const text = template[field];
    if (!text) continue;
    const unknown = unknownPlaceholders(text);
    // Without the link an SMS reader cannot answer the offer: the SMS must carry {offer}.
    const missingOffer = field === 'sms' && !usesPlaceholder(text, 'offer');
    if (unknown.length > 0 || missingOffer) problems.push({ field, unknown, missingOffer });
  }
  return problems;
}

/** Saves one language's wording; empty fields go back to the built-in text. Team leads and admins. */
export async function saveClosureTemplate(
  ctx: AppContext,
  principal: Principal,
  input: { language: MessageLanguage; intro: string; sms: string },
): Promise<void> {
  // The wording reaches every office of the town, beyond any team lead's own offices (DESIGN.md: team
  // leads run their offices); changing it is the admin's, previewing is anyone's with the page.
  if (!hasRole(principal, 'admin')) throw new DomainError('forbidden', 'Only an admin changes the municipality-wide wording');
  const template = { intro: input.intro.trim() || null, sms: input.sms.trim() || null };
  const problems = templateProblems(template);
  if (problems.length > 0)
    throw new DomainError('validation_failed', 'The template has unknown placeholders or lacks {offer}', {
      fields: problems.map((p) => ({
        path: p.field,
        message: p.unknown.length > 0 ? `unknown: ${p.unknown.join(', ')}` : 'needs {offer}',
      })),
    });
  if ((template.intro?.length ?? 0) > 2000 || (template.sms?.length ?? 0) > 480)
    throw new DomainError('validation_failed', 'Too long', { fields: [{ path: 'intro', message: 'too long' }] });
  const now = ctx.now();
  await ctx.db
    .insertInto('message_template')
    .values({ kind: 'closure_notice', language: input.language, ...template, updated_by: actorOf(principal), updated_at: new Date(now) })
    .onConflict((oc) =>
      oc
        .columns(['kind', 'language'])
        .doUpdateSet({ intro: template.intro, sms: template.sms, updated_by: actorOf(principal), updated_at: new Date(now) }),
    )
    .execute();
  await audit(ctx.db, {
    actor: principal,
    action: 'message_template.save',
    entity: 'message_template',
    entityId: `closure_notice:${input.language}`,
    at: now,
    details: { intro: template.intro !== null, sms: template.sms !== null },
  });
}

/**
 * The closure notice as a sample citizen would get it: an appointment tomorrow 10:00 at the office,
 * a replacement held the day after at 09:00. No real person's data is used.
 */
export function sampleClosureNotice(input: {
  language: MessageLanguage;
  office: OfficeFacts;
  reason: string;
  now: number;
  publicUrl: string;
  template: ClosureNoticeTemplate | null;
}): RenderedNotice {
  const today = localPlainDate(input.now, input.office.timeZone);
  const at = (days: number, hour: number, minute = 0) =>
    new Date(
      today.add({ days }).toZonedDateTime({ timeZone: input.office.timeZone, plainTime: new Temporal.PlainTime(hour, minute) })
        .epochMilliseconds,
    );
  const token = 'BEISPIEL';
  return renderClosureNotice(
    {
      language: input.language,
      reference: 'ABC-123',
      citizenName: 'Erika Mustermann',
      reason: input.reason,
      original: { start: at(1, 10), office: input.office },
      services: [input.language === 'de' ? 'Personalausweis beantragen (1)' : 'Apply for an identity card (1)'],
      held: { start: at(2, 9), end: at(2, 9, 30), office: input.office, reference: 'DEF-456', deadline: at(2, 8) },
      links: {
        offer: `${input.publicUrl}/angebot/${token}`,
        choose: `${input.publicUrl}/angebot/${token}/andere`,
        decline: `${input.publicUrl}/angebot/${token}/absagen`,
      },
    },
    input.template,
  );
}
