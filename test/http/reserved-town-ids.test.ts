import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_TOWN_IDS } from '../../src/app/setup/reserved-town-ids.ts';
import { checkSetupFile } from '../../src/app/setup/town-file.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';

// #20: a town's site may live under /{townId}/, so a town id equal to a path of the pages, the API
// or the devices would hide that path (/buchen of every town answered as the town „buchen“).

describe('town ids that are paths of the site', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => f?.close());

  it('every first path segment a town id could be is reserved (a new page must add its own)', () => {
    const segments = new Set(f.app.routes.map((r) => r.path.split('/')[1] ?? '').filter((s) => /^[a-z0-9-]+$/.test(s)));
    expect([...segments].filter((s) => !RESERVED_TOWN_IDS.has(s)).sort()).toEqual([]);
  });

  it('the town file check refuses such an id at municipality.id, in German and English', () => {
    const kreis = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/kreis.yaml'), 'utf8');
    const problems = checkSetupFile(kreis.replace(/id: waltrop\b/, 'id: buchen').replace(/\bwaltrop\b/g, 'buchen')).problems;
    expect(problems.filter((p) => p.path.endsWith('municipality.id'))).toEqual([
      expect.objectContaining({
        de: '„buchen“ ist ein Pfad der Terminseiten (/buchen): eine Stadt mit dieser Kennung würde ihn verdecken; bitte eine andere Kennung, z. B. den Ortsnamen',
        en: expect.stringContaining('"buchen" is a path of the booking site'),
      }),
    ]);
    expect(checkSetupFile(kreis).problems).toEqual([]);
  });
});
