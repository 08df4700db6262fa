import type { Kysely } from 'kysely';
import { canMoveDocument, normaliseOrderNumber, type DocumentKind, type DocumentState } from '../../domain/document-order.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DocumentOrder } from '../../db/document-schema.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/transaction.ts';
import { validContact } from '../shared/citizen-contact.ts';
import type { AppContext } from '../shared/context.ts';
import type { CounterCommand } from '../counter/counter-command.ts';
import type { CommandHandlerResult } from '../counter/counter-outcome.ts';
import { renderDocumentReady } from '../messaging/document-messages.ts';
import { enqueueMessage } from '../messaging/enqueue-message.ts';
import { messageTemplates, templateFor } from '../messaging/message-templates.ts';
import { documentView } from './document-view.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

// Document orders: registered when the office sends the application off (import, API or counter),
// ready when the producer delivers, handed out at the counter. Handover reads and writes only the
// local database, so a branch node hands out documents while the data centre is down.

type C<T extends CounterCommand['type']> = Extract<CounterCommand, { type: T }>;

export async function registerDocument(ctx: AppContext, trx: Trx, c: C<'document.register'>, at: number): Promise<CommandHandlerResult> {
  const orderNumber = requireOrderNumber(c.payload.orderNumber);
  const existing = await trx.selectFrom('document_order').select('id').where('order_number', '=', orderNumber).executeTakeFirst();
  if (existing) throw new DomainError('already_exists', 'This order number is registered already', { orderNumber });
  const { email, phone } = validContact(c.payload);
  const state = c.payload.state ?? 'in_production';
  const row = await trx
    .insertInto('document_order')
    .values({
      id: c.payload.documentId,
      order_number: orderNumber,
      office_id: c.officeId,
      kind: c.payload.kind,
      holder_name: c.payload.holderName,
      citizen_email: email,
      citizen_phone: phone,
      language: c.payload.language ?? 'de',
      state,
      source: c.payload.source ?? 'counter',
      ready_at: state === 'ready' ? new Date(at) : null,
      handed_out_at: null,
      handed_out_to: null,
      authorised_name: null,
      created_at: new Date(at),
      updated_at: new Date(at),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await documentEvent(trx, { id: row.id, at, actor: c.actor, action: 'registered', from: null, to: state });
  if (state === 'ready') await enqueueReadyNotice(ctx, trx, row);
  return { document: documentView(row) };
}

/** The producer delivered: the citizen is told (email, else SMS) in the same transaction. */
export async function markDocumentReady(ctx: AppContext, trx: Trx, c: C<'document.ready'>, at: number): Promise<CommandHandlerResult> {
  const order = await lockOrder(trx, c.officeId, c.payload.orderNumber);
  if (order.state === 'ready') return { document: documentView(order), unchanged: true };
  const updated = await moveOrder(trx, order, 'ready', { at, actor: c.actor, set: { ready_at: new Date(at) } });
  await enqueueReadyNotice(ctx, trx, updated);
  return { document: documentView(updated) };
}

/** Handed to the holder, or to an authorised person (Vollmacht) whose name is recorded. */
export async function handOutDocument(trx: Trx, c: C<'document.hand_out'>, at: number): Promise<CommandHandlerResult> {
  const order = await lockOrder(trx, c.officeId, c.payload.orderNumber);
  const authorisedName = c.payload.recipient === 'authorised' ? (c.payload.authorisedName ?? '').trim() : null;
  if (authorisedName === '')
    throw new DomainError('validation_failed', 'Name of the authorised person required', {
      fields: [{ path: 'authorisedName', message: 'required for an authorised person' }],
    });
  const updated = await moveOrder(trx, order, 'handed_out', {
    at,
    actor: c.actor,
    set: { handed_out_at: new Date(at), handed_out_to: c.payload.recipient, authorised_name: authorisedName },
    details: { recipient: c.payload.recipient, ...(authorisedName ? { authorisedName } : {}) },
  });
  return { document: documentView(updated) };
}

export async function returnDocument(trx: Trx, c: C<'document.return'>, at: number): Promise<CommandHandlerResult> {
  const order = await lockOrder(trx, c.officeId, c.payload.orderNumber);
  return { document: documentView(await moveOrder(trx, order, 'returned', { at, actor: c.actor })) };
}

export type DocumentStatus = {
  orderNumber: string;
  state: DocumentState;
  kind: DocumentKind;
  readySince: string | null;
  office: { id: string; name: string; address: string };
  /**
   * Whether the ready notice has an address to go to. Only /status uses it, so that a document
   * registered without contact data never promises „Wir benachrichtigen Sie“ (#24 item 6); the JSON
   * API leaves it out: it is not the status of the document.
   */
  willNotify: boolean;
};

/** What anyone with the order number may learn: the state and where to collect it — no name, no contact. */
export async function documentStatus(db: Kysely<DB>, orderNumberInput: string): Promise<DocumentStatus> {
  const orderNumber = normaliseOrderNumber(orderNumberInput);
  const row = orderNumber
    ? await db
        .selectFrom('document_order')
        .innerJoin('office', 'office.id', 'document_order.office_id')
        .select([
          'document_order.order_number',
          'document_order.state',
          'document_order.kind',
          'document_order.ready_at',
          'document_order.citizen_email',
          'document_order.citizen_phone',
          'office.id',
          'office.name',
          'office.address',
        ])
        .where('document_order.order_number', '=', orderNumber)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new DomainError('not_found', 'No document order with this number');
  return {
    orderNumber: row.order_number,
    state: row.state,
    kind: row.kind,
    readySince: row.state === 'ready' ? (row.ready_at?.toISOString() ?? null) : null,
    office: { id: row.id, name: row.name, address: row.address },
    willNotify: row.citizen_email !== null || row.citizen_phone !== null,
  };
}

/** Document orders of an office for staff (in a state, or matching an order number / name). */
function requireOrderNumber(input: string): string {
  const orderNumber = normaliseOrderNumber(input);
  if (!orderNumber)
    throw new DomainError('validation_failed', 'Invalid order number', {
      fields: [{ path: 'orderNumber', message: '4–32 letters, digits or dashes' }],
    });
  return orderNumber;
}

async function lockOrder(trx: Trx, officeId: string, orderNumberInput: string): Promise<DocumentOrder> {
  const orderNumber = normaliseOrderNumber(orderNumberInput);
  const order = orderNumber
    ? await trx.selectFrom('document_order').selectAll().where('order_number', '=', orderNumber).forUpdate().executeTakeFirst()
    : undefined;
  if (!order || order.office_id !== officeId) throw new DomainError('not_found', 'No such document order');
  return order;
}

async function moveOrder(
  trx: Trx,
  order: DocumentOrder,
  to: DocumentState,
  m: {
    at: number;
    actor: string;
    set?: Partial<{ ready_at: Date; handed_out_at: Date; handed_out_to: 'holder' | 'authorised'; authorised_name: string | null }>;
    details?: Record<string, unknown>;
  },
): Promise<DocumentOrder> {
  if (!canMoveDocument(order.state, to)) throw new DomainError('invalid_state', `The document is ${order.state}`, { state: order.state });
  const updated = await trx
    .updateTable('document_order')
    .set({ ...m.set, state: to, updated_at: new Date(m.at) })
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await documentEvent(trx, {
    id: order.id,
    at: m.at,
    actor: m.actor,
    action: to,
    from: order.state,
    to,
    ...(m.details ? { details: m.details } : {}),
  });
  return updated;
}

async function documentEvent(
  trx: Trx,
  e: {
    id: string;
    at: number;
    actor: string;
    action: string;
    from: DocumentState | null;
    to: DocumentState;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('document_event')
    .values({
      document_order_id: e.id,
      at: new Date(e.at),
      actor: e.actor,
      action: e.action,
      from_state: e.from,
      to_state: e.to,
      details: e.details ? JSON.stringify(e.details) : null,
    })
    .execute();
}

const KIND_NAMES: Record<DocumentKind, { de: string; en: string }> = {
  id_card: { de: 'Ihr Personalausweis', en: 'Your identity card' },
  passport: { de: 'Ihr Reisepass', en: 'Your passport' },
  child_passport: { de: 'Der Kinderreisepass', en: 'The child passport' },
  residence_permit: { de: 'Ihr Aufenthaltstitel', en: 'Your residence permit' },
  other: { de: 'Ihr Dokument', en: 'Your document' },
};

/** Email if there is an address, else SMS (sent once a gateway is configured); once per order (dedupe key). */
async function enqueueReadyNotice(ctx: AppContext, trx: Trx, order: DocumentOrder): Promise<void> {
  const office = await trx.selectFrom('office').select(['name', 'address']).where('id', '=', order.office_id).executeTakeFirstOrThrow();
  // At a branch node the texts came with the change feed (#19); its copy of the notice is never sent.
  const town = await officeTownIn(ctx, trx, order.office_id);
  const templates = await messageTemplates(ctx, town.id, trx);
  const message = renderDocumentReady(
    {
      language: order.language,
      holderName: order.holder_name,
      document: KIND_NAMES[order.kind][order.language],
      orderNumber: order.order_number,
      office,
      statusUrl: `${town.siteUrl}/status?nummer=${encodeURIComponent(order.order_number)}`,
    },
    templateFor(templates, 'document_ready', order.language),
  );
  // Any phone, gateway or not (policy 'email_or_any_sms'): the SMS waits in the outbox until one is configured.
  await enqueueMessage(ctx, trx, {
    key: `document-ready:${order.id}`,
    to: { email: order.citizen_email, phone: order.citizen_phone },
    message,
    policy: 'email_or_any_sms',
    from: town.mailFrom,
  });
}
