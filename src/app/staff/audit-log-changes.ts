import { formatDate } from '../messaging/appointment-messages.ts';
import { canonicalJson } from '../setup/town-rows.ts';

// The before and after of an audit entry as a difference a person reads (#19, audit log viewer):
// which record, which field, what it was and what it is. Pure. An account change keeps the account
// before and after (staff-account-changes.ts); a set-up change the rows that went and came, table by
// table (apply-town-file.ts beforeAndAfter), matched here again by each table's identity. Field names
// and values are put into words by the page (http/staff/messages/audit-log.ts).

export type AuditFieldChange = { field: string; before: unknown; after: unknown };

export type AuditDifference = {
  /** The set-up row it concerns („Dienstleistung „Personalausweis““); null: the entry's own record (an account). */
  group: { de: string; en: string } | null;
  change: 'created' | 'changed' | 'removed';
  fields: AuditFieldChange[];
};

/** Names of offices and services that the rows name by id only. */
export type AuditNames = { office: (id: string) => string | null; service: (id: string) => string | null };

type Row = Record<string, unknown>;
const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The identity of a row in each set-up table; a line of hours has none beyond its values (changed = one went, one came). */
const ROW_KEYS: Record<string, string[]> = {
  municipality: ['id'],
  services: ['id'],
  feeRules: ['service_id', 'position'],
  offices: ['id'],
  officeServices: ['office_id', 'service_id'],
  counters: ['office_id', 'number'],
  counterServices: ['office_id', 'counter_number', 'service_id'],
  staffingExceptions: ['office_id', 'date', 'start_time'],
  releasePolicies: ['office_id'],
  queueSettings: ['office_id'],
  officeSettings: ['office_id'],
};

/** Never shown as a field: the identity itself, and the image digest (the file name shows the change). */
const HIDDEN_FIELDS = new Set(['id', 'office_id', 'service_id', 'municipality_id', 'logo_image']);

export function auditDifferences(details: Row | null, names: AuditNames): AuditDifference[] {
  if (!details || !('before' in details || 'after' in details)) return [];
  const before = details.before;
  const after = details.after;
  const rowsOf = (side: unknown) => (isObject(side) && isObject(side.rows) ? (side.rows as Record<string, Row[]>) : undefined);
  if (rowsOf(before) || rowsOf(after)) return setupDifferences(rowsOf(before), rowsOf(after), names);
  if (!isObject(before) && !isObject(after)) return [];
  if (!isObject(before)) return [{ group: null, change: 'created', fields: fieldsOf(null, after as Row) }];
  if (!isObject(after)) return [{ group: null, change: 'removed', fields: [] }];
  const fields = fieldsOf(before, after);
  return fields.length ? [{ group: null, change: 'changed', fields }] : [];
}

function fieldsOf(before: Row | null, after: Row, ignore: readonly string[] = []): AuditFieldChange[] {
  return Object.keys(after)
    .filter((k) => !ignore.includes(k) && !HIDDEN_FIELDS.has(k))
    .filter((k) => (before ? canonicalJson(before[k]) !== canonicalJson(after[k]) : after[k] !== null && after[k] !== undefined))
    .map((k) => ({ field: k, before: before ? before[k] : null, after: after[k] }));
}

function setupDifferences(gone: Record<string, Row[]> = {}, came: Record<string, Row[]> = {}, names: AuditNames): AuditDifference[] {
  const out: AuditDifference[] = [];
  for (const table of new Set([...Object.keys(gone), ...Object.keys(came)])) {
    const keys = ROW_KEYS[table];
    const identity = (row: Row) => (keys ? canonicalJson(keys.map((k) => row[k] ?? null)) : canonicalJson(row));
    const was = gone[table] ?? [];
    const is = came[table] ?? [];
    for (const row of was) {
      const now = is.find((r) => identity(r) === identity(row));
      if (now) out.push({ group: groupOf(table, now, names), change: 'changed', fields: fieldsOf(row, now, keys) });
      else out.push({ group: groupOf(table, row, names), change: 'removed', fields: [] });
    }
    for (const row of is)
      if (!was.some((r) => identity(r) === identity(row)))
        out.push({
          group: groupOf(table, row, names),
          change: 'created',
          fields: table === 'officeServices' ? [] : fieldsOf(null, row, keys),
        });
  }
  return out;
}

