import { DomainError } from '../../domain/errors.ts';
import { hasRole, type Principal } from '../../domain/staff-access.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { requireOffice } from '../shared/catalogue.ts';
import { publishQueueChange } from './queue-events.ts';

// The call display's notice line (#22): what the team lead wants everyone in the waiting room to
// read („Heute ab 12 Uhr nur Abholung von Dokumenten“). German, English optional.

export type DisplayNotice = { de: string; en: string | null };

/** Longest notice: one line on a wall screen read from 8 m. */
export const DISPLAY_NOTICE_MAX = 200;

export async function readDisplayNotice(db: Kysely<DB>, officeId: string): Promise<DisplayNotice | null> {
  const row = await db.selectFrom('display_notice').select(['text_de', 'text_en']).where('office_id', '=', officeId).executeTakeFirst();
  return row ? { de: row.text_de, en: row.text_en } : null;
}

/** The notice with who set it and when: what the team lead's form shows. */
export async function readDisplayNoticeRecord(
  db: Kysely<DB>,
  officeId: string,
): Promise<{ text_de: string; text_en: string | null; updated_by: string; updated_at: Date } | null> {
  return (
    (await db
      .selectFrom('display_notice')
      .select(['text_de', 'text_en', 'updated_by', 'updated_at'])
      .where('office_id', '=', officeId)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Sets (or, with null, removes) an office's notice; team leads of the office. Set centrally: the
 * change feed brings it to the branch, like the queue settings it sits beside.
 */
export async function setDisplayNotice(
  ctx: AppContext,
  principal: Principal,
  officeId: string,
  notice: DisplayNotice | null,
): Promise<void> {
  if (!hasRole(principal, 'teamlead')) throw new DomainError('forbidden', 'Only team leads set the display notice');
  assertOfficeAccess(principal, officeId);
  await requireOffice(ctx.db, officeId);
  if (ctx.settings.branchNode)
    throw new DomainError('set_centrally', 'The display notice is changed on the central server', {
      centralUrl: ctx.settings.branchNode.centralUrl,
    });
  const clean = notice && { de: notice.de.replace(/\s+/g, ' ').trim(), en: notice.en?.replace(/\s+/g, ' ').trim() || null };
  if (clean && (clean.de.length === 0 || clean.de.length > DISPLAY_NOTICE_MAX || (clean.en?.length ?? 0) > DISPLAY_NOTICE_MAX))
    throw new DomainError('validation_failed', 'The notice needs 1 to 200 characters', {
      fields: [
        { path: clean.de.length === 0 || clean.de.length > DISPLAY_NOTICE_MAX ? 'de' : 'en', message: 'must be 1 to 200 characters' },
      ],
    });
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    if (clean)
      await trx
        .insertInto('display_notice')
        .values({ office_id: officeId, text_de: clean.de, text_en: clean.en, updated_by: principal.label, updated_at: new Date(now) })
        .onConflict((oc) =>
          oc
            .column('office_id')
            .doUpdateSet({ text_de: clean.de, text_en: clean.en, updated_by: principal.label, updated_at: new Date(now) }),
        )
        .execute();
    else await trx.deleteFrom('display_notice').where('office_id', '=', officeId).execute();
    await audit(trx, {
      actor: principal,
      action: 'display_notice.update',
      entity: 'office',
      entityId: officeId,
      officeId,
      at: now,
      // Flat, so the audit log viewer lists the text; removed: both null.
      details: { notice_de: clean?.de ?? null, notice_en: clean?.en ?? null },
    });
  });
  // Open displays of this process read the board again at once; others within their poll.
  publishQueueChange(officeId);
}
