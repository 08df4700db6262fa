import type { AppContext } from '../app/shared/context.ts';
import { audit } from '../app/shared/audit.ts';
import { clearBranchPins } from '../app/staff/branch-pin.ts';
import { materializeCapacity } from '../app/booking/materialize-capacity.ts';
import { applyCounterCommand } from '../app/counter/execute-counter-command.ts';
import { sha256Hex } from '../app/staff/staff-secrets.ts';
import { publishQueueChange } from '../app/counter/queue-events.ts';
import { branchActorRefusal } from '../domain/branch-credentials.ts';
import { DomainError } from '../domain/errors.ts';
import { inTransaction, type Trx } from '../db/transaction.ts';
import { actorInWords, lookUpActors, type ActorLookup } from './branch-actors.ts';
import { applyInSavepoint } from './branch-journal.ts';
import type { EntryOutcome, JournalEntry } from './journal-entry.ts';
import { actorRefusedMessage, conflictMessage, leaseExceededMessage } from './work-items.ts';
import { newEntityId, newToken } from '../app/shared/ids.ts';

// The central server's side of the journal: each entry is applied in its own transaction, in the
// branch's order, exactly once. The op id table answers repeats with the stored outcome; the
// branch's high-water mark refuses gaps. The branch row lock serialises uploads of one branch across
// any number of central processes. The actor a branch names is not taken on trust: only the
// office's staff and its own devices are applied, each audit entry names the branch it came through
// (docs/decisions/0009-branch-credentials.md).

export type EnrolledBranch = { id: string; officeId: string; name: string };

const TOKEN_PREFIX = 'schb_';
const TOKEN_PATTERN = /^schb_[A-Za-z0-9_-]{43}$/;

/** `schalter branch enroll`: a branch node for an office, with its credential (shown once, stored hashed). */
export async function enrollBranch(
  ctx: AppContext,
  input: { officeId: string; name?: string; actor: string },
): Promise<{ branchId: string; token: string }> {
  const office = await ctx.db.selectFrom('office').select(['id', 'name']).where('id', '=', input.officeId).executeTakeFirst();
  if (!office) throw new DomainError('unknown_office', 'Unknown office', { officeId: input.officeId });
  const token = TOKEN_PREFIX + newToken(ctx);
  const branchId = `${office.id}-${Buffer.from(ctx.randomBytes(4)).toString('hex')}`;
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('sync_branch')
      .values({
        id: branchId,
        office_id: office.id,
        name: input.name?.trim() || `Zweigstelle ${office.name}`,
        token_hash: sha256Hex(token),
        created_at: new Date(now),
      })
      .execute();
    await audit(trx, {
      actor: input.actor,
      action: 'sync_branch.enroll',
      entity: 'sync_branch',
      entityId: branchId,
      officeId: office.id,
      at: now,
    });
  });
  // From now on the office leases seats to its branch node (issue #6): lay the lease out at once.
  await materializeCapacity(ctx, { officeIds: [office.id] });
  return { branchId, token };
}

/**
 * `schalter branch revoke`: the node's token stops working at once. Its database held the branch PINs
 * of the office's staff (docs/decisions/0009): they are cleared, and each person chooses a new one
 * at the next central login. Returns how many PINs were cleared.
 */
export async function revokeBranch(
  ctx: AppContext,
  input: { branchId: string; actor: string },
): Promise<{ officeId: string; clearedPins: number }> {
  const now = ctx.now();
  const revoked = await inTransaction(ctx.db, async (trx) => {
    const branch = await trx
      .updateTable('sync_branch')
      .set({ revoked_at: new Date(now) })
      .where('id', '=', input.branchId)
      .where('revoked_at', 'is', null)
      .returning('office_id')
      .executeTakeFirst();
    if (!branch) throw new DomainError('not_found', 'No active branch node with this id', { branchId: input.branchId });
    await audit(trx, {
      actor: input.actor,
      action: 'sync_branch.revoke',
      entity: 'sync_branch',
      entityId: input.branchId,
      officeId: branch.office_id,
      at: now,
    });
    const clearedPins = await clearBranchPins(trx, { officeId: branch.office_id, actor: input.actor, at: now });
    return { officeId: branch.office_id, clearedPins };
  });
  // Without a branch node the office leases nothing any more: its seats go back to central booking.
  await materializeCapacity(ctx, { officeIds: [revoked.officeId] });
  return revoked;
}

export async function resolveBranchToken(ctx: AppContext, token: string): Promise<EnrolledBranch | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await ctx.db
    .selectFrom('sync_branch')
    .select(['id', 'office_id', 'name'])
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, officeId: row.office_id, name: row.name } : null;
}

export async function branchHighWater(ctx: AppContext, branchId: string): Promise<number> {
  const row = await ctx.db.selectFrom('sync_branch').select('high_water').where('id', '=', branchId).executeTakeFirstOrThrow();
  return Number(row.high_water);
}

