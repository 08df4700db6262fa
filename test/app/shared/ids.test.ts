import { describe, expect, it } from 'vitest';
import { newConfirmationCode, newEntityId, newReference, newRowId, newToken } from '../../../src/app/shared/ids.ts';

/** A context that hands out the given bytes and records the size of every draw. */
function scripted(...draws: number[][]) {
  const sizes: number[] = [];
  const ctx = {
    randomBytes: (n: number) => {
      sizes.push(n);
      const bytes = draws.shift() ?? [];
      expect(bytes).toHaveLength(n);
      return new Uint8Array(bytes);
    },
  };
  return { ctx, sizes };
}

const bytes = (n: number, of: (i: number) => number) => Array.from({ length: n }, (_, i) => of(i) & 0xff);

describe('ids and tokens drawn from the context', () => {
  it('a token is 32 drawn bytes in base64url, as every caller wrote it before', () => {
    const drawn = bytes(32, (i) => i * 37 + 250);
    const { ctx, sizes } = scripted(drawn);
    const token = newToken(ctx);
    expect(sizes).toEqual([32]);
    expect(token).toBe(Buffer.from(drawn).toString('base64url'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('an entity id is a version 4 UUID of 16 drawn bytes', () => {
    const { ctx, sizes } = scripted(
      bytes(16, () => 0xff),
      bytes(16, () => 0),
    );
    expect(newEntityId(ctx)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newEntityId(ctx)).toBe('00000000-0000-4000-8000-000000000000');
    expect(sizes).toEqual([16, 16]);
  });

  it('a row id is a version 7 UUID: the milliseconds, then 10 drawn bytes', () => {
    const { ctx, sizes } = scripted(bytes(10, () => 0));
    // 2026-12-07T06:00Z is 0x01a24f166f00 milliseconds.
    expect(newRowId(ctx, Date.UTC(2026, 11, 7, 6))).toBe('01a24f16-6f00-7000-8000-000000000000');
    expect(sizes).toEqual([10]);
  });

  it('a reference is 6 drawn bytes in the read-aloud alphabet', () => {
    const { ctx, sizes } = scripted([0, 1, 2, 3, 4, 25]);
    expect(newReference(ctx)).toBe('ACD-EFA');
    expect(sizes).toEqual([6]);
  });

  it('a confirmation code is six digits from 4 drawn bytes, leading zeros kept', () => {
    const { ctx, sizes } = scripted([0, 0, 0x30, 0x39], [0xff, 0xff, 0xff, 0xff]);
    expect(newConfirmationCode(ctx)).toBe('012345');
    expect(newConfirmationCode(ctx)).toBe(String(0xffffffff % 1_000_000));
    expect(sizes).toEqual([4, 4]);
  });
});
