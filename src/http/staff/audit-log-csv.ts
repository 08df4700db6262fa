import type { AuditLine } from '../../app/staff/read-audit-log.ts';
import { actionText, actorText, changeLines, subjectText, type AuditWords } from './audit-log-text.ts';
import { toCsv } from './csv.ts';
import { auditLogMessages } from './messages/audit-log.ts';

/**
 * The audit log as a spreadsheet, in the words of the page: one row per entry, the time as ISO with
 * the office's offset (sortable, as every CSV export here), each difference on a line of its own
 * inside the cell. toCsv quotes what a spreadsheet would run as a formula (a search text „=…“).
 */
export function auditLogCsv(entries: AuditLine[], w: AuditWords): string {
  const m = auditLogMessages[w.lang];
  const rows = entries.map((e) => [
    e.at,
    actorText(e.actor, w.lang),
    actionText(e.action, w.lang),
    e.officeName ?? e.officeId ?? '',
    subjectText(e.subject, w.lang),
    changeLines(e, w).join('\n'),
    e.viaBranch ? m.yes : '',
  ]);
  return toCsv([m.csvHeadings, ...rows]);
}
