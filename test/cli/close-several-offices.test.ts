import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCloseCommand } from '../../src/cli/close-command.ts';
import { bookConfirmed } from '../helpers/counter.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Issue #20: the story's data-centre failure hit every town of the Kreis. `schalter close` closes
// several offices at once — named, by town, or all — and checks every name before closing any.

describe(`schalter close for several offices (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    await addOfficeNord(f);
    for (const id of ['altstadt', 'neudorf'])
      await f.ctx.db
        .insertInto('municipality')
        .values({ id, name: `Stadt ${id}`, mail_from: `buergerbuero@${id}.example`, imprint_url: '', privacy_url: '' })
        .execute();
    await f.ctx.db.updateTable('office').set({ municipality_id: 'altstadt' }).where('id', '=', 'test').execute();
    await f.ctx.db.updateTable('office').set({ municipality_id: 'neudorf' }).where('id', '=', 'nord').execute();
    await bookConfirmed(f, '2026-11-26T09:00:00+01:00', { officeId: 'test' });
    await bookConfirmed(f, '2026-11-26T09:00:00+01:00', { officeId: 'nord' });
  });
  afterAll(async () => f?.close());

  const close = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCloseCommand(args, {
      out: (t) => (out += t),
      err: (t) => (err += t),
      isTty: false,
      open: async () => ({ ctx: f.ctx, close: async () => {} }),
    });
    return { code, out, err };
  };
  const closures = async () => (await f.ctx.db.selectFrom('closure').select(['office_id']).execute()).map((c) => c.office_id).sort();
  const window = ['--from', '2026-11-26', '--to', '2026-11-26', '--reason', 'Störung im Rechenzentrum'];

  it('refuses unclear or wrong names before closing anything (exit 2)', async () => {
    const typo = await close('--office', 'test,nrod', ...window);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('nrod');
    const both = await close('--office', 'test', '--all', ...window);
    expect([both.code, both.err]).toEqual([2, expect.stringContaining('exactly one of --office, --municipality or --all')]);
    const none = await close(...window);
    expect(none.code).toBe(2);
    const town = await close('--municipality', 'altstdt', ...window);
    expect([town.code, town.err]).toEqual([2, expect.stringContaining('unknown municipality: altstdt (known: altstadt, neudorf)')]);
    const counters = await close('--all', '--counters', '1', ...window);
    expect([counters.code, counters.err]).toEqual([2, expect.stringContaining('--counters needs exactly one office')]);
    expect(await closures()).toEqual([]);
  });

  it('previews one town, then closes every office of the installation', async () => {
    const preview = await close('--municipality', 'neudorf', '--preview', ...window);
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.out)).toMatchObject({ appointments: 1 });
    const both = await close('--office', 'test,nord', '--preview', ...window);
    expect(
      both.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { officeId: string; appointments: number }),
    ).toEqual([
      expect.objectContaining({ officeId: 'test', appointments: 1 }),
      expect.objectContaining({ officeId: 'nord', appointments: 1 }),
    ]);
    expect(both.err).toContain('Zusammen / together (2 Standorte / offices): 2 Termine betroffen');
    expect(await closures()).toEqual([]);

    const all = await close('--all', ...window);
    expect(all.code, all.err).toBe(0);
    expect(all.out.trim().split('\n')).toHaveLength(2);
    expect(await closures()).toEqual(['nord', 'test']);
    // Both offices stopped taking bookings before the first person was told.
    expect(all.err.indexOf('Kapazität entfernt')).toBeLessThan(all.err.indexOf('Fertig / done'));
    expect(all.err).toContain('Bürgerbüro Nord: Schließung / closure');
    const open = await f.ctx.db.selectFrom('appointment').select('office_id').where('status', '=', 'confirmed').execute();
    expect(open).toEqual([]);
  });
});
