import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { exportSetup } from '../../src/app/setup/export-town-file.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #24 item 1: /leichte-sprache and /gebaerdensprache (BITV 2.0 § 4), linked from every citizen
// page's header; the town file's optional municipality.signLanguageVideoUrl.

const erlenbruch = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8');
const VIDEO = 'https://www.erlenbruch.example/dgs/terminbuchung.mp4';
const withVideo = erlenbruch.replace(
  '  accessibilityUrl: https://www.erlenbruch.example/barrierefreiheit\n',
  `  accessibilityUrl: https://www.erlenbruch.example/barrierefreiheit\n  signLanguageVideoUrl: ${VIDEO}\n`,
);
const MONDAY = Date.parse('2027-01-25T07:00:00Z');

/** The text a person reads: tags gone, white space as one space. */
const text = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const header = (html: string) => /<header[\s\S]*<\/header>/.exec(html)?.[0] ?? '';

describe(`Leichte Sprache and Gebärdensprache pages (${testDbKind})`, () => {
  let f: Fixture;
  const get = async (url: string, lang = 'de') => f.app.request(url, { headers: { accept: 'text/html', 'accept-language': lang } });

  beforeAll(async () => {
    f = await createFixture({ now: MONDAY });
    expect(withVideo).not.toBe(erlenbruch);
    await applySetup(f.ctx, erlenbruch, { actor: 'cli' });
  });
  afterAll(async () => f?.close());

  it('explains the site in Leichte Sprache with the town’s name: book, move, cancel, what to bring', async () => {
    const res = await get('/leichte-sprache');
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    contains(
      page,
      'Leichte Sprache',
      'Das Bürger-Büro gehört zu: Stadt Erlenbruch.',
      'Ein Termin ist eine feste Zeit.',
      'Ein Personal-Ausweis ist eine Karte.',
      'So machen Sie einen Termin',
      'Wählen Sie einen Tag und eine Uhr-Zeit.',
      'So verschieben Sie einen Termin',
      'Klicken Sie auf: Termin verschieben.',
      'So sagen Sie einen Termin ab',
      'Klicken Sie auf: Ja, Termin absagen.',
      'Das bringen Sie mit',
      'Telefon: 0221 4710-301',
    );
    expect(html).toContain('href="/termin-link"');
    expect(html).toContain('href="/standorte/rathaus"');
    // One sentence per line: every line of the text is a paragraph of its own.
    for (const line of html.matchAll(/<p class="easy-read__line">([^<]*)<\/p>/g)) expect(line[1]).toMatch(/^[^.!]*[.:!]$/);
  });

  it('has an English Easy Read version', async () => {
    const res = await get('/leichte-sprache', 'en');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    contains(text(html), 'Easy Read', 'The Citizens Office belongs to: Stadt Erlenbruch.', 'How to cancel an appointment');
  });

  it('without a video, says how to come with an interpreter and how to reach each office', async () => {
    const res = await get('/gebaerdensprache');
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    contains(
      page,
      'Deutsche Gebärdensprache (DGS)',
      'Ein Video in Deutscher Gebärdensprache gibt es für diese Seiten noch nicht.',
      'Mit Dolmetschung zum Termin',
      'Telefon: 0221 4710-301',
      'E-Mail: buergerbuero@erlenbruch.example',
    );
    expect(html).toContain('href="mailto:buergerbuero@erlenbruch.example"');
    expect(html).not.toContain('Video in Deutscher Gebärdensprache ansehen');
    contains(text(await (await get('/gebaerdensprache', 'en')).text()), 'German Sign Language (DGS)', 'Coming with an interpreter');
  });

  it('links the town file’s video once it is set, and export keeps the key', async () => {
    await applySetup(f.ctx, withVideo, { actor: 'cli' });
    try {
      const html = await (await get('/gebaerdensprache')).text();
      expect(html).toContain(`href="${VIDEO}"`);
      contains(text(html), 'Video in Deutscher Gebärdensprache ansehen');
      const exported = await exportSetup(f.ctx);
      expect(exported.municipality.signLanguageVideoUrl).toBe(VIDEO);
      expect((await applySetup(f.ctx, exported, { actor: 'cli' })).changes).toEqual([]);
    } finally {
      await applySetup(f.ctx, erlenbruch, { actor: 'cli' });
    }
    expect(await (await get('/gebaerdensprache')).text()).not.toContain(VIDEO);
  });

  it('every citizen page links both from its header, in German and English', async () => {
    const pages = [
      '/',
      '/buchen?services=personalausweis:1',
      '/standorte',
      '/standorte/rathaus',
      '/barrierefreiheit',
      '/transparenz',
      '/termin-link',
      '/leichte-sprache',
      '/gebaerdensprache',
      '/termin/unbekannt',
    ];
    for (const url of pages) {
      for (const [lang, easy, sign] of [
        ['de', 'Leichte Sprache', 'Gebärdensprache'],
        ['en', 'Easy Read', 'Sign language'],
      ] as const) {
        const res = await get(url, lang);
        expect(res.status, `${url} ${lang}`).toBeLessThan(500);
        const head = header(await res.text());
        expect(head, `${url} ${lang}`).toContain(`<a class="kern-link" href="/leichte-sprache">${easy}</a>`);
        expect(head, `${url} ${lang}`).toContain(`<a class="kern-link" href="/gebaerdensprache">${sign}</a>`);
      }
    }
  });
});
