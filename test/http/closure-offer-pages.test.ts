import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { contains, html, postForm } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The links of a closure notice lead here. Opening them changes nothing (mail scanners open every
// link); accepting, choosing another time and declining are POSTs.

const THURSDAY_0730 = Date.parse('2026-11-26T06:30:00Z');

describe(`replacement offer pages on ${testDbKind}`, () => {
  let f: Fixture;
  const tokens: string[] = [];

  const offerState = async (token: string) => {
    const page = await html(f.app.request(`/angebot/${token}`));
    return page;
  };
  const heldOf = async (email: string) =>
    f.ctx.db
      .selectFrom('appointment')
      .select(['id', 'status', 'office_id', 'starts_at'])
      .where('citizen_email', '=', email)
      .where('source', '=', 'rebooking')
      .orderBy('created_at')
      .execute();

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    for (let i = 0; i < 4; i++) {
      const start = Date.parse(`2026-11-26T${String(8 + i).padStart(2, '0')}:00:00+01:00`);
      await bookAppointment(f.ctx, {
        officeId: 'test',
        start,
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: { name: `Person ${i}`, email: `p${i}@example.org`, phone: null },
        language: 'de',
        channel: 'online',
      });
    }
    f.clock.set(THURSDAY_0730);
    const opened = await openClosure(f.ctx, {
      officeId: 'test',
      from: THURSDAY_0730,
      to: Date.parse('2026-11-26T18:00:00+01:00'),
      reason: 'technische Störung',
      counters: null,
      notify: true,
      offerReplacements: true,
      actor: 'cli',
    });
    await runClosure(f.ctx, opened.closure.id);
    const notices = await f.ctx.db
      .selectFrom('outbox')
      .select(['recipient', 'body_text'])
      .where('dedupe_key', 'like', 'closure:%')
      .orderBy('recipient')
      .execute();
    for (const n of notices) tokens.push(/\/angebot\/([A-Za-z0-9_-]{43})/.exec(n.body_text)![1]!);
    expect(tokens).toHaveLength(4);
  });
  afterAll(async () => f?.close());

  it('the search offers no time in the closed range (and booking one would be refused anyway)', async () => {
    const { slots } = await json(f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-26&limit=5'));
    expect(slots).toEqual([]);
  });

  it('every public page says the office is closed today, and why', async () => {
    const start = await html(f.app.request('/'));
    contains(start, 'Testamt: heute bis 18:00 Uhr geschlossen. Grund: technische Störung.');
    contains(await html(f.app.request('/?lang=en')), 'Testamt: closed today until 6:00 PM. Reason: technische Störung.');
    // Once the closure is over, the notice is gone.
    f.clock.set(Date.parse('2026-11-26T18:00:00+01:00'));
    expect(await html(f.app.request('/'))).not.toContain('geschlossen. Grund');
    f.clock.set(THURSDAY_0730);
  });

  it('the offer link shows the held slot with a button; opening it accepts nothing', async () => {
    const res = await f.app.request(`/angebot/${tokens[0]}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    contains(
      page,
      'Ihr Termin fällt aus',
      'Grund: technische Störung.',
      'Für Sie reserviert',
      'Fr., 27.11.2026',
      `action="/angebot/${tokens[0]}/annehmen"`,
      'Kurz (1 Person)',
    );
    expect((await heldOf('p0@example.org'))[0]!.status).toBe('reserved');

    const accepted = await postForm(f.app, `/angebot/${tokens[0]}/annehmen`, {});
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/termin\/[A-Za-z0-9_-]{43}\/gebucht$/);
    contains(await html(f.app.request(accepted.headers.get('location')!)), 'Ihr Termin ist gebucht');
    expect((await heldOf('p0@example.org'))[0]!.status).toBe('confirmed');
    // A second click changes nothing and leads back to the offer, which now says it was accepted.
    const again = await postForm(f.app, `/angebot/${tokens[0]}/annehmen`, {});
    expect(again.headers.get('location')).toBe(`/angebot/${tokens[0]}`);
    contains(await offerState(tokens[0]!), 'Sie haben einen neuen Termin');
  });

  it('another time can be chosen from the times open to affected citizens first', async () => {
    const page = await html(f.app.request(`/angebot/${tokens[1]}/andere`));
    contains(page, 'Andere Zeit wählen', `action="/angebot/${tokens[1]}/andere"`, 'name="zeit"');
    const values = [...page.matchAll(/name="zeit" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(values.length).toBeGreaterThan(1);

    const empty = await postForm(f.app, `/angebot/${tokens[1]}/andere`, {});
    expect(empty.status).toBe(422);
    contains(await empty.text(), 'Bitte wählen Sie eine Zeit aus.', 'href="#zeiten-fehler"');

    const chosen = values.at(-1)!;
    const res = await postForm(f.app, `/angebot/${tokens[1]}/andere`, { zeit: chosen });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\/gebucht$/);
    const rows = await heldOf('p1@example.org');
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'confirmed']);
    expect(rows[1]!.starts_at.getTime()).toBe(Number(chosen.split('|')[1]));
  });

  it('declining asks first, then frees the held slot', async () => {
    contains(
      await html(f.app.request(`/angebot/${tokens[2]}/absagen`)),
      'Brauchen Sie wirklich keinen neuen Termin?',
      `action="/angebot/${tokens[2]}/absagen"`,
    );
    expect((await heldOf('p2@example.org'))[0]!.status).toBe('reserved');
    const res = await postForm(f.app, `/angebot/${tokens[2]}/absagen`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/angebot/${tokens[2]}?erfolg=abgesagt`);
    expect((await heldOf('p2@example.org'))[0]!.status).toBe('cancelled');
    contains(await html(f.app.request(res.headers.get('location')!)), 'Sie haben abgesagt');
    // Accepting after declining is refused with a page, not an error.
    expect((await postForm(f.app, `/angebot/${tokens[2]}/annehmen`, {})).status).toBe(409);
  });

  it('a lapsed offer says so; unknown links explain themselves', async () => {
    f.clock.set(THURSDAY_0730 + 60 * 3_600_000);
    contains(await offerState(tokens[3]!), 'Die Reservierung ist abgelaufen');
    expect((await postForm(f.app, `/angebot/${tokens[3]}/annehmen`, {})).status).toBe(409);
    const missing = await f.app.request(`/angebot/${'x'.repeat(43)}`);
    expect(missing.status).toBe(404);
    contains(await missing.text(), 'Angebot nicht gefunden');
    expect((await f.app.request('/angebot/kaputt')).status).toBe(404);
  });
});
