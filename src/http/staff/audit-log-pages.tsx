import { Hono, type Context } from 'hono';
import { findOffice, listOffices, listServices } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import {
  auditActions,
  auditPersons,
  exportAuditLog,
  readAuditLogPage,
  type AuditLogCursor,
  type AuditLogFilter,
} from '../../app/staff/read-audit-log.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import { officeScope } from '../../domain/staff-access.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { auditLogCsv } from './audit-log-csv.ts';
import type { AuditWords } from './audit-log-text.ts';
import { AuditLogPage, type AuditFilterForm } from './audit-log-views.tsx';
import { csvDownloadHeaders } from './csv.ts';
import { auditLogMessages } from './messages/audit-log.ts';
import { requirePageRole, requireStage, staffPageFor } from './page.tsx';

// /staff/verwaltung/protokoll (#19): the audit log for team leads (their offices, see
// read-audit-log.ts) and admins (everything), filtered by a GET form that works without JavaScript,
// 50 entries a page, and the same filter as a CSV download. Reading it is itself logged.

export const AUDIT_LOG = '/staff/verwaltung/protokoll';
const ROUTE = AUDIT_LOG.slice('/staff'.length);

/** A day as the date field sends it (2026-12-10) or as a person types it without one (10.12.2026). */
function readDay(text: string | undefined): string | undefined | null {
  const value = text?.trim() ?? '';
  if (value === '') return undefined;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : value;
  return isIsoDate(iso) ? iso : null;
}

export function auditLogPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of [ROUTE, `${ROUTE}.csv`]) pages.use(path, requireStage('active'), requirePageRole('teamlead'));

  /** The filter from the query; what cannot be read is named in `errors` and left out. */
  const readFilter = async (c: Context<StaffEnv>) => {
    const m = auditLogMessages[staffPageFor(c).lang];
    const q = c.req.query();
    const principal = c.get('principal');
    const sessionOffice = c.get('session')?.officeId;
    const timeZone = (sessionOffice ? (await findOffice(ctx.db, sessionOffice))?.time_zone : undefined) ?? 'Europe/Berlin';
    const scope = officeScope(principal);
    const persons = await auditPersons(ctx, principal);
    const errors: FormError[] = [];
    const from = readDay(q.von);
    const to = readDay(q.bis);
    if (from === null) errors.push({ field: 'von', message: m.invalidDate });
    if (to === null) errors.push({ field: 'bis', message: m.invalidDate });
    if (from && to && to < from) errors.push({ field: 'bis', message: m.rangeReversed });
    const filter: AuditLogFilter = {
      // Only people and offices the list offers: anything else is no filter, never a peek beyond the scope.
      personId: persons.some((p) => p.id === q.person) ? q.person : undefined,
      officeId: q.standort === 'none' || (q.standort && (scope === null || scope.includes(q.standort))) ? q.standort : undefined,
      action: q.aktion || undefined,
      from: errors.length ? undefined : (from ?? undefined),
      to: errors.length ? undefined : (to ?? undefined),
      timeZone,
    };
    const form: AuditFilterForm = {
      person: filter.personId ?? '',
      office: filter.officeId ?? '',
      action: filter.action ?? '',
      from: from === null ? (q.von ?? '') : (from ?? ''),
      to: to === null ? (q.bis ?? '') : (to ?? ''),
    };
    return { filter, form, errors, persons };
  };

  const words = async (c: Context<StaffEnv>, timeZone: string): Promise<AuditWords> => {
    const [offices, services] = await Promise.all([listOffices(ctx.db), listServices(ctx.db)]);
    return {
      lang: staffPageFor(c).lang,
      officeName: (id) => offices.find((o) => o.id === id)?.name ?? null,
      serviceName: (id) => services.find((s) => s.id === id)?.name_de ?? null,
      timeZone,
    };
  };

  pages.get(ROUTE, async (c) => {
    const page = staffPageFor(c);
    const principal = c.get('principal');
    const { filter, form, errors, persons } = await readFilter(c);
    const q = c.req.query();
    const cursor: AuditLogCursor = q.vor ? { older: q.vor } : q.nach ? { newer: q.nach } : null;
    const [result, actions, offices] = await Promise.all([
      readAuditLogPage(ctx, principal, filter, cursor),
      auditActions(ctx),
      listOffices(ctx.db),
    ]);
    const scope = officeScope(principal);
    return c.html(
      <AuditLogPage
        page={page}
        form={form}
        errors={errors}
        persons={persons}
        offices={offices.filter((o) => scope === null || scope.includes(o.id)).map((o) => ({ id: o.id, name: o.name }))}
        actions={actions}
        result={result}
        words={await words(c, filter.timeZone)}
        isAdmin={principal.role === 'admin'}
        tooMany={q.zuviele !== undefined}
      />,
      errors.length ? 422 : 200,
    );
  });

  pages.get(`${ROUTE}.csv`, async (c) => {
    const { filter } = await readFilter(c);
    const result = await exportAuditLog(ctx, c.get('principal'), filter);
    const back = new URL(c.req.url);
    if ('tooMany' in result) {
      back.searchParams.set('zuviele', '1');
      return c.redirect(`${AUDIT_LOG}${back.search}`, 303);
    }
    const day = filter.to ?? filter.from ?? new Date(ctx.now()).toISOString().slice(0, 10);
    const w = await words(c, filter.timeZone);
    return c.body(auditLogCsv(result.entries, w), 200, csvDownloadHeaders(`${auditLogMessages[w.lang].csvFile}-${day}.csv`));
  });
  return pages;
}
