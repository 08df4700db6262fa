import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import { audit } from '../../src/app/shared/audit.ts';
import { createApiToken } from '../../src/app/staff/api-tokens.ts';
import { changeStaffAccount, disableStaffAccount } from '../../src/app/staff/staff-account-changes.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #19: the audit log viewer /staff/verwaltung/protokoll — admins see everything, team leads
// what concerns their offices (read-audit-log.ts); filters by person, office, action and days; the
// same filter as CSV; entries in words: names, German actions and dates, before → after.

const BASE = '/staff/verwaltung/protokoll';
const FILE = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function loggedIn(f: Fixture, client: string, account: { email: string; totpSecret: string | null }, office: string) {
  const b = new StaffBrowser(f, client);
  await b.post('/staff/login', { email: account.email, password: STAFF_PASSWORD });
  if (account.totpSecret) {
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(account.totpSecret, f.clock.now()) });
  }
  await b.page('/staff/standort');
  await b.post('/staff/standort', { office });
  return b;
}

/** The rows of a CSV as toCsv writes it: BOM, ';', quotes doubled, CRLF (line breaks inside quotes stay). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted && ch === '"' && body[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') endCell();
    else if (!quoted && ch === '\r' && body[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  return rows;
}

/** The visible text of the table's body, without tags: what a person reads. */
const tableText = (html: string) => (/<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, ' ');
const rowCount = (html: string) => (/<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '').split('<tr>').length - 1;

