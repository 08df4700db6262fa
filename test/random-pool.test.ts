import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../src/random-pool.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('pooledRandomBytes', () => {
  it('hands out every byte once, in pieces of the requested size that later draws never change', () => {
    const random = pooledRandomBytes();
    const first = random(32);
    const copy = hex(first);
    // 2,000 pieces as a booking draws them span several refills of the 4 KiB pool.
    const pieces = Array.from({ length: 2_000 }, (_, i) => random([32, 4, 10, 6][i % 4]!));
    expect(pieces.slice(0, 4).map((p) => p.length)).toEqual([32, 4, 10, 6]);
    expect(new Set(pieces.filter((p) => p.length === 32).map(hex)).size).toBe(500);
    expect(hex(first)).toBe(copy);
  });

  it('serves sizes larger than a piece of the pool directly', () => {
    const big = pooledRandomBytes()(10_000);
    expect(big.length).toBe(10_000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
