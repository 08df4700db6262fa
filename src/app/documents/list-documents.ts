import { normaliseOrderNumber, type DocumentState } from '../../domain/document-order.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { documentView, type DocumentView } from './document-view.ts';

export type DocumentFilter = { state?: DocumentState | undefined; query?: string | undefined; limit?: number };

/**
 * An office's document orders, newest change first, by state and by order number or part of the
 * holder's name. Every order shown names its holder: the list is audited (document.list).
 */
export async function listDocuments(
  ctx: AppContext,
  principal: Principal,
  officeId: string,
  filter: DocumentFilter,
): Promise<DocumentView[]> {
  assertOfficeAccess(principal, officeId);
  let query = ctx.db
    .selectFrom('document_order')
    .selectAll()
    .where('office_id', '=', officeId)
    .orderBy('updated_at', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.state) query = query.where('state', '=', filter.state);
  const text = filter.query?.trim();
  if (text) {
    const number = normaliseOrderNumber(text);
    const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or([...(number ? [eb('order_number', '=', number)] : []), eb('holder_name', 'ilike', like)]));
  }
  const documents = (await query.execute()).map(documentView);
  await audit(ctx.db, {
    actor: actorOf(principal),
    action: 'document.list',
    entity: 'document_order',
    officeId,
    at: ctx.now(),
    details: { documentIds: documents.map((d) => d.id), ...(text ? { query: text } : {}) },
  });
  return documents;
}
