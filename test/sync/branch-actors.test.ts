import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { saveQueueSettings } from '../../src/app/shared/office-time.ts';
import { formatHlc } from '../../src/domain/hlc.ts';
import { applyJournalEntries, enrollBranch, type EnrolledBranch } from '../../src/sync/central-apply.ts';
import type { JournalEntry } from '../../src/sync/journal-entry.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord } from '../helpers/staff.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { addBranchClerk, BRANCH_CLERK } from './sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Issue 15, item 8: a branch node (or whoever holds its token) names the actor of every operation it
// uploads. The central server applies an operation only in the name of someone the branch may act
// for — the office's staff and its own kiosk — and records the branch with every applied entry.
// Anything else is refused as a Klärfall: not applied, not in the audit log in that name, and the
// journal behind it still flows (invariant 4: exactly once, nothing lost).

const at = (hhmm: string) => `2026-11-25T${hhmm}:00+01:00`;
const ADMIN = '00000000-0000-4000-8000-0000000000ad';
const NORD_LEAD = '00000000-0000-4000-8000-00000000000e';
const GONE = '00000000-0000-4000-8000-0000000000d1';
const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';

describe(`whom a branch may act for (central on ${testDbKind})`, () => {
  let f: Fixture;
  let branch: EnrolledBranch;

  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    await saveQueueSettings(f.ctx.db, 'test', { walkinQuota: 50, walkinMinutes: 15, checkinEarlyMinutes: 30, checkinLateMinutes: 15 });
    await addOfficeNord(f);
    await addBranchClerk(f);
    const user = (
      id: string,
      email: string,
      display_name: string,
      role: 'clerk' | 'teamlead' | 'admin',
      disabled_at: Date | null = null,
    ) => ({
      id,
      email,
      display_name,
      role,
      password_hash: '!',
      must_change_password: false,
      disabled_at,
    });
    await f.ctx.db
      .insertInto('staff_user')
      .values([
        user(ADMIN, 'admin@test.example', 'Ada Admin', 'admin'),
        user(NORD_LEAD, 'nord@test.example', 'Nora Nord', 'teamlead'),
        user(GONE, 'weg@test.example', 'Gesa Gegangen', 'clerk', new Date(at('09:00'))),
      ])
      .execute();
    await f.ctx.db
      .insertInto('staff_user_office')
      .values([
        { user_id: NORD_LEAD, office_id: 'nord' },
        { user_id: GONE, office_id: 'test' },
      ])
      .execute();
    const { branchId } = await enrollBranch(f.ctx, { officeId: 'test', actor: 'test' });
    branch = { id: branchId, officeId: 'test', name: 'Zweigstelle' };
    f.clock.set(Date.parse(at('10:40')));
  });
  afterAll(async () => f?.close());

  const entriesOf = (commands: CounterCommand[], firstSeq: number): JournalEntry[] =>
    commands.map((command, i) => ({
      opId: newEntityId(f.ctx),
      branchId: branch.id,
      seq: firstSeq + i,
      hlc: formatHlc({ wall: Date.parse(command.at), counter: 0 }),
      command,
    }));
  const walkin = (actor: string, hhmm: string): CounterCommand => ({
    type: 'walkin.issue',
    officeId: 'test',
    payload: { serviceId: 'short', ticketId: newEntityId(f.ctx) },
    actor,
    at: at(hhmm),
  });

  it('applies the office clerk and the kiosk with the branch named, and refuses every other name as a Klärfall', async () => {
    const forged = [
      `staff:${ADMIN}`,
      `staff:${NORD_LEAD}`,
      `staff:${UNKNOWN}`,
      `staff:${GONE}`,
      'token:00000000-0000-4000-8000-000000000007',
      'kiosk:nord',
      'system',
    ];
    const commands = [
      walkin(BRANCH_CLERK, '10:01'),
      ...forged.map((actor, i) => walkin(actor, `10:0${i + 2}`)),
      walkin('kiosk:test', '10:20'),
    ];
    const entries = entriesOf(commands, 1);
    const { results, highWater } = await applyJournalEntries(f.ctx, branch, entries);

    expect(results.map((r) => r.code ?? r.status)).toEqual(['applied', ...forged.map(() => 'actor_refused'), 'applied']);
    expect(highWater).toBe(entries.length);
    const tickets = await f.ctx.db.selectFrom('ticket').select('id').where('kind', '=', 'walkin').execute();
    expect(tickets).toHaveLength(2);

    // Not one audit entry in a forged name; each applied one names the branch it came through.
    const audit = await f.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'branch_id', 'details'])
      .where('office_id', '=', 'test')
      .where('action', 'like', '%.%')
      .execute();
    expect(audit.filter((a) => forged.includes(a.actor))).toEqual([]);
    expect(audit.filter((a) => a.action === 'walkin.issue').map((a) => [a.actor, a.branch_id])).toEqual([
      [BRANCH_CLERK, branch.id],
      ['kiosk:test', branch.id],
    ]);
    const refusals = audit.filter((a) => a.action === 'sync.entry_refused');
    expect(refusals.map((a) => [a.actor, a.branch_id, (a.details as { claimedActor: string }).claimedActor])).toEqual(
      forged.map((actor) => [`branch:${branch.id}`, branch.id, actor]),
    );

    // The team lead reads who was named, in words (no ids on the page).
    const items = await f.ctx.db
      .selectFrom('sync_work_item')
      .select(['kind', 'message'])
      .orderBy('created_at')
      .orderBy('message')
      .execute();
    expect(items.every((i) => i.kind === 'actor_refused')).toBe(true);
    const messages = items.map((i) => i.message).join('\n');
    expect(messages).toContain('Nora Nord (nicht diesem Standort zugeordnet)');
    expect(messages).toContain('Ada Admin (nicht diesem Standort zugeordnet)');
    expect(messages).toContain('Gesa Gegangen (Konto zu der Zeit gesperrt)');
    expect(messages).toContain('eine Person, die zentral nicht bekannt ist');
    expect(messages).not.toContain(UNKNOWN);

    // Sent again (a lost answer): every one a duplicate, nothing applied or refused twice.
    const again = await applyJournalEntries(f.ctx, branch, entries);
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await f.ctx.db.selectFrom('sync_work_item').select('id').execute()).toHaveLength(forged.length);
    expect(await f.ctx.db.selectFrom('sync_applied_op').select('op_id').execute()).toHaveLength(entries.length);
  });

  it('a clerk disabled centrally after the action still counts for what she did before', async () => {
    const { results } = await applyJournalEntries(f.ctx, branch, entriesOf([walkin(`staff:${GONE}`, '08:55')], 10));
    expect(results.map((r) => r.status)).toEqual(['applied']);
    const row = await f.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'branch_id'])
      .where('action', '=', 'walkin.issue')
      .where('actor', '=', `staff:${GONE}`)
      .executeTakeFirstOrThrow();
    expect(row.branch_id).toBe(branch.id);
  });
});
