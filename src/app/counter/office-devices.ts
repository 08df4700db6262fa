import { isUuid } from '../../domain/uuid.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DeviceKind } from '../../db/device-schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../domain/errors.ts';
import { REFERENCE_ALPHABET } from '../../domain/reference.ts';
import { actorOf, canAccessOffice, hasRole, type Principal } from '../../domain/staff-access.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { publishQueueChange } from './queue-events.ts';
import { sha256Hex } from '../staff/staff-secrets.ts';
import { newToken } from '../shared/ids.ts';

// Kiosks and call displays of an office (decision record 0010). A team lead creates a pairing code
// that is valid for a few minutes; the device's browser enters it once and gets a device token in a
// cookie. Only hashes of both are stored. Revoking a device ends its token at once.

export type { DeviceKind };

/** Long enough to walk from the office PC to the kiosk, short enough that a code on a note soon expires. */
export const PAIRING_MINUTES = 10;
const CODE_LENGTH = 8;
const TOKEN_PREFIX = 'schd_';
const TOKEN_PATTERN = /^schd_[A-Za-z0-9_-]{43}$/;
/** last_seen_at is written at most this often per device, not on every request. */
const SEEN_PRECISION_MS = 60_000;

export type OfficeDeviceView = { id: string; name: string; kind: DeviceKind; pairedAt: Date; lastSeenAt: Date };
export type OpenPairingCode = { name: string; expiresAt: Date };

function assertMayManage(principal: Principal, officeId: string): void {
  if (!canAccessOffice(principal, officeId)) throw new DomainError('not_found', 'No such office');
  if (!hasRole(principal, 'teamlead'))
    throw new DomainError('forbidden', 'Devices are paired by team leads and admins', { requiredRole: 'teamlead' });
}

async function assertOfficeExists(db: Kysely<DB>, officeId: string): Promise<void> {
  const office = await db.selectFrom('office').select('id').where('id', '=', officeId).executeTakeFirst();
  if (!office) throw new DomainError('not_found', 'No such office');
}

/** What people type: lower case, spaces and the dash of `K7MA-4Q2C` do not matter. */
export function normalisePairingCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === CODE_LENGTH ? compact : null;
}

function newPairingCode(random: Uint8Array): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += REFERENCE_ALPHABET[random[i]! % REFERENCE_ALPHABET.length];
  return code;
}

/** A pairing code for the office, shown once to the team lead as `XXXX-XXXX`. */
export async function createPairingCode(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; name: string },
): Promise<{ code: string; name: string; expiresAt: Date }> {
  assertMayManage(principal, input.officeId);
  const name = input.name.trim();
  if (!name || name.length > 60)
    throw new DomainError('validation_failed', 'A device needs a name of at most 60 characters', {
      fields: [{ path: 'name', message: 'required, at most 60 characters' }],
    });
  await assertOfficeExists(ctx.db, input.officeId);
  const code = newPairingCode(ctx.randomBytes(CODE_LENGTH));
  const now = ctx.now();
  const expiresAt = new Date(now + PAIRING_MINUTES * 60_000);
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('device_pairing')
      .values({
        code_hash: sha256Hex(code),
        office_id: input.officeId,
        name,
        created_by: actorOf(principal),
        created_at: new Date(now),
        expires_at: expiresAt,
      })
      .execute();
    await audit(trx, {
      actor: principal,
      action: 'office_device.pairing_code',
      entity: 'office',
      entityId: input.officeId,
      officeId: input.officeId,
      at: now,
      details: { name },
    });
  });
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, name, expiresAt };
}

/**
 * Turns a pairing code into a device of the kind whose page it was entered on. The code works once:
 * the conditional update lets exactly one of two devices entering it at the same moment win.
 */
