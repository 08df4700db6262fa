import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { closureJobsIdle } from '../../src/app/closures/closure-runner.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { addCounters } from '../helpers/counter.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The team lead's closure pages (#5): form -> preview (nothing changes) -> commit -> progress, the
// office's list, and who may not: clerks, forged forms, other offices.

async function book(f: Fixture, time: string, citizen: { name: string; email?: string; phone?: string }) {
  const { appointment } = await bookAppointment(f.ctx, {
    officeId: 'test',
    start: Date.parse(`2026-11-25T${time}:00+01:00`),
    services: [{ serviceId: 'short', persons: 1 }],
    citizen: { name: citizen.name, email: citizen.email ?? null, phone: citizen.phone ?? null },
    language: 'de',
    channel: 'phone',
  });
  return appointment;
}

/** A team lead (or an admin: role) logged in with the second factor, working at the first of officeIds. */
async function loginLead(f: Fixture, email: string, client: string, officeIds = ['test'], role: 'teamlead' | 'admin' = 'teamlead') {
  const { totpSecret } = await addStaff(f, { email, role, officeIds });
  const b = new StaffBrowser(f, client);
  await b.post('/staff/login', { email, password: STAFF_PASSWORD });
  await b.page('/staff/code');
  await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
  await b.page('/staff/standort');
  await b.post('/staff/standort', { office: officeIds[0]! });
  return b;
}

const statusOf = async (f: Fixture, reference: string) =>
  (await f.ctx.db.selectFrom('appointment').select('status').where('reference', '=', reference).executeTakeFirstOrThrow()).status;

