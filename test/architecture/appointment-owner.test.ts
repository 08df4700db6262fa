import { describe, expect, it } from 'vitest';
import { inserts, outside, sourceFiles, updates } from './source-writers.ts';

// Appointment rows have one owner (#16 item 1): src/app/appointments/appointment-rows.ts inserts
// every appointment with its services and first event, and moves every status together with its
// event. Two writers are exempt by design:
// - src/db/booking-statement.ts: the one-statement booking. Its SQL text is a named prepared
//   statement (plans are cached by its text, test/db/booking-statement.test.ts counts them), so it
//   keeps its own INSERTs; the row it inserts comes from appointmentRow in the owner.
// - src/sync/feed-puller.ts: the branch mirror copies the central rows (services included) as they
//   are; the events stay on the central server, where they were written.
const OWNER = 'src/app/appointments/appointment-rows.ts';
const EXEMPT = ['src/db/booking-statement.ts', 'src/sync/feed-puller.ts'];

describe('appointment rows have one owner', () => {
  const files = sourceFiles();

  it('only the owner inserts appointments, their services and their events', () => {
    const tables = ['appointment', 'appointment_service', 'appointment_event'];
    expect(tables.flatMap((table) => outside(inserts(files, table), [OWNER, ...EXEMPT]))).toEqual([]);
    // The scan sees the owner's own statements: a pattern that matched nothing would pass vacuously.
    expect(inserts(files, 'appointment').map((h) => h.path)).toContain(OWNER);
    expect(inserts(files, 'appointment').map((h) => h.path)).toContain('src/db/booking-statement.ts');
    expect(inserts(files, 'appointment_event').map((h) => h.path)).toContain(OWNER);
  });

  it("only the owner changes an appointment's status (and with it writes the event)", () => {
    expect(outside(updates(files, 'appointment', 'status'), [OWNER, ...EXEMPT])).toEqual([]);
    expect(updates(files, 'appointment', 'status').map((h) => h.path)).toContain(OWNER);
    // Updates of other columns stay where they are (a new manage link, anonymising, wrong codes).
    expect(updates(files, 'appointment').map((h) => h.path)).toContain('src/app/statistics/apply-retention.ts');
  });
});
