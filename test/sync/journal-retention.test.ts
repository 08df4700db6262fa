import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { applyRetention } from '../../src/app/statistics/apply-retention.ts';
import { recoverJournal } from '../../src/sync/branch-journal.ts';
import { startBranchNode, type BranchNode } from '../../src/sync/branch-node.ts';
import { openJournalFile } from '../../src/sync/journal-file.ts';
import { journalFileCopies } from '../../src/sync/journal-retention.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { BRANCH_CLERK, centralOps, officeFixture, startCentral, tempDir, type Central } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// The branch's journal file kept every name a counter typed (document.register) for good, and its
// database ran no retention at all. Retention at the branch rewrites what the central server has
// acknowledged and is older than the period — and nothing that still has to be sent — without
// disturbing exactly-once delivery.

const DAY = 86_400_000;
const SENT = { holderName: 'Hildegard Ausweisholer', email: 'hilde@alt.example', phone: '0170 424242' };
const UNSENT = { holderName: 'Ulrich Unterwegs', email: 'ulrich@alt.example', phone: '0170 111222' };

describe(`journal retention at a branch node (central on ${testDbKind})`, () => {
  let central: Central;
  let branch: Fixture;
  let node: BranchNode;
  let journalDir: string;
  const file = () => path.join(journalDir, 'journal.log');
  const startNode = () =>
    startBranchNode(branch.ctx, {
      branchId: central.branchId,
      officeId: 'test',
      journalDir,
      centralUrl: central.url,
      token: central.token,
      uploader: { idleMs: 50, probeMinMs: 10, probeMaxMs: 100 },
    });
  const register = (person: typeof SENT, orderNumber: string): CounterCommand => ({
    type: 'document.register',
    officeId: 'test',
    payload: { documentId: newEntityId(branch.ctx), orderNumber, kind: 'id_card', ...person, state: 'ready' },
    actor: BRANCH_CLERK,
    at: new Date(branch.clock.now()).toISOString(),
  });

  beforeAll(async () => {
    central = await startCentral();
    branch = await officeFixture({ embedded: true });
    journalDir = tempDir('schalter-journal-retention-');
    node = await startNode();
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    await branch?.close();
    await central?.close();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  it('rewrites acknowledged old entries without their names, keeps unsent ones whole, and delivery stays exactly once', async () => {
    await node.journal.execute(register(SENT, 'PA-1'));
    await node.uploader.drain(20_000);
    // The line is down now: this one is recorded but not acknowledged.
    await node.uploader.stop();
    await node.journal.execute(register(UNSENT, 'PA-2'));
    // An entry whose transaction failed after the append: never happened, but its line holds a name.
    const voided = {
      opId: newEntityId(branch.ctx),
      branchId: central.branchId,
      seq: 3,
      hlc: '0000000000000003-0000',
      command: register({ ...SENT, holderName: 'Vera Verworfen' }, 'PA-3'),
    };
    node.file.append(voided);
    node.file.markVoid(voided.opId);
    const entriesBefore = node.file.entries().map((e) => ({ opId: e.opId, seq: e.seq, hlc: e.hlc }));
    expect(fs.readFileSync(file(), 'utf8')).toContain(SENT.holderName);

    branch.clock.advance(31 * DAY);
    const report = await applyRetention(branch.ctx, {
      retentionDays: 30,
      copies: [journalFileCopies(branch.ctx.db, { file: node.file, branchId: central.branchId })],
    });
    expect(report.copies).toEqual({ journalLines: 3 }); // PA-1 rewritten, PA-3 and its void marker dropped
    expect(report.journal).toBe(1);

    const text = fs.readFileSync(file(), 'utf8');
    for (const value of [...Object.values(SENT), 'Vera Verworfen']) expect(text).not.toContain(value);
    for (const value of Object.values(UNSENT)) expect(text).toContain(value);
    const rows = await branch.ctx.db.selectFrom('branch_journal').select(['seq', 'command']).orderBy('seq').execute();
    expect(JSON.stringify(rows[0]!.command)).not.toContain(SENT.holderName);
    expect(JSON.stringify(rows[1]!.command)).toContain(UNSENT.holderName);
    // Same op ids, sequence numbers and clocks: the file still matches the database entry for entry.
    expect(node.file.entries().map((e) => ({ opId: e.opId, seq: e.seq, hlc: e.hlc }))).toEqual(entriesBefore);

    // Appends after the rewrite land in the new file; a restart finds nothing to recover or copy.
    await node.journal.execute(register({ holderName: 'Nach Her', email: 'nach@her.example', phone: '0170 3' }, 'PA-4'));
    await node.stop();
    const reopened = openJournalFile(file());
    expect(reopened.entries().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await recoverJournal(branch.ctx, reopened)).toEqual({ replayed: 0, failed: 0, copiedToFile: 0 });
    reopened.close();

    // The line is back: the unsent entries arrive whole, each once.
    node = await startNode();
    await node.uploader.drain(20_000);
    expect((await centralOps(central)).map((op) => [op.seq, op.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);
    const holders = await central.f.ctx.db
      .selectFrom('document_order')
      .select(['order_number', 'holder_name'])
      .orderBy('order_number')
      .execute();
    expect(holders).toEqual([
      { order_number: 'PA-1', holder_name: SENT.holderName },
      { order_number: 'PA-2', holder_name: UNSENT.holderName },
      { order_number: 'PA-4', holder_name: 'Nach Her' },
    ]);
  });
});