export class JournalGapError extends Error {
  constructor(
    readonly highWater: number,
    readonly seq: number,
  ) {
    super(`Entry ${seq} does not follow ${highWater}`);
  }
}

/** Entries per central transaction: one commit (one fsync) for many instead of one each. */
const BATCH = 100;

/**
 * Applies entries in order; stops at the first gap (JournalGapError, after the entries before it
 * were applied). Returns one outcome per entry and the branch's high-water mark afterwards.
 * Entries are applied in batches, one transaction each, every entry in its own savepoint: the op
 * ids and the high-water mark commit together with the effects of exactly the entries they name,
 * so a crash or a lost answer repeats whole batches, never half an entry, never one twice.
 * Most batches apply cleanly, so a batch is first tried without the savepoints (two statements per
 * entry less); if the central side refuses any entry, that attempt is rolled back whole and the
 * batch is applied again with a savepoint per entry, turning the refusal into a Klärfall.
 */
export async function applyJournalEntries(
  ctx: AppContext,
  branch: EnrolledBranch,
  entries: JournalEntry[],
): Promise<{ highWater: number; results: EntryOutcome[] }> {
  const results: EntryOutcome[] = [];
  let highWater = await branchHighWater(ctx, branch.id);
  for (let i = 0; i < entries.length; i += BATCH) {
    const slice = entries.slice(i, i + BATCH);
    const batch =
      (await inTransaction(ctx.db, (trx) => applyBatch(ctx, trx, branch, slice, false)).catch((error: unknown) => {
        if (error instanceof EntryRefused) return null;
        throw error;
      })) ?? (await inTransaction(ctx.db, (trx) => applyBatch(ctx, trx, branch, slice, true)));
    results.push(...batch.outcomes);
    highWater = batch.highWater;
    if (batch.outcomes.some((o) => o.status !== 'duplicate')) publishQueueChange(branch.officeId);
    if (batch.stop) {
      // The applied ones are answered; the branch sends the rest again (and learns about the gap or the refusal then).
      if (results.length > 0) break;
      if (batch.stop.kind === 'gap') throw new JournalGapError(batch.stop.highWater, batch.stop.seq);
      throw batch.stop.error;
    }
  }
  return { highWater, results };
}

type Stop = { kind: 'gap'; highWater: number; seq: number } | { kind: 'refused'; error: DomainError };
type BatchResult = { outcomes: EntryOutcome[]; highWater: number; stop: Stop | null };

/** Raised in the pass without savepoints when the central side refuses an entry. */
class EntryRefused extends Error {}

async function applyBatch(
  ctx: AppContext,
  trx: Trx,
  branch: EnrolledBranch,
  entries: JournalEntry[],
  savepoints: boolean,
): Promise<BatchResult> {
  // The branch row lock serialises uploads of one branch across central processes.
  const row = await trx.selectFrom('sync_branch').select('high_water').where('id', '=', branch.id).forUpdate().executeTakeFirstOrThrow();
  let highWater = Number(row.high_water);
  const known = await trx
    .selectFrom('sync_applied_op')
    .select(['op_id', 'outcome', 'branch_id'])
    .where(
      'op_id',
      'in',
      entries.map((e) => e.opId),
    )
    .execute();
  const seen = new Map(known.map((k) => [k.op_id, { outcome: k.outcome as EntryOutcome, branchId: k.branch_id }]));
  const now = ctx.now();
  const actors = await lookUpActors(
    trx,
    branch.officeId,
    entries.map((e) => e.command.actor),
  );
  const outcomes: EntryOutcome[] = [];
  const applied: {
    op_id: string;
    branch_id: string;
    seq: number;
    hlc: string;
    type: string;
    command: string;
    outcome: string;
    applied_at: Date;
  }[] = [];
  let stop: Stop | null = null;
  for (const entry of entries) {
    const before = seen.get(entry.opId);
    if (before) {
      if (before.branchId !== branch.id) {
        stop = { kind: 'refused', error: new DomainError('invalid_state', 'Op id belongs to another branch', { opId: entry.opId }) };
        break;
      }
      outcomes.push({ ...before.outcome, status: 'duplicate' });
      continue;
    }
    if (entry.seq !== highWater + 1) {
      stop =
        entry.seq <= highWater
          ? {
              kind: 'refused',
              error: new DomainError('invalid_state', 'Sequence number already used by another operation', { seq: entry.seq, highWater }),
            }
          : { kind: 'gap', highWater, seq: entry.seq };
      break;
    }
    if (entry.branchId !== branch.id || entry.command.officeId !== branch.officeId) {
      stop = {
        kind: 'refused',
        error: new DomainError('forbidden', 'A branch node records operations of its own office only', {
          officeId: entry.command.officeId,
        }),
      };
      break;
    }
    const outcome = await applyEntry(ctx, trx, { branch, entry, now, savepoint: savepoints, actors });
    outcomes.push(outcome);
    seen.set(entry.opId, { outcome, branchId: branch.id });
    applied.push({
      op_id: entry.opId,
      branch_id: branch.id,
      seq: entry.seq,
      hlc: entry.hlc,
      type: entry.command.type,
      command: JSON.stringify(entry.command),
      outcome: JSON.stringify(outcome),
      applied_at: new Date(now),
    });
    highWater = entry.seq;
  }
  if (applied.length > 0) {
    await trx.insertInto('sync_applied_op').values(applied).execute();
    await trx
      .updateTable('sync_branch')
      .set({ high_water: highWater, last_seen_at: new Date(now) })
      .where('id', '=', branch.id)
      .execute();
  }
  return { outcomes, highWater, stop };
}

