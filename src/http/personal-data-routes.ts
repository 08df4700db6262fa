import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

// Which staff routes show or change citizens' personal data (issue #20, docs/decisions/0003 "Town
// scope"): names, contacts, appointments, tickets, document holders, messages, call lists, Klärfälle,
// searches and the audit log (it keeps search texts and whom a record concerns). A Kreis admin sets up
// every town but is refused these unless granted (staff_user.personal_data); the town's own staff are
// not affected. The ONE place this is decided: staffApiAuth and the staff pages' session ask
// `carriesPersonalData`, and test/http/cross-town-probes.test.ts fails for a staff route that is
// neither here nor in its list of routes without personal data.
// Not here, on purpose: set-up, accounts, statistics (counts; per-clerk figures are the staff's, not
// citizens'), opening and closing counters, and making a closure or extra capacity — the Kreis closes
// offices of several towns when a data centre fails; the closure's report with the citizens is here.

/** `METHOD path` as the router knows it (Hono's pattern, full path). */
export const PERSONAL_DATA_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/v1/staff/offices/:officeId/day-plan',
  'GET /api/v1/staff/offices/:officeId/day-plan.csv',
  'POST /api/v1/staff/offices/:officeId/appointments',
  'GET /api/v1/staff/appointments',
  'GET /api/v1/staff/appointments/:id',
  'POST /api/v1/staff/appointments/:id/cancel',
  'POST /api/v1/staff/appointments/:id/reschedule',
  'PATCH /api/v1/staff/appointments/:id',
  'POST /api/v1/staff/appointments/:id/resend-confirmation',
  'GET /api/v1/staff/offices/:officeId/audit-log',
  'GET /api/v1/staff/offices/:officeId/queue',
  'POST /api/v1/staff/offices/:officeId/counters/:counterNumber/call-next',
  'POST /api/v1/staff/offices/:officeId/check-in',
  'POST /api/v1/staff/offices/:officeId/walk-ins',
  'POST /api/v1/staff/offices/:officeId/tickets/:ticketId/call',
  'POST /api/v1/staff/offices/:officeId/tickets/:ticketId/call-again',
  'POST /api/v1/staff/offices/:officeId/tickets/:ticketId/served',
  'POST /api/v1/staff/offices/:officeId/tickets/:ticketId/no-show',
  'POST /api/v1/staff/offices/:officeId/tickets/:ticketId/forward',
  'POST /api/v1/staff/offices/:officeId/appointments/:appointmentId/cancel-at-counter',
  'POST /api/v1/staff/offices/:officeId/payments',
  'GET /api/v1/staff/offices/:officeId/documents',
  'POST /api/v1/staff/offices/:officeId/documents',
  'POST /api/v1/staff/offices/:officeId/documents/import',
  'POST /api/v1/staff/offices/:officeId/documents/:orderNumber/ready',
  'POST /api/v1/staff/offices/:officeId/documents/:orderNumber/return',
  'POST /api/v1/staff/offices/:officeId/documents/:orderNumber/hand-out',
  'GET /api/v1/sync/offices/:officeId/changes',
  'GET /api/v1/closures/:id',
  'GET /api/v1/offices/:officeId/call-list',
  'POST /api/v1/call-list/:id',
  'GET /api/v1/notifications',
  'POST /api/v1/notifications/:id/retry',
  'POST /api/v1/notifications/bounces',
  'GET /api/v1/offices/:officeId/work-items',
  'POST /api/v1/offices/:officeId/work-items/:itemId/resolve',
  'POST /api/v1/offices/:officeId/walkin-slots',
  'GET /staff/tagesplan',
  'GET /staff/tagesplan.csv',
  'GET /staff/suche',
  'GET /staff/telefon',
  'POST /staff/telefon',
  'GET /staff/termine/:id',
  'POST /staff/termine/:id/stornieren',
  'POST /staff/termine/:id/doch-erschienen',
  'POST /staff/termine/:id/ersatz-annehmen',
  'POST /staff/termine/:id/verschieben',
  'GET /staff/termine/:id/bearbeiten',
  'POST /staff/termine/:id/bearbeiten',
  'POST /staff/termine/:id/bestaetigung-senden',
  'GET /staff/termine/:id/absagen',
  'POST /staff/termine/:id/absagen',
  'GET /staff/schalter',
  'GET /staff/schalter/:n{[0-9]{1,3}}',
  'POST /staff/schalter/:n{[0-9]{1,3}}/oeffnen',
  'POST /staff/schalter/:n{[0-9]{1,3}}/verlassen',
  'POST /staff/schalter/:n{[0-9]{1,3}}/naechste',
  'POST /staff/schalter/:n{[0-9]{1,3}}/aufrufen',
  'POST /staff/schalter/:n{[0-9]{1,3}}/erneut',
  'POST /staff/schalter/:n{[0-9]{1,3}}/erledigt',
  'POST /staff/schalter/:n{[0-9]{1,3}}/nicht-erschienen',
  'POST /staff/schalter/:n{[0-9]{1,3}}/weiterleiten',
  'POST /staff/schalter/:n{[0-9]{1,3}}/anmelden',
  'POST /staff/schalter/:n{[0-9]{1,3}}/wartenummer',
  'GET /staff/abholung',
  'POST /staff/abholung/:nr/aushaendigen',
  'POST /staff/abholung/:nr/abholbereit',
  'POST /staff/abholung/erfassen',
  'POST /staff/abholung/einlesen',
  'GET /staff/anrufliste',
  'POST /staff/anrufliste/:id{\\d{1,18}}',
  'GET /staff/klaerfaelle',
  'POST /staff/klaerfaelle/:id{[0-9a-f-]{36}}',
  'GET /staff/spontantermin',
  'POST /staff/spontantermin',
  'GET /staff/schliessungen/:id{[0-9a-fA-F-]{36}}',
  'GET /staff/nachrichten',
  'POST /staff/nachrichten/:id{\\d{1,18}}/erneut',
  'GET /staff/verwaltung/protokoll',
  'GET /staff/verwaltung/protokoll.csv',
]);

/** Whether the route this request reached carries citizens' personal data. */
export function carriesPersonalData(c: Context): boolean {
  return matchedRoutes(c).some((r) => r.method !== 'ALL' && PERSONAL_DATA_ROUTES.has(`${r.method} ${r.path}`));
}
