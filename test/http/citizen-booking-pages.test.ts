import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateCatalogue } from '../../src/app/shared/catalogue.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { bookingForm, contains, html, postForm, tokenFrom } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The citizen pages as a browser without JavaScript sees them: forms, 303 redirects, HTML.

const THU_0900 = '2026-11-26T09:00:00+01:00';
const form = bookingForm;

describe(`citizen booking pages on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
  });
  afterAll(async () => f.close());

  it('the start page lists each service with duration, fee and documents, in German by default', async () => {
    const page = await html(f.app.request('/'));
    contains(page, '<html lang="de">');
    contains(page, 'Lang');
    contains(page, '37,00 € pro Person');
    contains(page, 'Passfoto');
    contains(page, 'Dieses Anliegen können Sie nicht online buchen');
    expect(page).toMatch(/<link rel="stylesheet" href="\/static\/schalter\.[0-9a-f]{12}\.css"/);
  });

  it('speaks English by Accept-Language, and ?lang=en switches and remembers it in a cookie', async () => {
    expect(await html(f.app.request('/', { headers: { 'accept-language': 'en-GB,en;q=0.8' } }))).toContain('<html lang="en">');
    const switched = await f.app.request('/?lang=en');
    expect(switched.headers.get('set-cookie')).toMatch(/^lang=en;.*Path=\//);
    const page = await switched.text();
    contains(page, '€37.00 per person');
    contains(page, 'href="/?lang=de"');
    contains(await html(f.app.request('/', { headers: { cookie: 'lang=en' } })), '<html lang="en">');
  });

  it('choosing no service shows an error summary that links to the field', async () => {
    const res = await f.app.request('/buchen?p_short=0&p_long=0');
    expect(res.status).toBe(422);
    const page = await res.text();
    contains(page, '<title>Fehler: Termin buchen');
    expect(page).toMatch(/class="kern-alert kern-alert--danger error-summary" role="alert"[^>]*autofocus/);
    contains(page, 'href="#anliegen-short">Bitte wählen Sie mindestens ein Anliegen aus.</a>');
  });

  it('choosing services redirects to the calendar step with the choice in the link', async () => {
    const res = await f.app.request('/buchen?p_short=2&p_long=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/buchen/termin?services=short%3A2%2Clong');
  });

  it('the calendar step shows the earliest free time first, the month, and the times of that day', async () => {
    const page = await html(f.app.request('/buchen/termin?services=short:2,long'));
    // The fixture's clock stands at 08:00 sharp: a start at this very instant has begun, so 08:05 is the first.
    contains(page, 'Mi., 25.11.2026, 08:05 Uhr im Testamt');
    contains(page, '<caption>November 2026</caption>');
    contains(page, 'aria-label="Donnerstag, 26. November 2026, freie Termine">26</a>');
    contains(page, 'Freie Uhrzeiten am Mittwoch, 25. November 2026');
    contains(page, 'Dauer insgesamt</dt><dd class="kern-description-list-item__value">40 Minuten');
    contains(page, 'Gebühren insgesamt</dt><dd class="kern-description-list-item__value">37,00 €');
  });

  it('without any free time it is a clear dead end that says when the next release happens', async () => {
    // An office whose only service has no staffed hours: nothing is ever free there.
    await f.database.db
      .insertInto('office')
      .values({ municipality_id: 'test', id: 'leer', name: 'Außenstelle', address: 'Feldweg 1', phone: null, email: null })
      .execute();
    await f.database.db
      .insertInto('service')
      .values({ municipality_id: 'test', id: 'selten', name_de: 'Selten', name_en: 'Rare', duration_minutes: 10, fee_cents: null })
      .execute();
    await f.database.db.insertInto('office_service').values({ office_id: 'leer', service_id: 'selten' }).execute();
    await f.database.db
      .insertInto('release_policy')
      .values({
        office_id: 'leer',
        release_weekday: 1,
        release_time: '07:00',
        horizon_days: 14,
        same_day_share: 0.2,
        same_day_release_time: '07:30',
        phone_share: 0,
        min_lead_minutes: 0,
      })
      .execute();
    invalidateCatalogue(f.database.db);
    const page = await html(f.app.request('/buchen/termin?services=selten'));
    contains(
      page,
      'Zurzeit sind keine Termine frei',
      'Neue Termine werden am Montag, 30. November 2026, 07:00 Uhr freigeschaltet.',
      'jeden Morgen ab 07:30 Uhr',
    );
    expect(page).not.toContain('<table class="calendar"');
  });

  it('books without JavaScript: POST, 303 to a confirmation with reference, calendar file and manage link', async () => {
    const res = await postForm(f.app, '/buchen/angaben', form(THU_0900), { 'x-test-client': 'booker-1' });
    expect(res.status).toBe(303);
    const token = tokenFrom(res.headers.get('location'));
    expect(res.headers.get('location')).toBe(`/termin/${token}/gebucht`);
    const page = await html(f.app.request(`/termin/${token}/gebucht`));
    contains(page, 'Fast geschafft: Bitte bestätigen Sie Ihren Termin');
    expect(page).toMatch(/Buchungsnummer<\/dt><dd[^>]*>[A-Z0-9]{3}-[A-Z0-9]{3}</);
    contains(page, 'Do., 26.11.2026, 09:00 Uhr – 09:10 Uhr');
    contains(page, `href="/termin/${token}/termin.ics"`);
    contains(page, `http://schalter.test/termin/${token}`);
    contains(page, '<meta name="robots" content="noindex, nofollow"/>');
    // The kiosk scans the reference from a QR code on this page.
    const reference = /Buchungsnummer<\/dt><dd[^>]*>([A-Z0-9]{3}-[A-Z0-9]{3})</.exec(page)![1]!;
    contains(page, `aria-label="QR-Code mit der Buchungsnummer ${reference}"`, '<svg xmlns="http://www.w3.org/2000/svg"');
    expect(await loadOf(f, THU_0900)).toBe(1);
  });

  it('keeps every entered value and lists each problem with a link to its field', async () => {
    const res = await postForm(
      f.app,
      '/buchen/angaben',
      form('2026-11-26T09:30:00+01:00', { name: '', email: 'erika@', phone: '12', terms: '' }),
    );
    expect(res.status).toBe(422);
    const page = await res.text();
    for (const field of ['name', 'email', 'phone', 'terms']) contains(page, `href="#${field}"`);
    contains(page, 'value="erika@"');
    contains(page, 'value="12"');
    contains(page, 'aria-invalid="true"');
    expect(await loadOf(f, '2026-11-26T09:30:00+01:00')).toBe(0);
  });

  it('when the time was taken meanwhile, says so, offers the nearest free times and keeps the form', async () => {
    const start = '2026-11-26T10:00:00+01:00';
    await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start,
      services: [{ serviceId: 'short' }],
      citizen: { name: 'Quick', phone: '0221 4710 1' },
    });
    const res = await postForm(f.app, '/buchen/angaben', form(start, { name: 'Max Slow' }), { 'x-test-client': 'slow' });
    expect(res.status).toBe(409);
    const page = await res.text();
    contains(page, 'Dieser Termin ist leider nicht mehr frei');
    contains(page, 'value="Max Slow"');
    contains(page, 'name="taken" value="2026-11-26T10:00:00+01:00"');
    const offered = [...page.matchAll(/type="radio" name="start" id="[^"]+" value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual([
      '2026-11-26T09:40:00+01:00',
      '2026-11-26T09:45:00+01:00',
      '2026-11-26T09:50:00+01:00',
      '2026-11-26T10:10:00+01:00',
      '2026-11-26T10:15:00+01:00',
      '2026-11-26T10:20:00+01:00',
    ]);

    const unchosen = await postForm(f.app, '/buchen/angaben', form('', { taken: start, name: 'Max Slow' }), { 'x-test-client': 'slow' });
    expect(unchosen.status).toBe(422);
    expect(await unchosen.text()).toContain('Bitte wählen Sie eine Zeit aus.');

    const chosen = await postForm(f.app, '/buchen/angaben', form('2026-11-26T10:10:00+01:00', { taken: start, name: 'Max Slow' }), {
      'x-test-client': 'slow',
    });
    expect(chosen.status).toBe(303);
    expect(await loadOf(f, '2026-11-26T10:10:00+01:00')).toBe(1);
  });

  it('limits bookings without the proof of work to 5 per hour and address', async () => {
    const starts = ['11:00', '11:10', '11:20', '11:30', '11:40', '11:50'].map((t) => `2026-11-27T${t}:00+01:00`);
    const statuses: number[] = [];
    for (const start of starts)
      statuses.push((await postForm(f.app, '/buchen/angaben', form(start), { 'x-test-client': 'script' })).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    const refused = await postForm(f.app, '/buchen/angaben', form(starts[5]!), { 'x-test-client': 'script' });
    expect(await refused.text()).toContain('viele Buchungen ohne JavaScript');
    expect(await loadOf(f, starts[5]!)).toBe(0);
    expect((await postForm(f.app, '/buchen/angaben', form(starts[5]!), { 'x-test-client': 'neighbour' })).status).toBe(303);
    f.clock.advance(61 * 60_000);
    expect((await postForm(f.app, '/buchen/angaben', form('2026-11-30T08:00:00+01:00'), { 'x-test-client': 'script' })).status).toBe(303);
  });

  describe('with the ALTCHA proof of work', () => {
    let app: Fixture['app'];
    beforeAll(() => {
      app = createHttpApp({
        ctx: f.ctx,
        dbKind: f.database.kind,
        rateLimitPerMinute: null,
        pages: { altchaHmacKey: 'k'.repeat(32), altchaCost: 1, altchaCounter: [5, 10], fallbackBookingsPerHour: 0 },
      });
    });

    async function solvedPayload(): Promise<string> {
      const challenge = (await (await app.request('/buchen/pruefung')).json()) as Challenge;
      const solution = await solveChallenge({ challenge, deriveKey });
      return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
    }

    it('serves a signed challenge that expires, never cached', async () => {
      const res = await app.request('/buchen/pruefung');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const challenge = (await res.json()) as Challenge;
      expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 1 });
      expect(challenge.parameters.expiresAt! * 1000).toBeGreaterThan(Date.now());
      expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    });

    it('accepts a solved challenge once; a replayed or forged one is refused', async () => {
      const payload = await solvedPayload();
      const ok = await postForm(app, '/buchen/angaben', { ...form('2026-11-30T09:00:00+01:00'), altcha: payload });
      expect(ok.status).toBe(303);
      const replay = await postForm(app, '/buchen/angaben', { ...form('2026-11-30T09:30:00+01:00'), altcha: payload });
      expect(replay.status).toBe(422);
      expect(await replay.text()).toContain('Die automatische Prüfung gegen Missbrauch hat nicht geklappt');
      const forged = await postForm(app, '/buchen/angaben', {
        ...form('2026-11-30T09:30:00+01:00'),
        altcha: Buffer.from('{"challenge":{"parameters":{"nonce":"x"}},"solution":{"counter":1}}').toString('base64'),
      });
      expect(forged.status).toBe(422);
      expect(await loadOf(f, '2026-11-30T09:30:00+01:00')).toBe(0);
    });
  });

  it("links the municipality's imprint and privacy pages in every footer, and the accessibility statement", async () => {
    const app = createHttpApp({
      ctx: f.ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      pages: { imprintUrl: 'https://musterstadt.example/impressum', privacyUrl: 'https://musterstadt.example/datenschutz' },
    });
    const start = await html(app.request('/'));
    contains(
      start,
      'href="https://musterstadt.example/impressum">Impressum</a>',
      'href="https://musterstadt.example/datenschutz">Datenschutz</a>',
      'href="/barrierefreiheit">Barrierefreiheit</a>',
    );
    const details = await html(app.request('/buchen/angaben?services=short&office=test&start=2026-11-30T10%3A00%3A00%2B01%3A00'));
    contains(details, 'href="https://musterstadt.example/datenschutz">Datenschutzhinweise lesen</a>');
    const statement = await html(app.request('/barrierefreiheit'));
    contains(
      statement,
      'Erklärung zur Barrierefreiheit',
      'innerhalb von 30 Minuten',
      '<a class="kern-link" href="/standorte/test">Testamt</a>, Teststraße 1, 12345 Teststadt',
    );
    // Unconfigured links are left out rather than pointing nowhere.
    expect(await html(f.app.request('/'))).not.toContain('Impressum');
  });

  it('serves the stylesheet from our origin, compressed, cached for a year', async () => {
    const page = await html(f.app.request('/'));
    const css = /href="(\/static\/schalter\.[0-9a-f]+\.css)"/.exec(page)![1]!;
    const res = await f.app.request(css, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const plain = await (await f.app.request(css)).text();
    const font = /url\("(\/static\/kern-[\d.]+\/fonts\/fira-sans\/FiraSans-Regular\.woff2)"\)/.exec(plain)![1]!;
    expect((await f.app.request(font)).headers.get('content-type')).toBe('font/woff2');
    expect((await f.app.request('/static/kern-2.7.2/fonts/../../package.json')).status).toBe(404);
  });
});
