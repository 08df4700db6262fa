import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HLC_ZERO, hlcReceive, hlcTick, parseHlc, type Hlc } from '../../src/domain/hlc.ts';

describe('hybrid logical clock', () => {
  it('follows the wall clock while it moves forward', () => {
    expect(hlcTick(HLC_ZERO, 1000)).toEqual({ wall: 1000, counter: 0 });
    expect(hlcTick({ wall: 1000, counter: 3 }, 1001)).toEqual({ wall: 1001, counter: 0 });
  });

  it('keeps ordering events when the office PC clock jumps back an hour', () => {
    let clock: Hlc = HLC_ZERO;
    const stamps: Hlc[] = [];
    for (const physical of [10_000, 10_001, 10_001 - 3_600_000, 10_002 - 3_600_000, 10_003]) {
      clock = hlcTick(clock, physical);
      stamps.push(clock);
    }
    for (let i = 1; i < stamps.length; i++) expect(compareHlc(stamps[i - 1]!, stamps[i]!)).toBe(-1);
    expect(stamps.map(formatHlc)).toEqual([...stamps.map(formatHlc)].sort());
  });

  it('moves past a remote timestamp ahead of the local clock', () => {
    const after = hlcReceive({ wall: 100, counter: 2 }, { wall: 500, counter: 7 }, 200);
    expect(after).toEqual({ wall: 500, counter: 8 });
    expect(hlcReceive({ wall: 500, counter: 9 }, { wall: 500, counter: 7 }, 200)).toEqual({ wall: 500, counter: 10 });
    expect(hlcReceive({ wall: 500, counter: 9 }, { wall: 100, counter: 7 }, 200)).toEqual({ wall: 500, counter: 10 });
    expect(hlcReceive({ wall: 100, counter: 9 }, { wall: 100, counter: 7 }, 900)).toEqual({ wall: 900, counter: 0 });
  });

  it('round-trips through its sortable text form', () => {
    const h = { wall: 1_764_057_600_000, counter: 12 };
    expect(formatHlc(h)).toBe('0001764057600000-0012');
    expect(parseHlc(formatHlc(h))).toEqual(h);
    expect(() => parseHlc('yesterday')).toThrow();
  });
});
