import fc from 'fast-check';
import { WEEKDAY_KEYS, type TownFileInput } from '../../src/app/setup/town-file-schema.ts';
import { isClosedDay, readClosedDay } from '../../src/domain/closed-days.ts';
import { isPublicHoliday } from '../../src/domain/holidays.ts';
import { epochDay, isoOfEpochDay } from '../../src/domain/week-pattern.ts';

// Valid towns for property tests (#21): the check accepts each (test/app/setup/town-file-property.test.ts),
// and apply → export → apply changes nothing (test/app/setup/apply-export-property.test.ts).

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

export const town = fc
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
