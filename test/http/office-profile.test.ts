import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #24 item 4: the office pages /standorte/{office}, from the town file — opening hours from the
// staffing plan (a Saturday every second week, Weiberfastnacht from 11:10, Rosenmontag closed),
// directions, public transport and the building's accessibility, German and English.

const erlenbruch = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8');
/** Monday, 25 January 2027, 08:00 in Erlenbruch. */
const MONDAY = Date.parse('2027-01-25T07:00:00Z');

/** The text a person reads: tags gone, white space as one space. */
const text = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html)
    .replace(/<\/?span[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

describe(`office pages (${testDbKind})`, () => {
  let f: Fixture;
  const get = async (url: string, lang = 'de') => f.app.request(url, { headers: { accept: 'text/html', 'accept-language': lang } });

  beforeAll(async () => {
    f = await createFixture({ now: MONDAY });
    await applySetup(f.ctx, erlenbruch, { actor: 'cli' });
    // The fixture's own office belongs to another town, which Erlenbruch's file does not touch (#20):
    // removed here, as a town file would remove it, for the 404 of a removed office below.
    await f.ctx.db
      .updateTable('office')
      .set({ retired_at: new Date(MONDAY) })
      .where('id', '=', 'test')
      .execute();
  });
  afterAll(async () => f?.close());

  it('shows the address, contact, the next two weeks’ hours and the deviating days after them', async () => {
    const res = await get('/standorte/rathaus');
    expect(res.status).toBe(200);
    const page = text(await res.text());
    contains(
      page,
      'Bürgerbüro im Rathaus',
      'Anschrift Markt 1, 47999 Erlenbruch',
      'Telefon 0221 4710-301',
      'E-Mail buergerbuero@erlenbruch.example',
      'Mo., 25.01.2027 (heute) 08:00–12:00 Uhr',
      'Di., 26.01.2027 08:00–12:00 Uhr, 14:00–16:00 Uhr',
      'Do., 28.01.2027 08:00–12:00 Uhr, 14:00–18:00 Uhr',
      'Sa., 30.01.2027 geschlossen',
      'Do., 04.02.2027 08:00–11:10 Uhr (Weiberfastnacht) – sonst 08:00–12:00 Uhr, 14:00–18:00 Uhr',
      'Abweichende Öffnungszeiten danach',
      'Mo., 08.02.2027: geschlossen (Schließtag des Bürgerbüros) – sonst 08:00–12:00 Uhr',
      'Fr., 26.03.2027: geschlossen (Feiertag: Karfreitag) – sonst 08:00–12:00 Uhr',
    );
    // A training week with fewer counters keeps the hours: nothing for citizens to know.
    expect(page).not.toContain('Fortbildung');
    contains(page, 'Mit Bus und Bahn Bus 12 bis „Markt“, Bus 15 bis „Rathaus“.');
    contains(page, 'Barrierefreiheit Stufenloser Eingang Aufzug Barrierefreies WC Induktionsschleife für Hörgeräte');
  });

  it('a Saturday every second week shows on the dates it opens', async () => {
    const page = text(await (await get('/standorte/sued')).text());
    contains(page, 'Sa., 30.01.2027 geschlossen', 'Sa., 06.02.2027 09:00–12:00 Uhr');
  });

  it('says so where the town file states nothing about the building', async () => {
    const page = text(await (await get('/standorte/lindenau')).text());
    contains(page, 'Anfahrt Im alten Schulhaus neben der Kirche.', 'Zur Barrierefreiheit des Gebäudes liegen uns noch keine Angaben vor.');
    expect(page).not.toContain('Mit Bus und Bahn');
  });

  it('in English, with the English texts of the town file', async () => {
    const page = text(await (await get('/standorte/rathaus?lang=en', 'en')).text());
    contains(
      page,
      'Opening hours in the next two weeks',
      'Mon, 25 Jan 2027 (today) 8:00 AM – 12:00 PM',
      'Mon, 8 Feb 2027: closed (the citizens’ office is closed) – usually 8:00 AM – 12:00 PM',
      'By bus and train Bus 12 to "Markt", bus 15 to "Rathaus".',
      'Step-free entrance',
      'Hearing loop',
    );
  });

  it('the booking mail links the office page', async () => {
    const res = await f.app.request('/api/v1/appointments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 'rathaus',
        start: '2027-01-26T09:00:00+01:00',
        services: [{ serviceId: 'meldebescheinigung', persons: 1 }],
        citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
        language: 'de',
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const mail = await f.ctx.db
      .selectFrom('outbox')
      .select(['body_text'])
      .where('recipient', '=', 'erika@example.org')
      .executeTakeFirstOrThrow();
    const link = /Anfahrt, Öffnungszeiten und Barrierefreiheit:?\s*(\S+)/.exec(mail.body_text)?.[1];
    expect(link, mail.body_text).toBe(`${f.ctx.settings.publicUrl}/standorte/rathaus`);
    expect((await get(new URL(link!).pathname)).status).toBe(200);
  });

  it('the list of offices links each office; an unknown or removed office is a 404 page', async () => {
    const list = await (await get('/standorte')).text();
    contains(list, '<a class="kern-link" href="/standorte/lindenau">Bürgerbüro Lindenau</a>, Dorfstraße 8, 47999 Erlenbruch-Lindenau');
    expect(list).not.toContain('/standorte/test"');
    for (const url of ['/standorte/atlantis', '/standorte/test']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      contains(await res.text(), 'Seite nicht gefunden');
    }
  });
});