type EntryInput = { branch: EnrolledBranch; entry: JournalEntry; now: number; savepoint: boolean; actors: ActorLookup };

/** One entry (in its own savepoint when asked): applied, kept as a fact with a Klärfall, or — in a name the branch may not use — refused with one. */
async function applyEntry(ctx: AppContext, trx: Trx, { branch, entry, now, savepoint, actors }: EntryInput): Promise<EntryOutcome> {
  let outcome: EntryOutcome = { opId: entry.opId, seq: entry.seq, status: 'applied' };
  const addWorkItem = async (kind: string, message: string, details: Record<string, unknown>) => {
    const workItemId = newEntityId(ctx);
    await trx
      .insertInto('sync_work_item')
      .values({
        id: workItemId,
        office_id: branch.officeId,
        branch_id: branch.id,
        op_id: entry.opId,
        kind,
        message,
        details: JSON.stringify(details),
        created_at: new Date(now),
      })
      .execute();
    outcome = { ...outcome, status: 'conflict', workItemId, code: kind };
    return workItemId;
  };
  const refusedActor = branchActorRefusal(entry.command.actor, {
    officeId: branch.officeId,
    staff: actors.staff,
    tokens: actors.tokens,
    at: Date.parse(entry.command.at),
  });
  if (refusedActor) {
    // Not applied: nothing is written in a name the branch may not use. The entry still counts as
    // received (op id, high-water mark), so the journal behind it flows on and nothing is lost.
    const who = actorInWords(entry.command.actor, actors, refusedActor);
    const workItemId = await addWorkItem('actor_refused', actorRefusedMessage(entry.command, who, now, entry.cutOff), {
      command: entry.command,
      cutOff: entry.cutOff,
      refused: {
        code: 'actor_refused',
        message: `Die Zweigstelle darf nicht für ${who} handeln / the branch may not act for this actor`,
        reason: refusedActor,
      },
    });
    await audit(trx, {
      actor: `branch:${branch.id}`,
      action: 'sync.entry_refused',
      entity: 'sync_work_item',
      entityId: workItemId,
      officeId: branch.officeId,
      at: now,
      details: { opId: entry.opId, seq: entry.seq, type: entry.command.type, claimedActor: entry.command.actor, reason: refusedActor },
      branchId: branch.id,
    });
    return outcome;
  }
  const refused = savepoint
    ? await applyInSavepoint(ctx, trx, entry.command, { branchId: branch.id })
    : await applyOrRaise(ctx, trx, entry, branch.id);
  if (refused) {
    // A fact from the office is never rejected: it is recorded, and a team lead settles the difference.
    await addWorkItem(refused.code, conflictMessage(entry.command, refused, now, entry.cutOff), {
      command: entry.command,
      cutOff: entry.cutOff,
      refused,
    });
  } else if (entry.command.type === 'walkin.book_slot') {
    // A walk-in slot beyond the central lease pool stands (the citizen was served) but has no seats: flagged.
    const booked = await trx
      .selectFrom('lease_booking')
      .select('within_lease')
      .where('appointment_id', '=', entry.command.payload.appointmentId)
      .executeTakeFirst();
    if (booked && !booked.within_lease) {
      const refusedLease = {
        code: 'lease_exceeded',
        message: 'Kein Platz mehr im Kontingent der Zweigstelle / no seat left in the branch lease',
      };
      await addWorkItem('lease_exceeded', leaseExceededMessage(entry.command, now, entry.cutOff), {
        command: entry.command,
        cutOff: entry.cutOff,
        refused: refusedLease,
      });
    }
  }
  return outcome;
}

async function applyOrRaise(ctx: AppContext, trx: Trx, entry: JournalEntry, branchId: string): Promise<null> {
  try {
    await applyCounterCommand(ctx, trx, entry.command, { branchId });
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // A lost race is retried by inTransaction as before; anything else means: again, with savepoints.
    if (code === '40001' || code === '40P01') throw error;
    throw new EntryRefused(`entry ${entry.seq} refused: ${(error as Error).message}`);
  }
}