const DAYS = { de: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** „Standort „Bürgerbüro Süd“: Schalter 2“, „Dienstleistung „Personalausweis““ — as setup-diff.ts names them. */
function groupOf(table: string, row: Row, names: AuditNames): { de: string; en: string } {
  const office = row.office_id ? (names.office(str(row.office_id)) ?? str(row.office_id)) : '';
  const service = (id: unknown) => names.service(str(id)) ?? str(id);
  const inOffice = (de: string, en: string) => ({ de: `Standort „${office}“: ${de}`, en: `office "${office}": ${en}` });
  const day = (lang: 'de' | 'en') => (row.date ? formatDate(new Date(`${str(row.date)}T12:00:00Z`), 'UTC', lang) : '');
  switch (table) {
    case 'municipality':
      return { de: `Stadt „${str(row.name)}“`, en: `municipality "${str(row.name)}"` };
    case 'services':
      return { de: `Dienstleistung „${str(row.name_de)}“`, en: `service "${str(row.name_en)}"` };
    case 'feeRules':
      return {
        de: `Gebühr „${str(row.label_de)}“ (${service(row.service_id)})`,
        en: `fee "${str(row.label_en)}" (${service(row.service_id)})`,
      };
    case 'offices':
      return { de: `Standort „${str(row.name)}“`, en: `office "${str(row.name)}"` };
    case 'officeServices':
      return inOffice(`Dienstleistung „${service(row.service_id)}“`, `service "${service(row.service_id)}"`);
    case 'counters':
      return inOffice(str(row.name), str(row.name));
    case 'counterServices':
      return inOffice(
        `Schalter ${str(row.counter_number)}: Dienstleistung „${service(row.service_id)}“`,
        `counter ${str(row.counter_number)}: service "${service(row.service_id)}"`,
      );
    case 'staffingRules': {
      const n = Number(row.weekday) - 1;
      const times = `${str(row.start_time)}–${str(row.end_time)}`;
      return inOffice(`Öffnungszeit ${DAYS.de[n] ?? ''} ${times}`, `opening hours ${DAYS.en[n] ?? ''} ${times}`);
    }
    case 'staffingExceptions':
      return inOffice(`Ausnahme ${day('de')}`, `exception ${day('en')}`);
    default:
      return inOffice('Regeln', 'rules');
  }
}

/** Details that are not a before/after: what a person needs to read the entry (reason, counts, search text). */
export type AuditFact = { key: string; value: unknown };

const SKIPPED = new Set([
  'before',
  'after',
  'changes',
  'municipalityId',
  'by',
  'filter',
  'ticketId',
  'paymentId',
  'documentId',
  'appointmentId',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The other details, flat: lists of ids become their number („Termine: 3“), ids themselves are left
 * out (a person cannot read them), a counter command's payload gives its readable fields.
 */
export function auditFacts(details: Row | null): AuditFact[] {
  if (!details) return [];
  const facts: AuditFact[] = [];
  // An account's creation names email, role and offices beside its after: the difference shows them once.
  const inDifference = new Set([details.before, details.after].flatMap((side) => (isObject(side) ? Object.keys(side) : [])));
  const visit = (source: Row) => {
    for (const [key, value] of Object.entries(source)) {
      if (SKIPPED.has(key) || inDifference.has(key) || value === null || value === undefined) continue;
      if (Array.isArray(value) && value.length === 0) continue;
      if (key === 'payload' && isObject(value)) visit(value);
      else if (Array.isArray(value)) {
        if (value.every((v) => typeof v === 'string' && (UUID.test(v) || /^\d+$/.test(v)))) facts.push({ key, value: value.length });
        else facts.push({ key, value });
      } else if (typeof value === 'string' && UUID.test(value)) continue;
      else if (!isObject(value)) facts.push({ key, value });
    }
  };
  visit(details);
  return facts;
}