describe(`closure staff pages (${testDbKind})`, () => {
  let f: Fixture;
  let lead: StaffBrowser;
  const refs: string[] = [];

  beforeAll(async () => {
    // Wednesday 08:00 in Berlin; three appointments today: one with email, two phone only.
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    await addOfficeNord(f);
    await addCounters(f, 'test', 2);
    refs.push((await book(f, '09:00', { name: 'Erika Mail', email: 'erika@example.org' })).reference);
    refs.push((await book(f, '10:00', { name: 'Otto Festnetz', phone: '0221 4710 100' })).reference);
    refs.push((await book(f, '11:00', { name: 'Mia Mobil', phone: '0151 2345 6789' })).reference);
    lead = await loginLead(f, 'leitung@stadt.example', 'lead');
  });
  afterAll(async () => {
    await closureJobsIdle();
    await f?.close();
  });

  it('shows the form with the quick choices, the counters and the link in the navigation (German)', async () => {
    const { status, html } = await lead.page('/staff/schliessungen');
    expect(status).toBe(200);
    contains(
      html,
      'Schließungen – Testamt',
      'Neue Schließung',
      'Ab jetzt bis heute 18:00 Uhr',
      'Heute (ab jetzt bis Tagesende)',
      'Ganzer Tag',
      'Mehrere Tage',
      'Schalter 1',
      'Für diesen Standort gab es noch keine Schließung.',
    );
    expect(html).toContain('href="/staff/schliessungen"');
    expect(html).toMatch(/name="_csrf" value="[^"]+"/);
    const en = await lead.page('/staff/schliessungen?lang=en');
    contains(en.html, 'Closures – Testamt', 'From now until 18:00 today', 'Show preview');
    await lead.page('/staff/schliessungen?lang=de');
  });

  it('explains what is wrong next to the field and changes nothing', async () => {
    const res = await lead.post('/staff/schliessungen/vorschau', {
      umfang: 'schalter',
      zeitraum: 'days',
      datum: '2026-11-27',
      'bis-datum': '2026-11-26',
      grund: '',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    contains(
      html,
      'Das Ende muss nach dem Anfang liegen.',
      'Bitte einen Grund angeben.',
      'Bitte mindestens einen Schalter wählen.',
      'href="#bis-datum"',
    );
    expect(await f.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);
  });

  it('previews who is affected and how they are reached, without changing anything', async () => {
    const res = await lead.post('/staff/schliessungen/vorschau', {
      umfang: 'amt',
      zeitraum: 'now-until-18',
      grund: 'Wasserschaden',
      benachrichtigen: '1',
      ersatz: '1',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    contains(
      html,
      'Vorschau der Schließung',
      '3 Termine betroffen',
      'per E-Mail erreichbar',
      'nur telefonisch (Anrufliste)',
      'Jetzt schließen',
      'Wasserschaden',
    );
    // email 1, SMS 0 (no gateway), phone only 2, not at all 0
    expect([...html.matchAll(/<th scope="row">([^<]+)<\/th><td class="time">(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ['per E-Mail erreichbar', 1],
      ['per SMS erreichbar', 0],
      ['nur telefonisch (Anrufliste)', 2],
      ['gar nicht erreichbar (keine Kontaktdaten)', 0],
    ]);
    for (const ref of refs) expect(await statusOf(f, ref)).toBe('confirmed');
    expect(await f.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);
    // "Angaben ändern" brings the form back as it was filled in.
    const back = await lead.post('/staff/schliessungen/aendern', {
      umfang: 'amt',
      zeitraum: 'now-until-18',
      grund: 'Wasserschaden',
      benachrichtigen: '1',
    });
    const form = await back.text();
    expect(form).toContain('value="Wasserschaden"');
    expect(form).toMatch(/id="ersatz" value="1"(?! checked)/);
  });

  it('the sample notice links to the town-wide wording: team leads may view it, admins change it (German and English)', async () => {
    const form = { umfang: 'amt', zeitraum: 'now-until-18', grund: 'Wasserschaden', benachrichtigen: '1', ersatz: '1' };
    const asLead = await (await lead.post('/staff/schliessungen/vorschau', form)).text();
    contains(
      asLead,
      'So lautet die Nachricht (Beispiel)',
      '<a class="kern-link" href="/staff/verwaltung/texte/schliessung">Textvorlage ansehen</a>',
    );
    expect(asLead).not.toContain('Textvorlage ändern');
    contains(await (await lead.post('/staff/schliessungen/vorschau?lang=en', form)).text(), '>View the message text</a>');
    await lead.page('/staff/schliessungen?lang=de');

    const admin = await loginLead(f, 'it@kreis.example', 'admin', ['test'], 'admin');
    const asAdmin = await (await admin.post('/staff/schliessungen/vorschau', form)).text();
    contains(asAdmin, '<a class="kern-link" href="/staff/verwaltung/texte/schliessung">Textvorlage ändern</a>');
    expect(asAdmin).not.toContain('Textvorlage ansehen');
    contains(await (await admin.post('/staff/schliessungen/vorschau?lang=en', form)).text(), '>Change the message text</a>');
    expect(await f.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);
  });

  it('refuses a commit without the CSRF token', async () => {
    const res = await lead.post(
      '/staff/schliessungen',
      {
        'from-ms': String(f.clock.now()),
        'to-ms': String(f.clock.now() + 3_600_000),
        counters: '',
        grund: 'gefälscht',
        benachrichtigen: '1',
        ersatz: '1',
      },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await f.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(0);
  });

  it('commits exactly what was previewed, once, and shows the progress per person', async () => {
    const preview = await (
      await lead.post('/staff/schliessungen/vorschau', {
        umfang: 'amt',
        zeitraum: 'now-until-18',
        grund: 'Wasserschaden',
        benachrichtigen: '1',
        ersatz: '1',
      })
    ).text();
    const hidden = Object.fromEntries(
      [...preview.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
        .filter((m) => m[1] !== '_csrf')
        .slice(0, 6)
        .map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(hidden)).toEqual(['from-ms', 'to-ms', 'counters', 'grund', 'benachrichtigen', 'ersatz']);
    const res = await lead.post('/staff/schliessungen', hidden);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/staff\/schliessungen\/[0-9a-f-]{36}$/);
    // A second click on the same button leads to the same closure.
    const again = await lead.post('/staff/schliessungen', hidden);
    expect(again.headers.get('location')).toBe(location);
    expect(await f.ctx.db.selectFrom('closure').select('id').execute()).toHaveLength(1);

    await closureJobsIdle();
    for (const ref of refs) expect(await statusOf(f, ref)).toBe('cancelled');
    const { status, html } = await lead.page(location);
    expect(status).toBe(200);
    contains(
      html,
      'Schließung: Testamt, Mi., 25.11.2026, 08:00 – 18:00',
      'Abgeschlossen',
      '1 Nachricht wartet noch auf den Versand',
      'Erika Mail',
      'Otto Festnetz',
      refs[0]!,
      'E-Mail',
      'Anruf',
      'wartet',
      'reserviert, wartet auf Antwort',
      'offen',
    );
    // The message to Erika is still queued (no worker in this test): the page offers to refresh itself,
    // and does so only once asked (WCAG 2.2.1).
    expect(html).not.toContain('http-equiv="refresh"');
    contains(html, `href="${location}?auto=1"`, 'Automatisch aktualisieren (alle 10 Sekunden)');
    const auto = await lead.page(`${location}?auto=1`);
    contains(auto.html, '<meta http-equiv="refresh" content="10"', 'Automatische Aktualisierung beenden', `href="${location}"`);
    const list = await lead.page('/staff/schliessungen');
    contains(list.html, 'Bisherige Schließungen', 'Wasserschaden', '3 Termine, fertig', `href="${location}"`);
  });

  it('keeps clerks out: no link, 403 on every page and form', async () => {
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'clerk');
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    expect((await b.page('/staff/tagesplan')).html).not.toContain('/staff/schliessungen');
    const page = await b.page('/staff/schliessungen');
    expect(page.status).toBe(403);
    expect(page.html).toContain('Dafür fehlt Ihnen die Berechtigung.');
    expect((await b.post('/staff/schliessungen/vorschau', { umfang: 'amt', zeitraum: 'rest-of-today', grund: 'x' })).status).toBe(403);
    expect(
      (
        await b.post('/staff/schliessungen', {
          'from-ms': String(f.clock.now()),
          'to-ms': String(f.clock.now() + 3_600_000),
          counters: '',
          grund: 'x',
          benachrichtigen: '1',
          ersatz: '1',
        })
      ).status,
    ).toBe(403);
  });

  it("a team lead of another office does not see this office's closure", async () => {
    const [closure] = await f.ctx.db.selectFrom('closure').select('id').execute();
    const nord = await loginLead(f, 'nord@stadt.example', 'nord', ['nord']);
    expect((await nord.page(`/staff/schliessungen/${closure!.id}`)).status).toBe(404);
    contains(
      (await nord.page('/staff/schliessungen')).html,
      'Schließungen – Bürgerbüro Nord',
      'Für diesen Standort gab es noch keine Schließung.',
    );
  });

  it('previews a closure of chosen counters for a free period: only the appointments that no longer fit', async () => {
    const res = await lead.post('/staff/schliessungen/vorschau', {
      umfang: 'schalter',
      'schalter-2': '1',
      zeitraum: 'free',
      von: '2026-11-26T08:00',
      bis: '2026-11-26T10:00',
      grund: 'Drucker defekt',
      benachrichtigen: '1',
      ersatz: '1',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    // Two replacements are held at 08:00 on Thursday on two counters; with one counter one of them must go.
    contains(html, 'Schalter 2', '26.11.2026, 08:00 – 10:00', '1 Termin betroffen');
    expect(html).toContain('name="counters" value="2"');
  });
});
