import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

/**
 * Random bytes from the operating system's CSPRNG, drawn 4 KiB at a time. A booking needs four
 * small pieces (manage token, confirmation code, id, reference), and each randomBytes() call is a
 * system call: about 6 µs here, against 0.6 µs for a slice of the pool. Every byte is handed out
 * once, as a copy, so no caller sees another's bytes or the pool's.
 */
export function pooledRandomBytes(): (size: number) => Uint8Array {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  return (size) => {
    if (size > POOL_BYTES / 4) return randomFillSync(Buffer.alloc(size));
    if (offset + size > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const bytes = Buffer.from(pool.subarray(offset, offset + size));
    offset += size;
    return bytes;
  };
}
