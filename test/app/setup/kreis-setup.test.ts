import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { applySetup, currentSetupRevision, previewSetupChange, SetupInvalidError } from '../../../src/app/setup/apply-town-file.ts';
import { exportSetup, exportSetupFile, townFileToYaml } from '../../../src/app/setup/export-town-file.ts';
import { readSetupRows } from '../../../src/app/setup/setup-store.ts';
import { checkSetupFile } from '../../../src/app/setup/town-file.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { applyThreeTowns, KREIS_FILE, KREIS_OFFICES, oneTownOfKreis } from '../../helpers/three-towns.ts';

// A Kreis (#20, decision 0014): several towns in one installation, set up by one Kreis file or one
// town file at a time; a town's file never touches another town's rows.

const NOW = Date.parse('2026-12-07T08:00:00Z');

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function context(): Promise<AppContext> {
  database = await createTestDb();
  return createAppContext({
    db: database.db,
    now: () => NOW,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 14 },
  });
}

const problemsOf = (text: string) => checkSetupFile(text).problems.map((p) => ({ path: p.path, de: p.de }));

async function invalid(promise: Promise<unknown>): Promise<{ path: string; de: string }[]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SetupInvalidError);
  return (error as SetupInvalidError).problems.map((p) => ({ path: p.path, de: p.de }));
}

