import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTownFile } from '../../../src/app/setup/town-file.ts';
import type { TownFileInput } from '../../../src/app/setup/town-file-schema.ts';
import { town } from '../../helpers/town-file-arbitrary.ts';

// Generated towns (#21 "done when"): every valid town passes `setup check`, and every invalid
// mutation of one is reported at the path that was mutated.

type Mutation = (t: TownFileInput, pick: (n: number) => number) => string;
const at = <T>(items: readonly T[] | undefined, pick: (n: number) => number): [T, number] => {
  const i = pick(items!.length);
  return [items![i]!, i];
};

/** Each breaks one thing and names the path the check must report it at. */
const MUTATIONS: Record<string, Mutation> = {
  'a time that does not exist': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    line.to = '25:00';
    return `offices[${i}].hours[${h}].to`;
  },
  'an end before the start': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    line.to = line.from === '07:30' ? '07:00' : '07:30';
    return `offices[${i}].hours[${h}].to`;
  },
  'a service id twice': (t, pick) => {
    const [s] = at(t.services, pick);
    t.services.push({ ...s });
    return `services[${t.services.length - 1}].id`;
  },
  'an office id twice': (t, pick) => {
    const [o] = at(t.offices, pick);
    t.offices.push(structuredClone(o));
    return `offices[${t.offices.length - 1}].id`;
  },
  'a counter number twice': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.counters.push({ number: o.counters[0]!.number });
    return `offices[${i}].counters[${o.counters.length - 1}].number`;
  },
  'an unknown service': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.services = [...(o.services ?? []), 'gibt-es-nicht'];
    return `offices[${i}].services[${o.services.length - 1}]`;
  },
  'an unknown key': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    Object.assign(line, { walkinCounter: 1 });
    return `offices[${i}].hours[${h}].walkinCounter`;
  },
  'a missing name': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    delete (o as { name?: string }).name;
    return `offices[${i}].name`;
  },
  'a share of 1': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.rules = { ...o.rules, phoneShare: 1 };
    return `offices[${i}].rules.phoneShare`;
  },
  'a horizon of 91 days': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.rules = { ...o.rules, release: { horizonDays: 91 } };
    return `offices[${i}].rules.release.horizonDays`;
  },
  'more counters than the office has': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    line.appointmentCounters = o.counters.length + 1;
    return `offices[${i}].hours[${h}].appointmentCounters`;
  },
  'every other week without a start': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    Object.assign(line, { everyWeeks: 2, startingFrom: undefined });
    return `offices[${i}].hours[${h}].startingFrom`;
  },
  'a line written twice': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line] = at(o.hours, pick);
    o.hours.push({ ...line, everyWeeks: 1, startingFrom: undefined, validFrom: undefined, validTo: undefined });
    return `offices[${i}].hours[${o.hours.length - 1}]`;
  },
  'an exception date that does not exist': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.exceptions = [...(o.exceptions ?? []), { date: '2027-02-29', appointmentCounters: 0, reason: 'Schaltjahr?' }];
    return `offices[${i}].exceptions[${o.exceptions.length - 1}].date`;
  },
  'an exception with a start only': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    o.exceptions = [...(o.exceptions ?? []), { date: '2026-12-01', from: '08:00', appointmentCounters: 0, reason: 'x' }];
    return `offices[${i}].exceptions[${o.exceptions.length - 1}].to`;
  },
  'a weekday in German': (t, pick) => {
    const [o, i] = at(t.offices, pick);
    const [line, h] = at(o.hours, pick);
    line.days = [...line.days, 'mo' as never];
    return `offices[${i}].hours[${h}].days[${line.days.length - 1}]`;
  },
};

const yaml = (t: TownFileInput) => stringify(t);

describe('generated towns', () => {
  it('every valid town passes the check', () => {
    fc.assert(
      fc.property(town, (t) => {
        expect(checkTownFile(yaml(t)).problems).toEqual([]);
      }),
      { seed: 2121, numRuns: 100 },
    );
  });

  it('every mutation is reported at the path it broke', () => {
    const names = Object.keys(MUTATIONS);
    fc.assert(
      fc.property(town, fc.constantFrom(...names), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (generated, name, choices) => {
        // fast-check hands the same value to every shrinking step: mutate a copy.
        const t = structuredClone(generated);
        let next = 0;
        const pick = (n: number) => choices[next++ % choices.length]! % n;
        const path = MUTATIONS[name]!(t, pick);
        const { problems } = checkTownFile(yaml(t));
        expect(
          problems.map((p) => p.path),
          name,
        ).toContain(path);
        for (const p of problems) expect(p.de.length > 0 && p.en.length > 0 && p.line !== null).toBe(true);
      }),
      { seed: 2122, numRuns: 250 },
    );
  });
});