export async function pairDevice(
  ctx: AppContext,
  input: { officeId: string; kind: DeviceKind; code: string },
): Promise<{ deviceId: string; name: string; token: string }> {
  const code = normalisePairingCode(input.code);
  if (!code) throw new DomainError('pairing_code_invalid', 'Pairing code wrong or expired');
  const token = TOKEN_PREFIX + newToken(ctx);
  const now = new Date(ctx.now());
  return inTransaction(ctx.db, async (trx) => {
    const pairing = await trx
      .updateTable('device_pairing')
      .set({ used_at: now })
      .where('code_hash', '=', sha256Hex(code))
      .where('office_id', '=', input.officeId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['name', 'created_by'])
      .executeTakeFirst();
    if (!pairing) throw new DomainError('pairing_code_invalid', 'Pairing code wrong or expired');
    const device = await trx
      .insertInto('office_device')
      .values({
        office_id: input.officeId,
        name: pairing.name,
        kind: input.kind,
        token_hash: sha256Hex(token),
        paired_at: now,
        paired_by: pairing.created_by,
        last_seen_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor: pairing.created_by,
      action: 'office_device.pair',
      entity: 'office_device',
      entityId: device.id,
      officeId: input.officeId,
      at: now.getTime(),
      details: { name: pairing.name, kind: input.kind },
    });
    return { deviceId: device.id, name: pairing.name, token };
  });
}

/** The enrolled, not revoked device of this office and kind that holds `token`, or null. */
export async function deviceByToken(
  ctx: AppContext,
  input: { officeId: string; kind: DeviceKind; token: string },
): Promise<{ id: string; name: string } | null> {
  if (!TOKEN_PATTERN.test(input.token)) return null;
  const device = await ctx.db
    .selectFrom('office_device')
    .select(['id', 'name', 'last_seen_at'])
    .where('token_hash', '=', sha256Hex(input.token))
    .where('office_id', '=', input.officeId)
    .where('kind', '=', input.kind)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!device) return null;
  if (ctx.now() - device.last_seen_at.getTime() >= SEEN_PRECISION_MS) await touchDevices(ctx.db, [device.id], ctx.now());
  return { id: device.id, name: device.name };
}

/** Marks devices as seen now (at most once a minute each): the list tells a team lead which ones still run. */
export async function touchDevices(db: Kysely<DB>, deviceIds: readonly string[], now: number): Promise<void> {
  if (deviceIds.length === 0) return;
  await db
    .updateTable('office_device')
    .set({ last_seen_at: new Date(now) })
    .where('id', 'in', [...deviceIds])
    .where('last_seen_at', '<=', new Date(now - SEEN_PRECISION_MS))
    .execute();
}

/** Ids of the office's devices that are not revoked: open display streams of others are closed. */
export async function activeDeviceIds(db: Kysely<DB>, officeId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('office_device')
    .select('id')
    .where('office_id', '=', officeId)
    .where('revoked_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function listDevices(
  ctx: AppContext,
  principal: Principal,
  officeId: string,
): Promise<{ devices: OfficeDeviceView[]; openCodes: OpenPairingCode[] }> {
  assertMayManage(principal, officeId);
  const [devices, openCodes] = await Promise.all([
    ctx.db
      .selectFrom('office_device')
      .select(['id', 'name', 'kind', 'paired_at', 'last_seen_at'])
      .where('office_id', '=', officeId)
      .where('revoked_at', 'is', null)
      .orderBy('paired_at')
      .execute(),
    ctx.db
      .selectFrom('device_pairing')
      .select(['name', 'expires_at'])
      .where('office_id', '=', officeId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date(ctx.now()))
      .orderBy('expires_at')
      .execute(),
  ]);
  return {
    devices: devices.map((d) => ({ id: d.id, name: d.name, kind: d.kind, pairedAt: d.paired_at, lastSeenAt: d.last_seen_at })),
    openCodes: openCodes.map((p) => ({ name: p.name, expiresAt: p.expires_at })),
  };
}

/** Ends a device's access: its next request is refused, its open display stream closed. */
export async function revokeDevice(
  ctx: AppContext,
  principal: Principal,
  input: { officeId: string; deviceId: string },
): Promise<{ name: string }> {
  assertMayManage(principal, input.officeId);
  if (!isUuid(input.deviceId)) throw new DomainError('not_found', 'No such device');
  const now = ctx.now();
  const revoked = await inTransaction(ctx.db, async (trx) => {
    const row = await trx
      .updateTable('office_device')
      .set({ revoked_at: new Date(now) })
      .where('id', '=', input.deviceId)
      .where('office_id', '=', input.officeId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such device');
    await audit(trx, {
      actor: principal,
      action: 'office_device.revoke',
      entity: 'office_device',
      entityId: row.id,
      officeId: input.officeId,
      at: now,
      details: { name: row.name },
    });
    return row;
  });
  // Wakes this process's display feed of the office, which re-reads the devices and closes the stream.
  publishQueueChange(input.officeId);
  return { name: revoked.name };
}
