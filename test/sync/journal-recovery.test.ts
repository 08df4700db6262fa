import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { executeCounterCommand } from '../../src/app/counter/execute-counter-command.ts';
import { openBranchJournal, recoverJournal } from '../../src/sync/branch-journal.ts';
import { encodeRecord, openJournalFile } from '../../src/sync/journal-file.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { officeFixture, tempDir } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// The journal file is the branch's durable truth (PGlite does not fsync, docs/decisions/0002): what
// it holds and the database lost is applied again on start; a torn last line is cut off; a write
// that cannot reach the disk refuses the action before the counter is told it happened.

describe('branch journal file and recovery (embedded database)', () => {
  let f: Fixture;
  let dir: string;
  beforeAll(async () => {
    f = await officeFixture({ embedded: true });
    await f.ctx.db.insertInto('branch_sync_state').values({ branch_id: 'b1', office_id: 'test' }).execute();
    dir = tempDir('schalter-recovery-');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const walkin = (): CounterCommand => {
    f.clock.advance(60_000);
    return {
      type: 'walkin.issue',
      officeId: 'test',
      payload: { serviceId: 'short', ticketId: newEntityId(f.ctx) },
      actor: 'staff:clerk',
      at: new Date(f.clock.now()).toISOString(),
    };
  };

  it('an acknowledged walk-in is in the database and in the fsync’d file, with seq and clock', async () => {
    const file = openJournalFile(path.join(dir, 'a', 'journal.log'));
    const journal = await openBranchJournal(f.ctx, { branchId: 'b1', file });
    const { ticket } = await journal.execute(walkin());
    const [entry] = file.entries();
    expect(entry).toMatchObject({ seq: 1, branchId: 'b1', command: { type: 'walkin.issue', payload: { ticketId: ticket!.id } } });
    const row = await f.ctx.db.selectFrom('branch_journal').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ op_id: entry!.opId, seq: '1', hlc: entry!.hlc });
    // A refused action leaves neither a row nor a live file entry.
    await expect(
      journal.execute({ ...walkin(), payload: { serviceId: 'nope', ticketId: newEntityId(f.ctx) } } as CounterCommand),
    ).rejects.toMatchObject({ code: 'service_not_offered' });
    expect(file.entries()).toHaveLength(1);
    file.close();
  });

  it('entries the database lost in a power cut are applied again from the file, in order', async () => {
    const file = openJournalFile(path.join(dir, 'a', 'journal.log'));
    // As if two more walk-ins were acknowledged and then the database's last pages never reached the disk.
    const lost = [walkin(), walkin()].map((command, i) => ({
      opId: newEntityId(f.ctx),
      branchId: 'b1',
      seq: 2 + i,
      hlc: `000000000000000${i + 2}-0000`,
      command,
    }));
    lost.forEach((entry) => file.append(entry));
    const voided = { opId: newEntityId(f.ctx), branchId: 'b1', seq: 4, hlc: '0000000000000004-0000', command: walkin() };
    file.append(voided);
    file.markVoid(voided.opId); // appended, then its transaction failed: never happened
    const report = await recoverJournal(f.ctx, file);
    expect(report).toEqual({ replayed: 2, failed: 0, copiedToFile: 0 });
    const rows = await f.ctx.db.selectFrom('branch_journal').select(['seq', 'op_id']).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    const tickets = await f.ctx.db.selectFrom('ticket').select('id').execute();
    for (const entry of lost) expect(tickets.map((t) => t.id)).toContain((entry.command.payload as { ticketId: string }).ticketId);
    expect(await recoverJournal(f.ctx, file)).toEqual({ replayed: 0, failed: 0, copiedToFile: 0 });
    file.close();
  });

  it('every executeCounterCommand of a branch process is journalled through ctx.afterCounterCommand', async () => {
    const file = openJournalFile(path.join(dir, 'a', 'journal.log'));
    const journal = await openBranchJournal(f.ctx, { branchId: 'b1', file });
    let recorded = 0;
    journal.onRecorded(() => recorded++);
    const ctx = { ...f.ctx, afterCounterCommand: journal.afterApply };
    const { ticket } = await executeCounterCommand(ctx, walkin());
    expect(file.entries().at(-1)).toMatchObject({ seq: 4, command: { payload: { ticketId: ticket!.id } } });
    expect(recorded).toBe(1);
    file.close();
  });

  it('a line torn by a crash is cut off and the next entry follows the last whole one', () => {
    const file = path.join(dir, 'torn', 'journal.log');
    fs.mkdirSync(path.dirname(file));
    const entry = { opId: newEntityId(f.ctx), branchId: 'b1', seq: 1, hlc: '0000000000000001-0000', command: walkin() };
    fs.writeFileSync(file, encodeRecord({ k: 'op', e: entry }) + encodeRecord({ k: 'op', e: { ...entry, seq: 2 } }).slice(0, 40));
    const journal = openJournalFile(file);
    expect(journal.entries().map((e) => e.seq)).toEqual([1]);
    journal.append({ ...entry, opId: newEntityId(f.ctx), seq: 2 });
    journal.close();
    expect(
      openJournalFile(file)
        .entries()
        .map((e) => e.seq),
    ).toEqual([1, 2]);
  });

  it('a full disk refuses the walk-in before the counter is told anything, and changes nothing', async () => {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    const journal = await openBranchJournal(f.ctx, { branchId: 'b1', file: openJournalFile('/dev/full') });
    const ticketsBefore = await f.ctx.db.selectFrom('ticket').select('id').execute();
    const journalBefore = await f.ctx.db.selectFrom('branch_journal').select('seq').execute();
    await expect(journal.execute(walkin())).rejects.toMatchObject({ code: 'journal_unavailable', details: { reason: 'ENOSPC' } });
    expect(await f.ctx.db.selectFrom('ticket').select('id').execute()).toHaveLength(ticketsBefore.length);
    expect(await f.ctx.db.selectFrom('branch_journal').select('seq').execute()).toHaveLength(journalBefore.length);
  });
});
