import { describe, expect, it } from 'vitest';
import { isUuid, timeOrderedUuid } from '../../src/domain/uuid.ts';

describe('timeOrderedUuid (version 7)', () => {
  const random = (fill: number) => new Uint8Array(10).fill(fill);

  it('is a version 7, RFC 9562 variant UUID that starts with the time in milliseconds', () => {
    const id = timeOrderedUuid(Date.parse('2026-11-25T15:00:00.123Z'), random(0xff));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-25T15:00:00.123Z'));
  });

  it('sorts by time whatever the randomness, and differs by randomness within a millisecond', () => {
    const t = Date.parse('2026-11-25T15:00:00Z');
    const ids = [timeOrderedUuid(t + 2, random(0)), timeOrderedUuid(t, random(0xff)), timeOrderedUuid(t + 1, random(0x80))];
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(timeOrderedUuid(t, random(1))).not.toBe(timeOrderedUuid(t, random(2)));
  });

  it('tells a uuid from text that a database would reject as one', () => {
    expect(isUuid(timeOrderedUuid(0, random(7)))).toBe(true);
    expect(isUuid('0190F3A2-0000-7000-8000-00000000000A')).toBe(true);
    expect(isUuid('WTF-DFC')).toBe(false);
    expect(isUuid('0190f3a2-0000-7000-8000-00000000000a\n')).toBe(false);
  });
});
