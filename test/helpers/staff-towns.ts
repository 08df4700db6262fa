import { createFixture, type Fixture } from './fixture.ts';
import { applyThreeTowns } from './three-towns.ts';

// The staff-scope tests' Kreis (issue #20): the three towns of examples/kreis.yaml applied beside the
// usual test town. Town A (Castrop-Rauxel) is the one whose staff probe, town B (Datteln) the one
// whose offices and data they must not reach, town C (Waltrop) a third.

export const TOWN_A = 'castrop';
export const TOWN_B = 'datteln';
export const TOWN_C = 'waltrop';
export const OFFICE_A = 'castrop-rathaus';
export const OFFICE_B = 'datteln-rathaus';
export const OFFICE_C = 'waltrop-rathaus';

export async function createThreeTownFixture(options: Parameters<typeof createFixture>[0] = {}): Promise<Fixture> {
  const f = await createFixture(options);
  await applyThreeTowns(f.ctx);
  return f;
}