describe('the Kreis file', () => {
  it('applies three towns in one go: a revision per town, each office and service with its town', async () => {
    const ctx = await context();
    const applied = await applyThreeTowns(ctx);
    expect(applied.towns.map((t) => [t.municipalityId, t.applied])).toEqual([
      ['castrop', true],
      ['waltrop', true],
      ['datteln', true],
    ]);
    expect(applied.towns[1]!.changes[0]!.de).toBe('Stadt „Stadt Waltrop“ neu eingerichtet');

    const revisions = await ctx.db.selectFrom('setup_revision').select(['revision', 'municipality_id']).orderBy('revision').execute();
    expect(revisions.map((r) => r.municipality_id)).toEqual(['castrop', 'waltrop', 'datteln']);
    expect(applied.towns.map((t) => t.revision?.revision)).toEqual(revisions.map((r) => r.revision));

    expect(
      await ctx.db
        .selectFrom('municipality')
        .select(['id', 'site_url', 'host_names', 'retention_days', 'neighbours'])
        .orderBy('id')
        .execute(),
    ).toEqual([
      { id: 'castrop', site_url: 'https://termine.castrop.example', host_names: [], retention_days: null, neighbours: ['waltrop'] },
      {
        id: 'datteln',
        site_url: 'https://termine.datteln.example',
        host_names: ['datteln.termine.kreis.example'],
        retention_days: null,
        neighbours: ['waltrop'],
      },
      {
        id: 'waltrop',
        site_url: 'https://termine.waltrop.example',
        host_names: [],
        retention_days: 60,
        neighbours: ['castrop', 'datteln'],
      },
    ]);
    const offices = await ctx.db.selectFrom('office').select(['id', 'municipality_id']).orderBy('id').execute();
    for (const [town, ids] of Object.entries(KREIS_OFFICES))
      expect(offices.filter((o) => o.municipality_id === town).map((o) => o.id)).toEqual(ids);
    const services = await ctx.db.selectFrom('service').select(['id', 'municipality_id']).execute();
    expect(services.every((s) => s.id.startsWith(`${s.municipality_id}-`))).toBe(true);
    expect(services).toHaveLength(10);
    // Capacity for every town's offices.
    const planned = await ctx.db.selectFrom('capacity_unit').select('office_id').distinct().orderBy('office_id').execute();
    expect(planned.map((p) => p.office_id)).toEqual(Object.values(KREIS_OFFICES).flat().sort());
  });

  it('applying it again, its export, and each town’s export change nothing', async () => {
    const ctx = await context();
    await applyThreeTowns(ctx);
    const again = await applySetup(ctx, KREIS_FILE, { actor: 'test' });
    expect(again.applied).toBe(false);
    expect(again.changes).toEqual([]);

    const kreis = await exportSetupFile(ctx);
    expect('municipalities' in kreis && kreis.municipalities.map((m) => m.municipality.id)).toEqual(['castrop', 'datteln', 'waltrop']);
    expect((await applySetup(ctx, townFileToYaml(kreis), { actor: 'test' })).changes).toEqual([]);
    for (const town of ['castrop', 'waltrop', 'datteln']) {
      const doc = await exportSetup(ctx, town);
      expect(doc.municipality.id).toBe(town);
      expect((await applySetup(ctx, townFileToYaml(doc), { actor: 'test' })).changes).toEqual([]);
      expect((await applySetup(ctx, doc, { actor: 'test' })).applied).toBe(false);
    }
    expect(await ctx.db.selectFrom('setup_revision').select('revision').execute()).toHaveLength(3);
  });

  it('exports one town with its new keys; without a town named, several towns must be told apart', async () => {
    const ctx = await context();
    await applyThreeTowns(ctx);
    const waltrop = await exportSetup(ctx, 'waltrop');
    expect(waltrop.municipality).toMatchObject({
      siteUrl: 'https://termine.waltrop.example',
      retentionDays: 60,
      neighbours: ['castrop', 'datteln'],
    });
    expect(waltrop.municipality.hostNames).toBeUndefined();
    expect(waltrop.offices.map((o) => o.id)).toEqual(['waltrop-rathaus']);
    expect(waltrop.services.map((s) => s.id)).toEqual(['waltrop-personalausweis', 'waltrop-wohnsitz', 'waltrop-fuehrungszeugnis']);
    await expect(exportSetup(ctx)).rejects.toMatchObject({ code: 'municipality_required' });
    await expect(exportSetup(ctx, 'herne')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('one town’s file changes that town only: the other towns’ rows and revisions stay as they were', async () => {
    const ctx = await context();
    await applyThreeTowns(ctx);
    const before = { waltrop: await readSetupRows(ctx.db, 'waltrop'), datteln: await readSetupRows(ctx.db, 'datteln') };
    const changed = oneTownOfKreis('castrop', (text) =>
      text
        // Habinghorst closes: the last office block of the file.
        .slice(0, text.indexOf('  - id: castrop-habinghorst'))
        .replace('feeCents: 7000', 'feeCents: 8000'),
    );
    const result = await applySetup(ctx, changed, { actor: 'test' });
    expect(result.applied).toBe(true);
    expect(result.towns.map((t) => t.municipalityId)).toEqual(['castrop']);
    expect(result.changes.map((c) => c.en)).toEqual([
      'service "Apply for a passport" changed: fee_cents',
      'office "Stadtteilbüro Habinghorst" removed',
    ]);
    expect(await readSetupRows(ctx.db, 'waltrop')).toEqual(before.waltrop);
    expect(await readSetupRows(ctx.db, 'datteln')).toEqual(before.datteln);
    expect(
      await ctx.db.selectFrom('office').select(['id', 'retired_at']).where('retired_at', 'is not', null).orderBy('id').execute(),
    ).toEqual([{ id: 'castrop-habinghorst', retired_at: new Date(NOW) }]);
    const revisions = await ctx.db.selectFrom('setup_revision').select(['municipality_id']).orderBy('revision').execute();
    expect(revisions.map((r) => r.municipality_id)).toEqual(['castrop', 'waltrop', 'datteln', 'castrop']);
    expect((await currentSetupRevision(ctx, 'waltrop'))?.revision).toBeLessThan((await currentSetupRevision(ctx, 'castrop'))!.revision);
    // The Kreis file still holds Habinghorst: applying it brings the office back and changes nothing else.
    const back = await applySetup(ctx, KREIS_FILE, { actor: 'test' });
    expect(back.towns.map((t) => [t.municipalityId, t.applied])).toEqual([
      ['castrop', true],
      ['waltrop', false],
      ['datteln', false],
    ]);
  });

  it('a one-town file cannot take another town’s office or service id', async () => {
    const ctx = await context();
    await applyThreeTowns(ctx);
    const thief = oneTownOfKreis('waltrop', (text) => text.replace('id: waltrop-rathaus', 'id: datteln-rathaus'));
    expect(await invalid(applySetup(ctx, thief, { actor: 'test' }))).toEqual([
      { path: 'offices[0].id', de: 'Die Kennung „datteln-rathaus“ gehört schon einem Standort der Stadt datteln' },
    ]);
  });

  it('a one-town file may name as neighbour a town set up before, not one that is nowhere', async () => {
    const ctx = await context();
    // Town by town, the first towns cannot name the later ones yet.
    const alone = (text: string) => text.replace(/\n {2}neighbours: .*\n/, '\n');
    await applySetup(ctx, oneTownOfKreis('datteln', alone), { actor: 'test' });
    const waltrop = oneTownOfKreis('waltrop');
    expect(await invalid(applySetup(ctx, waltrop, { actor: 'test' }))).toEqual([
      {
        path: 'municipality.neighbours[0]',
        de: '„castrop“ ist keine Stadt dieser Datei und keine, die hier schon eingerichtet ist',
      },
    ]);
    await applySetup(ctx, oneTownOfKreis('castrop', alone), { actor: 'test' });
    expect((await applySetup(ctx, waltrop, { actor: 'test' })).applied).toBe(true);
    // Now the Kreis file only adds the first two towns' neighbours.
    const preview = await previewSetupChange(ctx, KREIS_FILE);
    expect(preview.towns.map((t) => [t.municipalityId, t.changes.map((c) => c.en)])).toEqual([
      ['castrop', ['municipality "Stadt Castrop" changed: neighbours']],
      ['waltrop', []],
      ['datteln', ['municipality "Stadt Datteln" changed: neighbours']],
    ]);
  });
});

describe('checking a Kreis file', () => {
  it('examples/kreis.yaml passes', () => {
    expect(checkSetupFile(KREIS_FILE).problems).toEqual([]);
    expect(checkSetupFile(KREIS_FILE).file?.towns.map((t) => t.municipality.id)).toEqual(['castrop', 'waltrop', 'datteln']);
  });

  it('ids of towns, offices and services and host names are unique across the whole file', () => {
    const text = KREIS_FILE.replace('id: waltrop-rathaus', 'id: castrop-rathaus')
      .replace('id: datteln-wohnsitz', 'id: waltrop-wohnsitz')
      .replace('id: datteln\n', 'id: castrop\n')
      .replace('hostNames: [datteln.termine.kreis.example]', 'hostNames: [termine.waltrop.example]');
    expect(problemsOf(text)).toEqual([
      {
        path: 'municipalities[1].offices[0].id',
        de: 'Den Standort „castrop-rathaus“ gibt es in dieser Datei schon (municipalities[0].offices[0]); Kennungen gelten für die ganze Installation',
      },
      {
        path: 'municipalities[2].municipality.id',
        de: 'Die Stadt „castrop“ gibt es in dieser Datei schon (municipalities[0]); Kennungen gelten für die ganze Installation',
      },
      {
        path: 'municipalities[2].municipality.hostNames[0]',
        de: 'Der Hostname „termine.waltrop.example“ gehört schon zu municipalities[1].municipality.siteUrl: ein Host wählt genau eine Stadt',
      },
      {
        path: 'municipalities[2].services[2].id',
        de: 'Die Dienstleistung „waltrop-wohnsitz“ gibt es in dieser Datei schon (municipalities[1].services[1]); Kennungen gelten für die ganze Installation',
      },
      // A town's offices offer its own services only.
      { path: 'municipalities[2].offices[1].services[1]', de: '„datteln-wohnsitz“ ist keine Dienstleistung dieser Datei' },
    ]);
  });

  it('a town’s own mistakes are at its entry; a town is not its own neighbour; a host name is a name', () => {
    const text = KREIS_FILE.replace('neighbours: [castrop, datteln]', 'neighbours: [waltrop, castrop, castrop]')
      .replace('hostNames: [datteln.termine.kreis.example]', 'hostNames: ["https://datteln.example/termine"]')
      .replace('retentionDays: 60', 'retentionDays: 0')
      .replace('{ days: [wed], from: "14:00", to: "17:00"', '{ days: [wed], from: "14:00", to: "17:03"');
    expect(problemsOf(text)).toEqual([
      { path: 'municipalities[1].municipality.retentionDays', de: 'muss mindestens 1 sein, nicht 0' },
      {
        path: 'municipalities[1].municipality.neighbours[0]',
        de: '„waltrop“ ist die Stadt selbst: Nachbarn sind die anderen Städte des Kreises',
      },
      { path: 'municipalities[1].municipality.neighbours[2]', de: '„castrop“ steht schon in neighbours[1]' },
      {
        path: 'municipalities[1].offices[0].hours[1].to',
        de: '„17:03“ liegt nicht im 5-Minuten-Raster der Termine (z. B. 17:00)',
      },
      {
        path: 'municipalities[2].municipality.hostNames[0]',
        de: '„https://datteln.example/termine“ ist kein Hostname (nur der Name wie termine.castrop-rauxel.de, ohne https:// und ohne Pfad)',
      },
    ]);
  });

  it('municipality and municipalities exclude each other; an unknown key in a town is named with its place', () => {
    expect(problemsOf(`municipality: { id: x }\n${KREIS_FILE.replace('version: 1\n', '')}`)).toEqual([
      {
        path: 'municipality',
        de: 'municipality und municipalities schließen sich aus: eine Stadtdatei hat municipality, eine Kreisdatei municipalities (eine Liste von Städten)',
      },
    ]);
    expect(problemsOf(KREIS_FILE.replace('      retentionDays: 60', '      retentionDay: 60'))).toEqual([
      { path: 'municipalities[1].municipality.retentionDay', de: 'unbekannter Schlüssel „retentionDay“; gemeint ist wohl „retentionDays“' },
    ]);
  });
});
