import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../src/app/setup/apply-town-file.ts';
import { invalidateCatalogue } from '../src/app/shared/catalogue.ts';
import { legalLinksWarning, startupLegalWarning } from '../src/startup-warnings.ts';
import { createFixture, type Fixture } from './helpers/fixture.ts';
import { testDbKind } from './helpers/test-db.ts';

// #24 item 8: a public body's site must link its Impressum and privacy notice; the start-up says so
// when neither the town file nor the environment gives them. And the pages show the town file's.

describe(`the start-up warning about legal links (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f?.close());

  it('without a town file and without SCHALTER_IMPRINT_URL / SCHALTER_PRIVACY_URL: one line, German and English', async () => {
    expect(await startupLegalWarning(f.ctx, {})).toBe(
      'Warnung: kein Impressum und keine Datenschutzerklärung eingerichtet – die Seiten einer Behörde müssen beide verlinken ' +
        '(Stadtdatei oder Umgebung: municipality.imprintUrl / SCHALTER_IMPRINT_URL, municipality.privacyUrl / SCHALTER_PRIVACY_URL). / ' +
        "Warning: no imprint (Impressum) and no privacy notice (Datenschutz) configured – a public body's site must link both " +
        '(town file or environment: municipality.imprintUrl / SCHALTER_IMPRINT_URL, municipality.privacyUrl / SCHALTER_PRIVACY_URL).',
    );
    expect(await startupLegalWarning(f.ctx, { imprintUrl: 'https://stadt.example/impressum' })).toMatch(
      /^Warnung: keine Datenschutzerklärung eingerichtet – die Seiten einer Behörde müssen es verlinken .* \/ Warning: no privacy notice \(Datenschutz\) configured/,
    );
    expect(await startupLegalWarning(f.ctx, { imprintUrl: 'https://stadt.example/i', privacyUrl: 'https://stadt.example/d' })).toBeNull();
    expect(legalLinksWarning([])).toBeNull();
  });

  it('a town file has both: no warning, and the citizen pages link the town file’s pages', async () => {
    const file = fs.readFileSync(path.resolve(import.meta.dirname, '../examples/erlenbruch.yaml'), 'utf8');
    await applySetup(f.ctx, file, { actor: 'cli' });
    invalidateCatalogue(f.ctx.db);
    expect(await startupLegalWarning(f.ctx, {})).toBeNull();
    const page = await (await f.app.request('/', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('href="https://www.erlenbruch.example/impressum"');
    expect(page).toContain('href="https://www.erlenbruch.example/datenschutz"');
  });
});
