import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkTownFile } from '../../../src/app/setup/town-file.ts';
import { WEEKDAY_KEYS, type TownFileInput } from '../../../src/app/setup/town-file-schema.ts';
import { isClosedDay, readClosedDay } from '../../../src/domain/closed-days.ts';
import { isPublicHoliday } from '../../../src/domain/holidays.ts';
import { epochDay, isoOfEpochDay } from '../../../src/domain/week-pattern.ts';

// Generated towns (#21 "done when"): every valid town passes `setup check`, and every invalid
// mutation of one is reported at the path that was mutated.

const CLOSED = ['rosenmontag', 'heiligabend', 'silvester', '2027-05-07'];
const closedRules = CLOSED.map((c) => readClosedDay(c)!);
/** Weekdays of 2027 on which an exception can take effect in DE-NW: no public holiday, no closing day. */
const WORKDAYS = Array.from({ length: 365 }, (_, i) => isoOfEpochDay(epochDay('2027-01-01') + i)).filter(
  (d) => !isPublicHoliday(d, 'DE-NW') && !isClosedDay(d, closedRules),
);
const SLOTS = [
  ['07:30', '10:00'],
  ['10:00', '12:30'],
  ['13:00', '16:00'],
  ['16:00', '24:00'],
] as const;
const FIRST_MONDAY = epochDay('2027-01-04');

// Text with what makes YAML quote: colons, hashes, quotes, leading dashes, umlauts.
const words = fc.stringMatching(/^[A-Za-zÄÖÜäöüß0-9][A-Za-zÄÖÜäöüß0-9 ,.:#'"()/-]{0,24}[A-Za-zäöü.)]$/);
const bilingual = fc.record({ de: words, en: words });

const service = (id: string) =>
  fc.record(
    {
      id: fc.constant(id),
      name: bilingual,
      minutes: fc.record(
        { first: fc.integer({ min: 1, max: 480 }), further: fc.integer({ min: 1, max: 480 }) },
        { requiredKeys: ['first'] },
      ),
      feeCents: fc.integer({ min: 0, max: 100_000 }),
      documents: fc
        .array(fc.tuple(words, words), { maxLength: 4 })
        .map((docs) => ({ de: docs.map(([de]) => de), en: docs.map(([, en]) => en) })),
      online: fc.boolean(),
      maxPersons: fc.integer({ min: 1, max: 20 }),
    },
    { requiredKeys: ['id', 'name', 'minutes'] },
  );

type Hours = NonNullable<TownFileInput['offices'][number]['hours']>[number];

/** Lines of hours that never meet: each (slot, weekday) belongs to one line. */
const hours = (counters: number): fc.Arbitrary<Hours[]> =>
  fc
    .tuple(
      ...SLOTS.map(() => fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 })),
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: counters }), fc.integer({ min: 0, max: counters }), fc.integer({ min: 1, max: 4 }), fc.nat(30)),
        { minLength: 8, maxLength: 8 },
      ),
    )
    .map(([...rest]) => {
      const plan = rest.pop() as [number, number, number, number][];
      const lines: Hours[] = [];
      (rest as number[][]).forEach((weekdays, s) => {
        const halves = [weekdays.slice(0, Math.ceil(weekdays.length / 2)), weekdays.slice(Math.ceil(weekdays.length / 2))];
        halves.forEach((days, h) => {
          if (days.length === 0) return;
          const [appointment, walkin, everyWeeks, offset] = plan[s * 2 + h]!;
          const line: Hours = {
            days: days.map((d) => WEEKDAY_KEYS[d]!),
            from: SLOTS[s]![0],
            to: SLOTS[s]![1],
            appointmentCounters: appointment,
            walkinCounters: Math.min(walkin, counters - appointment),
          };
          if (everyWeeks > 1) Object.assign(line, { everyWeeks, startingFrom: isoOfEpochDay(FIRST_MONDAY + days[0]! + 7 * (offset % 4)) });
          if (offset > 20) Object.assign(line, { validFrom: '2027-03-01', validTo: offset > 25 ? '2027-09-30' : undefined });
          lines.push(line);
        });
      });
      return lines.length ? lines : [{ days: ['mon'], from: '08:00', to: '12:00', appointmentCounters: counters }];
    });

const office = (id: string, serviceIds: string[]) =>
  fc.integer({ min: 1, max: 6 }).chain((counters) =>
    fc.record(
      {
        id: fc.constant(id),
        name: words,
        address: words,
        services: fc.subarray(serviceIds, { minLength: 1 }),
        counters: fc
          .uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: counters, maxLength: counters })
          .map((numbers) => numbers.map((number) => ({ number }))),
        hours: hours(counters),
        exceptions: fc.uniqueArray(fc.integer({ min: 0, max: WORKDAYS.length - 1 }), { maxLength: 4 }).chain((days) =>
          fc.tuple(
            ...days.map((d) =>
              fc.record({
                date: fc.constant(WORKDAYS[d]!),
                appointmentCounters: fc.integer({ min: 0, max: counters }),
                reason: words,
                whole: fc.boolean(),
              }),
            ),
          ),
        ),
        rules: fc.record(
          {
            release: fc.record(
              {
                weekday: fc.constantFrom(...WEEKDAY_KEYS),
                time: fc.constantFrom('06:30', '07:00', '23:59'),
                horizonDays: fc.integer({ min: 1, max: 90 }),
              },
              { requiredKeys: [] },
            ),
            sameDayShare: fc.constantFrom(0, 0.1, 0.5),
            phoneShare: fc.constantFrom(0, 0.25, 0.5),
            walkinQuota: fc.nat(200),
            minLeadMinutes: fc.nat(1440),
            confirmation: fc.constantFrom('email', 'none'),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['id', 'name', 'address', 'counters', 'hours'] },
    ),
  );

const town = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom('personalausweis', 'reisepass', 'wohnsitz', 'abholung', 'hausbesuch', 'x1'), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.uniqueArray(fc.constantFrom('rathaus', 'nord', 'sued', 'dorf-1'), { minLength: 1, maxLength: 3 }),
  )
  .chain(([serviceIds, officeIds]) =>
    fc.record({
      municipality: fc.record({
        id: fc.constant('stadt'),
        name: words,
        mailFrom: fc.constant('Bürgerbüro <bb@stadt.example>'),
        imprintUrl: fc.constant('https://stadt.example/impressum'),
        privacyUrl: fc.constant('https://stadt.example/datenschutz'),
        closedDays: fc.subarray(CLOSED),
      }),
      services: fc.tuple(...serviceIds.map(service)),
      offices: fc.tuple(...officeIds.map((id) => office(id, serviceIds))),
    }),
  )
  .map((t) => {
    // An exception covers the whole day or its morning.
    for (const o of t.offices)
      o.exceptions = o.exceptions?.map(({ whole, ...x }) => (whole ? x : { ...x, from: '08:00', to: '09:00' })) as never;
    return t as unknown as TownFileInput;
  });

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
