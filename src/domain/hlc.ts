// Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): a timestamp close to the
// wall clock that still orders every event after the ones it could have seen, even when the office
// PC's clock jumps backwards (NTP correction, a wrong BIOS battery) during Notbetrieb.
// Pure: the physical time is an argument.

export type Hlc = { wall: number; counter: number };

export const HLC_ZERO: Hlc = { wall: 0, counter: 0 };

/** The clock value of a local event (a journal entry written) at physical time `physical`. */
export function hlcTick(last: Hlc, physical: number): Hlc {
  if (physical > last.wall) return { wall: physical, counter: 0 };
  return { wall: last.wall, counter: last.counter + 1 };
}

/** The clock value after learning of a `remote` timestamp (e.g. the central server's answer). */
export function hlcReceive(last: Hlc, remote: Hlc, physical: number): Hlc {
  const wall = Math.max(last.wall, remote.wall, physical);
  if (wall === last.wall && wall === remote.wall) return { wall, counter: Math.max(last.counter, remote.counter) + 1 };
  if (wall === last.wall) return { wall, counter: last.counter + 1 };
  if (wall === remote.wall) return { wall, counter: remote.counter + 1 };
  return { wall, counter: 0 };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall !== b.wall ? Math.sign(a.wall - b.wall) : Math.sign(a.counter - b.counter);
}

/** `000001764057600000-0003`: fixed width, so text order is clock order (SQL ORDER BY works). */
export function formatHlc(h: Hlc): string {
  return `${String(h.wall).padStart(16, '0')}-${String(h.counter).padStart(4, '0')}`;
}

export function parseHlc(text: string): Hlc {
  const match = /^(\d{16})-(\d{4,})$/.exec(text);
  if (!match) throw new Error(`Not a hybrid logical clock value: ${text}`);
  return { wall: Number(match[1]), counter: Number(match[2]) };
}
