import { describe, expect, it } from 'vitest';
import { deletes, inserts, outside, sourceFiles, updates } from './source-writers.ts';

// Holds have one owner (#16 item 1): src/app/appointments/holds.ts creates, confirms, releases and
// decides them for the closure's replacement offers and for the waiting list alike, and is the only
// module that writes replacement_offer. No exemptions: the branch mirror does not carry offers.
const OWNER = 'src/app/appointments/holds.ts';

describe('holds have one owner', () => {
  const files = sourceFiles();

  it('only the owner inserts, updates or deletes replacement offers', () => {
    const writes = [...inserts(files, 'replacement_offer'), ...updates(files, 'replacement_offer'), ...deletes(files, 'replacement_offer')];
    expect(outside(writes, [OWNER])).toEqual([]);
    // The scan sees the owner's own statements: a pattern that matched nothing would pass vacuously.
    expect(inserts(files, 'replacement_offer').map((h) => h.path)).toEqual([OWNER]);
    expect(updates(files, 'replacement_offer').map((h) => h.path)).toEqual([OWNER]);
  });
});
