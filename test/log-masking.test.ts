import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskedError, maskSecrets } from '../src/log-masking.ts';

const token = () => randomBytes(32).toString('base64url');

describe('secrets are masked before anything is logged', () => {
  it('every kind of token link loses its token and keeps its shape', () => {
    const t = token();
    const paths = [
      `/termin/${t}`,
      `/termin/${t}/bestaetigen`,
      `/termin/${t}/verschieben`,
      `/angebot/${t}/annehmen`,
      `/warteliste/${t}`,
      `/erinnerung/${t}/absagen`,
      `/verlosung/${t}`,
      `/api/v1/appointments/${t}/reschedule`,
      `/api/v1/waiting-list/${t}/accept`,
      `/api/v1/release-requests/${t}`,
    ];
    for (const path of paths) {
      const masked = maskSecrets(`POST ${path} failed`);
      expect(masked, path).not.toContain(t.slice(4, 20));
      expect(masked, path).toBe(`POST ${path.replace(t, `${t.slice(0, 4)}…`)} failed`);
    }
  });

  it('integration and branch tokens, a token with text pasted after it, and link parameters are masked', () => {
    const t = token();
    expect(maskSecrets(`Bearer sch_${t}`)).toBe('Bearer sch_…');
    expect(maskSecrets(`schb_${t}`)).toBe('schb…');
    expect(maskSecrets(`/termin/${t}xyz`)).toBe(`/termin/${t.slice(0, 4)}…`);
    expect(maskSecrets(`http://schalter.test/termin/abc/bestaetigen?code=123456&lang=en`)).toBe(
      'http://schalter.test/termin/abc/bestaetigen?code=…&lang=en',
    );
    expect(maskSecrets('/x?token=abc')).toBe('/x?token=…');
  });

  it('ids, UUIDs, dates and ordinary paths stay readable', () => {
    const id = randomUUID();
    for (const text of [
      `GET /staff/schliessungen/${id} failed`,
      '/api/v1/staff/offices/buergerbuero-nord/day-plan?date=2026-11-26',
      'at readAppointmentView (/work/main/src/app/appointment-record.ts:55:9)',
    ]) {
      expect(maskSecrets(text)).toBe(text);
    }
  });

  it('an error keeps its message and stack but not a token in them or in its cause', () => {
    const t = token();
    const error = new Error(`fetch http://central/termin/${t} failed`, { cause: new Error(`token ${t} rejected`) });
    const shown = maskedError(error);
    expect(shown).toContain('fetch http://central/termin/');
    expect(shown).toContain('at ');
    expect(shown).toContain('rejected');
    expect(shown).not.toContain(t);
    expect(shown).not.toContain(t.slice(4, 20));
  });

  it('no 32-byte token survives, wherever it stands in a line (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (bytes, before, after) => {
          const t = Buffer.from(bytes).toString('base64url');
          expect(maskSecrets(`${before}${t}${after}`)).not.toContain(t.slice(4));
        },
      ),
      { seed: 15_09, numRuns: 500 },
    );
  });
});