describe(`audit log viewer (${testDbKind})`, () => {
  let f: Fixture;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let clerk: StaffBrowser;
  let adminId: string;
  let mariaId: string;
  beforeAll(async () => {
    f = await createFixture();
    await applySetup(f.ctx, FILE, { actor: 'test' });
    const it = await addStaff(f, { email: 'it@stadt.example', role: 'admin', officeIds: [] });
    adminId = it.userId;
    await f.ctx.db.updateTable('staff_user').set({ display_name: 'Ines Tamm' }).where('id', '=', adminId).execute();
    admin = await loggedIn(f, 'admin', it, 'rathaus');
    lead = await loggedIn(f, 'lead', await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['sued'] }), 'sued');
    const maria = await addStaff(f, { email: 'maria.weber@stadt.example', role: 'clerk', officeIds: ['sued'] });
    mariaId = maria.userId;
    await f.ctx.db.updateTable('staff_user').set({ display_name: 'Maria Weber' }).where('id', '=', mariaId).execute();
    clerk = await loggedIn(f, 'clerk', await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['sued'] }), 'sued');
    const jonas = await addStaff(f, { email: 'jonas.berg@stadt.example', role: 'clerk', officeIds: ['rathaus'] });
    const attacker = await addStaff(f, { email: 'x@stadt.example', role: 'clerk', officeIds: ['sued'] });
    await f.ctx.db.updateTable('staff_user').set({ display_name: '=HYPERLINK("http://evil")' }).where('id', '=', attacker.userId).execute();

    // What happened, as the use cases write it: an account of Süd deactivated, one of the Rathaus
    // moved to Süd and back, a duration changed for the whole town, searches at both offices, a token.
    const actor = `staff:${adminId}`;
    await disableStaffAccount(f.ctx, { target: { userId: mariaId }, manager: null, actor });
    await changeStaffAccount(f.ctx, { target: { userId: jonas.userId }, manager: null, actor, role: 'teamlead', officeIds: ['rathaus'] });
    const doc = await exportSetup(f.ctx);
    doc.services.find((s) => s.id === 'personalausweis')!.minutes = { first: 25, further: 15 };
    await applySetup(f.ctx, doc, { actor });
    await audit(f.ctx.db, {
      actor: `staff:${attacker.userId}`,
      action: 'appointment.search',
      entity: 'appointment',
      officeId: 'sued',
      at: f.clock.now(),
      details: { query: '=cmd|calc', appointmentIds: ['a3f1c9d2-1111-4222-8333-444455556666'] },
    });
    await audit(f.ctx.db, {
      actor: `staff:${jonas.userId}`,
      action: 'appointment.cancel',
      entity: 'appointment',
      officeId: 'rathaus',
      at: f.clock.now(),
      details: { reason: 'Rathaus-Grund' },
    });
    await createApiToken(f.ctx, { name: 'fachverfahren', role: 'clerk', officeIds: ['rathaus'], actor: 'cli' });
    // As saveMessageTemplate writes it: null is the built-in wording.
    await audit(f.ctx.db, {
      actor,
      action: 'message_template.save',
      entity: 'message_template',
      entityId: 'closure_notice:de',
      at: f.clock.now(),
      details: { before: { intro: null, sms: null }, after: { intro: 'Wegen eines Wasserschadens bleibt das Bürgerbüro zu.', sms: null } },
    });
  });
  afterAll(async () => f?.close());

  it('admins read every entry in words: names, German actions, dates, before → after; no ids', async () => {
    const page = await admin.page(BASE);
    expect(page.status).toBe(200);
    contains(page.html, 'Protokoll: wer hat was gelesen oder geändert', 'aria-current="page"', 'Als CSV herunterladen');
    const text = tableText(page.html);
    contains(
      text,
      'Konto deaktiviert',
      'Ines Tamm (Administration)',
      'Konto Maria Weber',
      'deaktiviert: nein → ja',
      'Rolle oder Standorte geändert',
      'Rolle: Sachbearbeitung → Teamleitung',
      'Einrichtung geändert',
      'Dienstleistung „Personalausweis beantragen“: Dauer: 20 → 25',
      'Termin abgesagt',
      'Grund: Rathaus-Grund',
      'Schnittstellen-Zugang angelegt',
      'Kommandozeile (IT-Betrieb)',
      'Termine gesucht',
      'Suche: =cmd|calc',
      'Text an Bürgerinnen und Bürger „Absage wegen Schließung“ (deutsch)',
      'E-Mail-Absatz: eingebauter Text → Wegen eines Wasserschadens bleibt das Bürgerbüro zu.',
      'Termine: 1',
      'Bürgerbüro im Rathaus',
      // The fixture's clock: Wednesday 25 November 2026, 08:00 in Berlin.
      'Mi., 25.11.2026, 08:00',
    );
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain('staff:');
    expect(text).not.toContain('staff_user.');
    contains(
      tableText((await admin.page(`${BASE}?lang=en`)).html),
      'Account deactivated',
      'Wed, 25 Nov 2026, 08:00',
      'deactivated: no → yes',
    );
    await admin.page(`${BASE}?lang=de`);
  });

  it('filters by action, person, office and days, keeping the choice in the form and the CSV link', async () => {
    const byAction = await admin.page(`${BASE}?aktion=staff_user.disable`);
    expect(rowCount(byAction.html)).toBe(1);
    contains(
      byAction.html,
      '<option value="staff_user.disable" selected="">Konto deaktiviert</option>',
      `${BASE}.csv?aktion=staff_user.disable`,
    );

    const byPerson = tableText((await admin.page(`${BASE}?person=${adminId}`)).html);
    contains(byPerson, 'Konto deaktiviert', 'Einrichtung geändert');
    expect(byPerson).not.toContain('Termin abgesagt');

    const rathaus = tableText((await admin.page(`${BASE}?standort=rathaus`)).html);
    contains(rathaus, 'Termin abgesagt');
    expect(rathaus).not.toContain('Termine gesucht');
    const noOffice = tableText((await admin.page(`${BASE}?standort=none&aktion=setup.apply`)).html);
    contains(noOffice, 'Einrichtung geändert');

    contains((await admin.page(`${BASE}?von=2026-11-26`)).html, 'Keine Einträge für diese Auswahl.');
    // A day typed without a date picker, German style, reads the same.
    expect(rowCount((await admin.page(`${BASE}?von=25.11.2026&bis=25.11.2026&aktion=staff_user.disable`)).html)).toBe(1);
    const wrong = await admin.page(`${BASE}?von=31.02.2026`);
    expect(wrong.status).toBe(422);
    contains(wrong.html, 'Bitte ein gültiges Datum eingeben', 'href="#von"', 'value="31.02.2026"');
    expect((await admin.page(`${BASE}?von=2026-11-26&bis=2026-11-25`)).status).toBe(422);
  });

  it('an action written by a newer part without a name here is still offered, as words', async () => {
    await audit(f.ctx.db, { actor: 'system', action: 'queue_settings.reset', entity: 'office', officeId: 'sued', at: f.clock.now() });
    const page = await admin.page(BASE);
    contains(page.html, '<optgroup label="Weitere"><option value="queue_settings.reset">Queue settings reset</option></optgroup>');
    expect(rowCount((await admin.page(`${BASE}?aktion=queue_settings.reset`)).html)).toBe(1);
  });

  it('team leads see their offices, their own, their clerks’ accounts and the town’s set-up; clerks get 403', async () => {
    expect((await clerk.page(BASE)).status).toBe(403);
    expect((await clerk.get(`${BASE}.csv`)).status).toBe(403);
    const page = await lead.page(BASE);
    expect(page.status).toBe(200);
    contains(page.html, 'Sie sehen die Einträge Ihrer Standorte');
    const text = tableText(page.html);
    contains(text, 'Konto Maria Weber', 'Termine gesucht', 'Einrichtung geändert', 'Angemeldet', 'Absage wegen Schließung');
    // The Rathaus's cancellation, the Rathaus clerk's account and the integration token are not theirs.
    expect(text).not.toContain('Rathaus-Grund');
    expect(text).not.toContain('Rolle oder Standorte geändert');
    expect(text).not.toContain('Schnittstellen-Zugang');
    // Another office in the link is no way around it: the filter is not offered and not applied.
    const other = await lead.page(`${BASE}?standort=rathaus`);
    expect(tableText(other.html)).not.toContain('Rathaus-Grund');
    expect(other.html).not.toContain('<option value="rathaus"');
    const csv = await (await lead.get(`${BASE}.csv`)).text();
    expect(csv).not.toContain('Rathaus-Grund');
    expect(csv).toContain('Konto deaktiviert');
  });

  it('the CSV holds every entry of the filter in the page’s words; a cell a spreadsheet would run starts with a quote', async () => {
    const res = await admin.get(`${BASE}.csv?standort=sued`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="protokoll-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([
      'Zeitpunkt',
      'Person',
      'Aktion',
      'Standort',
      'Betroffen',
      'Änderung und Angaben',
      'in der Zweigstelle erfasst',
    ]);
    const search = rows.find((r) => r[2] === 'Termine gesucht')!;
    expect(search[0]).toBe('2026-11-25T08:00:00+01:00');
    expect(search[1]).toBe(`'=HYPERLINK("http://evil") (Sachbearbeitung)`);
    expect(search[3]).toBe('Bürgerbüro Süd');
    expect(search[5]).toBe('Suche: =cmd|calc\nTermine: 1');
    expect(rows.every((r) => r.length === 7)).toBe(true);
    expect(rows.some((r) => r[3] === 'Bürgerbüro im Rathaus')).toBe(false);
    // Reading and exporting the log are entries of their own.
    // The newest by id: several exports share the fixed clock's time, and rows come back in no set order on PostgreSQL.
    const own = await f.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'audit_log.export')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(own?.details).toMatchObject({ filter: { officeId: 'sued' } });
  });

  it('pages through 50 entries at a time, older and back to newer, keeping the filter', async () => {
    for (let i = 0; i < 60; i++)
      await audit(f.ctx.db, {
        actor: `staff:${mariaId}`,
        action: 'call_list.read',
        entity: 'call_list',
        entityId: 'sued',
        officeId: 'sued',
        at: f.clock.now() + 60_000 + i * 1000,
        details: { entries: [String(i)] },
      });
    const first = await admin.page(`${BASE}?aktion=call_list.read`);
    expect(rowCount(first.html)).toBe(50);
    expect(first.html).not.toContain('Neuere Einträge');
    const older = /href="([^"]+)" rel="next"/.exec(first.html)![1]!.replace(/&amp;/g, '&');
    expect(older).toContain('aktion=call_list.read');
    const second = await admin.page(older);
    expect(rowCount(second.html)).toBe(10);
    expect(second.html).not.toContain('Ältere Einträge');
    const newer = /href="([^"]+)" rel="prev"/.exec(second.html)![1]!.replace(/&amp;/g, '&');
    const back = await admin.page(newer);
    expect(rowCount(back.html)).toBe(50);
    contains(tableText(back.html), 'Anrufliste angesehen', 'Anrufliste Bürgerbüro Süd', 'Einträge: 1');
  });
});
