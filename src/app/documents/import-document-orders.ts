import { normaliseOrderNumber, type DocumentKind } from '../../domain/document-order.ts';
import { contactProblems } from '../../domain/contact.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { AppContext } from '../shared/context.ts';
import type { CounterCommand } from '../counter/counter-command.ts';
import { applyCounterCommand } from '../counter/execute-counter-command.ts';
import { publishQueueChange } from '../counter/queue-events.ts';
import { assertOfficeAccess } from '../appointments/staff-appointments.ts';
import { newEntityId } from '../shared/ids.ts';

// The producing system's export (or a list kept by hand) as CSV: one row per order. New order
// numbers are registered, known ones become ready when the row says so. All rows or none (invariant 5).
// Header names in German or English; separator ';' (Excel in Germany) or ','.

const COLUMNS: Record<string, 'orderNumber' | 'kind' | 'holderName' | 'email' | 'phone' | 'state' | 'language'> = {
  vorgangsnummer: 'orderNumber',
  order_number: 'orderNumber',
  dokument: 'kind',
  kind: 'kind',
  name: 'holderName',
  holder_name: 'holderName',
  'e-mail': 'email',
  email: 'email',
  telefon: 'phone',
  phone: 'phone',
  status: 'state',
  state: 'state',
  sprache: 'language',
  language: 'language',
};

const KINDS: Record<string, DocumentKind> = {
  id_card: 'id_card',
  personalausweis: 'id_card',
  pa: 'id_card',
  passport: 'passport',
  reisepass: 'passport',
  rp: 'passport',
  child_passport: 'child_passport',
  kinderreisepass: 'child_passport',
  residence_permit: 'residence_permit',
  aufenthaltstitel: 'residence_permit',
  other: 'other',
  sonstiges: 'other',
};

const STATES: Record<string, 'in_production' | 'ready'> = {
  in_production: 'in_production',
  'in produktion': 'in_production',
  ready: 'ready',
  abholbereit: 'ready',
};

export type ImportResult = { created: number; ready: number; unchanged: number };

/** One refused cell: `row` as a spreadsheet numbers it (1 is the header), `field` the column read. */
export type ImportProblem = { path: string; row: number; field: ImportField | 'header'; message: string };
type ImportField = (typeof COLUMNS)[string];

export async function importDocumentOrders(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; csv: string },
): Promise<ImportResult> {
  assertOfficeAccess(principal, input.officeId);
  const { records, problems } = readImport(input.csv);
  // All rows or none: a row that cannot be read refuses the file, and the clerk is told which cells.
  if (problems.length > 0) throw new DomainError('validation_failed', 'The CSV file has errors', { fields: problems.slice(0, 50) });
  const at = new Date(ctx.now()).toISOString();
  const actor = actorOf(principal);
  const result = await inTransaction(ctx.db, async (trx) => {
    const counts: ImportResult = { created: 0, ready: 0, unchanged: 0 };
    for (const r of records) {
      const existing = await trx
        .selectFrom('document_order')
        .select(['office_id', 'state'])
        .where('order_number', '=', r.orderNumber)
        .executeTakeFirst();
      let command: CounterCommand | null = null;
      if (!existing) {
        command = {
          type: 'document.register',
          officeId: input.officeId,
          actor,
          at,
          payload: {
            documentId: newEntityId(ctx),
            orderNumber: r.orderNumber,
            kind: r.kind,
            holderName: r.holderName,
            email: r.email,
            phone: r.phone,
            language: r.language,
            state: r.state,
            source: 'import',
          },
        };
        counts.created++;
      } else if (existing.state === 'in_production' && r.state === 'ready') {
        command = { type: 'document.ready', officeId: input.officeId, actor, at, payload: { orderNumber: r.orderNumber } };
        counts.ready++;
      } else counts.unchanged++;
      if (!command) continue;
      const outcome = await applyCounterCommand(ctx, trx, command);
      // On a branch node every applied command is journalled, imported rows included.
      if (ctx.afterCounterCommand) await ctx.afterCounterCommand(trx, command, outcome);
    }
    return counts;
  });
  publishQueueChange(input.officeId);
  return result;
}

/**
 * The rows of the file, or every problem in it. Contacts are checked with the API's definition
 * (domain/contact): a cell 'a@x, victim@y', or one with a line break inside quotes, would become
 * several recipients of the ready notice.
 */
function readImport(csv: string) {
  const [header, ...data] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const columns = (header ?? []).map((h) => COLUMNS[h.trim().toLowerCase()]);
  const problems: ImportProblem[] = [];
  const problem = (row: number, field: ImportProblem['field'], message: string) =>
    problems.push({ path: field === 'header' ? 'header' : `row ${row}.${field}`, row, field, message });
  if (!columns.includes('orderNumber') || !columns.includes('kind') || !columns.includes('holderName'))
    problem(1, 'header', 'columns Vorgangsnummer, Dokument, Name are required');
  const records = data
    .map((cells, i) => ({ cells, row: i + 2 }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''))
    .map(({ cells, row }) => {
      const get = (name: ImportField) => (cells[columns.indexOf(name)] ?? '').trim();
      const orderNumber = normaliseOrderNumber(get('orderNumber'));
      const kind = KINDS[get('kind').toLowerCase()];
      const state = get('state') === '' ? 'in_production' : STATES[get('state').toLowerCase()];
      if (!orderNumber) problem(row, 'orderNumber', 'invalid order number');
      if (!kind) problem(row, 'kind', `unknown document kind "${get('kind')}"`);
      if (!state) problem(row, 'state', `unknown state "${get('state')}"`);
      if (get('holderName') === '') problem(row, 'holderName', 'name missing');
      const contact = { email: get('email') || null, phone: get('phone') || null };
      for (const p of contactProblems(contact)) problem(row, p.path, p.message);
      return {
        orderNumber: orderNumber ?? '',
        kind: kind ?? 'other',
        state: state ?? 'in_production',
        holderName: get('holderName'),
        ...contact,
        language: get('language') === 'en' ? ('en' as const) : ('de' as const),
      };
    });
  return { records, problems };
}

/** RFC 4180 with either separator: quoted fields may hold separators, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
