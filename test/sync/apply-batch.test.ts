import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { formatHlc } from '../../src/domain/hlc.ts';
import { applyJournalEntries, enrollBranch, type EnrolledBranch } from '../../src/sync/central-apply.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { addBranchClerk, BRANCH_CLERK } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// The central side applies a branch's journal a batch at a time, first without a savepoint per entry.
// One refused entry in the middle must not cost the entries around it: the batch is applied again
// with savepoints, the refused one becomes a Klärfall, the others stand, each exactly once.

const at = (hhmm: string) => `2026-11-25T${hhmm}:00+01:00`;

describe(`applying a journal batch with a refused entry in the middle (${testDbKind})`, () => {
  let f: Fixture;
  let branch: EnrolledBranch;

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 10, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    await addBranchClerk(f);
    const { branchId } = await enrollBranch(f.ctx, { officeId: 'test', actor: 'test' });
    branch = { id: branchId, officeId: 'test', name: 'Zweigstelle' };
    f.clock.set(Date.parse(at('10:40')));
  });
  afterAll(async () => f?.close());

  it('keeps the applied entries around the refusal and records the refusal as a Klärfall', async () => {
    const walkin = (hhmm: string): CounterCommand => ({
      type: 'walkin.issue',
      officeId: 'test',
      payload: { serviceId: 'short', ticketId: newEntityId(f.ctx) },
      actor: BRANCH_CLERK,
      at: at(hhmm),
    });
    const commands: CounterCommand[] = [
      walkin('10:01'),
      {
        type: 'document.hand_out',
        officeId: 'test',
        payload: { orderNumber: 'PA-0000', recipient: 'holder' },
        actor: BRANCH_CLERK,
        at: at('10:02'),
      },
      walkin('10:03'),
    ];
    const entries = commands.map((command, i) => ({
      opId: newEntityId(f.ctx),
      branchId: branch.id,
      seq: i + 1,
      hlc: formatHlc({ wall: Date.parse(command.at), counter: 0 }),
      command,
    }));
    const { results, highWater } = await applyJournalEntries(f.ctx, branch, entries);
    expect(results.map((r) => r.status)).toEqual(['applied', 'conflict', 'applied']);
    expect(highWater).toBe(3);
    const counts = await sql<{ tickets: string; ops: string; items: string }>`
      SELECT (SELECT count(*) FROM ticket WHERE kind = 'walkin') AS tickets, (SELECT count(*) FROM sync_applied_op) AS ops, (SELECT count(*) FROM sync_work_item) AS items`.execute(
      f.ctx.db,
    );
    expect(counts.rows[0]).toEqual({ tickets: '2', ops: '3', items: '1' });
    // Sent again (a lost answer): all duplicates, nothing applied twice.
    const again = await applyJournalEntries(f.ctx, branch, entries);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const tickets = await sql<{ n: string }>`SELECT count(*) AS n FROM ticket WHERE kind = 'walkin'`.execute(f.ctx.db);
    expect(tickets.rows[0]!.n).toBe('2');
  });
});
