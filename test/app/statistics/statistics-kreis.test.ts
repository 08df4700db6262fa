import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import { readKreisOverview } from '../../../src/app/statistics/statistics-kreis.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { createFixture, type Fixture } from '../../helpers/fixture.ts';
import { generateMonth, type GeneratedMonth } from '../../helpers/statistics-month.ts';
import { testDbKind } from '../../helpers/test-db.ts';
import { applyThreeTowns } from '../../helpers/three-towns.ts';

// Issue #20, "a Kreis overview without personal data": October in Castrop (both offices) and Waltrop,
// nothing in Datteln. Each town's row must equal an independent recomputation from what was written —
// the median wait over all offices of the town, not a median of the offices' medians.

const kreisAdmin: Principal = {
  kind: 'user',
  id: 'kreis',
  label: 'kreis@kreis.example',
  role: 'admin',
  officeIds: [],
  municipalityId: null,
  personalData: false,
};
const berlinDay = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
const inOctober = (ms: number) => berlinDay(ms).startsWith('2026-10');
const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil(p * values.length) - 1] ?? null;

/** The row a town must get, recomputed from its generated months. */
function expected(months: GeneratedMonth[]) {
  const a = months.flatMap((m) => m.appointments);
  const count = (outcome: string) => a.filter((x) => x.outcome === outcome && inOctober(x.outcomeAt)).length;
  const waits = [
    ...a.filter((x) => x.calledAt !== null).map((x) => [x.arrivedAt!, x.calledAt!]),
    ...months.flatMap((m) => m.walkins).map((w) => [w.arrivedAt, w.calledAt]),
  ]
    .filter(([arrived]) => inOctober(arrived!))
    .map(([arrived, called]) => Math.floor((called! - arrived!) / 60_000));
  const served = count('served');
  const noShow = count('no_show');
  return {
    booked: a.filter((x) => inOctober(x.bookedAt)).length,
    served,
    noShow,
    noShowRate: served + noShow > 0 ? noShow / (served + noShow) : null,
    waitMedianMinutes: nearestRank(waits, 0.5),
  };
}

describe(`the Kreis overview on ${testDbKind}`, () => {
  let f: Fixture;
  const months: Record<string, GeneratedMonth[]> = {};
  beforeAll(async () => {
    f = await createFixture();
    await applyThreeTowns(f.ctx);
    const rathaus = ['castrop-personalausweis', 'castrop-reisepass', 'castrop-wohnsitz'] as const;
    const habinghorst = ['castrop-wohnsitz', 'castrop-meldebescheinigung', 'castrop-wohnsitz'] as const;
    const waltrop = ['waltrop-personalausweis', 'waltrop-wohnsitz', 'waltrop-fuehrungszeugnis'] as const;
    months.castrop = [
      await generateMonth(f.ctx.db, '2026-10', { officeId: 'castrop-rathaus', services: [...rathaus], perDay: 6, seed: 1 }),
      await generateMonth(f.ctx.db, '2026-10', { officeId: 'castrop-habinghorst', services: [...habinghorst], perDay: 3, seed: 2 }),
    ];
    months.waltrop = [
      await generateMonth(f.ctx.db, '2026-10', { officeId: 'waltrop-rathaus', services: [...waltrop], perDay: 4, seed: 3 }),
    ];
    await refreshStatistics(f.ctx);
  }, 120_000);
  afterAll(async () => f?.close());

  it('gives every town the sums of its offices, and nothing but counts', async () => {
    const overview = await readKreisOverview(f.ctx, kreisAdmin, { from: '2026-10-01', to: '2026-10-31' });
    const row = (id: string) => overview.towns.find((t) => t.municipalityId === id);
    expect(row('castrop')).toMatchObject({ name: 'Stadt Castrop', offices: 2, ...expected(months.castrop!) });
    expect(row('waltrop')).toMatchObject({ offices: 1, ...expected(months.waltrop!) });
    expect(row('datteln')).toMatchObject({ offices: 2, booked: 0, served: 0, noShow: 0, noShowRate: null, waitMedianMinutes: null });
    expect(overview.total).toMatchObject(expected([...months.castrop!, ...months.waltrop!]));
    // The two Castrop offices really differ, so a median of medians would be caught.
    expect(row('castrop')!.served).toBeGreaterThan(row('waltrop')!.served);
    // Aggregates only: no citizen's name, email or reference anywhere in the answer.
    const text = JSON.stringify(overview);
    const needles = months.castrop!.flatMap((m) => m.appointments.slice(0, 5)).flatMap((a) => [a.name, a.email, a.id]);
    expect(needles.filter((n) => text.includes(n))).toEqual([]);
  });

  it('refuses staff of a town and clerks (their town is on the statistics page)', async () => {
    const townAdmin: Principal = { ...kreisAdmin, municipalityId: 'castrop', officeIds: ['castrop-rathaus', 'castrop-habinghorst'] };
    await expect(readKreisOverview(f.ctx, townAdmin, { from: '2026-10-01', to: '2026-10-31' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const clerk: Principal = { ...kreisAdmin, role: 'clerk' };
    await expect(readKreisOverview(f.ctx, clerk, { from: '2026-10-01', to: '2026-10-31' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
