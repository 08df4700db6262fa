import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../src/app/closures/run-closure.ts';
import { openClosure } from '../../src/app/closures/open-closure.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// A closure of a big office affects thousands: its progress page shows the counts per state and a
// hundred people at a time, filtered by state, instead of one table of everyone.

const PEOPLE = 230;
const PHONE_ONLY = 30;

const rows = (html: string) => (/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').match(/<tr>/g)?.length ?? 0;

describe(`closure progress page with ${PEOPLE} people (${testDbKind})`, () => {
  let f: Fixture;
  let lead: StaffBrowser;
  let path: string;

  beforeAll(async () => {
    // Six counters, Thursday and Friday 08:00–12:00: 288 ten-minute seats.
    f = await createFixture({ counters: 6, settings: { confirmation: 'none' } });
    for (let i = 0; i < PEOPLE; i++) {
      const day = i < 144 ? '2026-11-26' : '2026-11-27';
      const start = Date.parse(`${day}T08:00:00+01:00`) + Math.floor((i % 144) / 6) * 10 * 60_000;
      const phoneOnly = i % 7 === 0 && i < PHONE_ONLY * 7;
      await bookAppointment(f.ctx, {
        officeId: 'test',
        start,
        services: [{ serviceId: 'short', persons: 1 }],
        citizen: phoneOnly ? { name: `Festnetz ${i}`, phone: `0221 4710 ${100 + i}` } : { name: `Mail ${i}`, email: `p${i}@example.org` },
        language: 'de',
        channel: 'phone',
      });
    }
    const opened = await openClosure(f.ctx, {
      officeId: 'test',
      from: Date.parse('2026-11-26T00:00:00+01:00'),
      to: Date.parse('2026-11-28T00:00:00+01:00'),
      reason: 'Umzug',
      counters: null,
      notify: true,
      offerReplacements: false,
      actor: 'cli',
    });
    await runClosure(f.ctx, opened.closure.id);
    path = `/staff/schliessungen/${opened.closure.id}`;
    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    lead = new StaffBrowser(f, 'lead');
    await lead.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
    await lead.page('/staff/code');
    await lead.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
  }, 120_000);
  afterAll(async () => f?.close());

  it('shows the counts per state for everyone, but lists the first hundred people only, with a link to the next page', async () => {
    const { status, html } = await lead.page(path);
    expect(status).toBe(200);
    contains(
      html,
      'Betroffene Termine</a></dt><dd>230</dd>',
      'Abgesagt</a></dt><dd>230</dd>',
      'Auf der Anrufliste</a></dt><dd>30</dd>',
      'Nachrichten in der Warteschlange</a></dt><dd>200</dd>',
    );
    contains(html, 'Personen 1–100 von 230', 'Seite 1 von 3', `href="${path}?seite=2#betroffene"`, 'Nächste Seite');
    expect(html).not.toContain('Vorherige Seite');
    expect(rows(html)).toBe(100);
  });

  it('the last page holds the rest, and a page beyond the end shows the last one', async () => {
    const last = await lead.page(`${path}?seite=3`);
    contains(last.html, 'Personen 201–230 von 230', 'Seite 3 von 3', `href="${path}?seite=2#betroffene"`);
    expect(rows(last.html)).toBe(30);
    expect(last.html).not.toContain('Nächste Seite');
    contains((await lead.page(`${path}?seite=99`)).html, 'Personen 201–230 von 230');
  });

  it('a figure filters the list: only the people on the call list, and "nobody" for a state nobody is in', async () => {
    const calls = await lead.page(`${path}?zustand=callList`);
    contains(calls.html, 'Betroffene Personen: Auf der Anrufliste', 'Personen 1–30 von 30', 'aria-current="true">Auf der Anrufliste');
    expect(rows(calls.html)).toBe(30);
    expect(calls.html).toContain('Festnetz 0');
    expect(calls.html).not.toContain('Mail 1<');
    expect(calls.html).not.toContain('Seite 1 von');
    // The refresh links keep the filter.
    contains(calls.html, `href="${path}?zustand=callList&amp;auto=1"`);
    const failed = await lead.page(`${path}?zustand=failed`);
    contains(failed.html, 'Keine Personen in dieser Auswahl.');
    expect(rows(failed.html)).toBe(0);
  });

  it('the API pages and filters the same way', async () => {
    const token = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
    const id = path.split('/').at(-1);
    const body = await json(f.app.request(`/api/v1/closures/${id}?state=waiting&page=2&pageSize=150`, { headers: bearer(token) }));
    expect(body.counts).toMatchObject({ done: 230, callList: 30, waiting: 200, sent: 0, failed: 0, pending: 0 });
    expect(body.list).toEqual({ filter: 'waiting', page: 2, pageSize: 150, matching: 200, pages: 2 });
    expect(body.people).toHaveLength(50);
    expect(body.people.every((p: { message: { state: string } }) => p.message.state === 'queued')).toBe(true);
    expect((await f.app.request(`/api/v1/closures/${id}?state=everything`, { headers: bearer(token) })).status).toBe(422);
  });
});
