import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, postJson, type Fixture } from '../helpers/fixture.ts';
import { DeviceBrowser } from '../helpers/office-device.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

const POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/** What the policy would block in a page: inline script, inline style, event handler attributes. */
function inlineCode(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    if (/^<script\b/i.test(tag) && !/\ssrc=/.test(tag) && !/\stype="application\/json"/.test(tag)) found.push(tag);
    if (/^<style\b/i.test(tag)) found.push(tag);
    if (/\sstyle=/i.test(tag) && !/^<svg\b/i.test(tag)) found.push(tag);
    if (/\son[a-z]+=/i.test(tag) || /=\s*"javascript:/i.test(tag)) found.push(tag);
  }
  return found;
}

describe(`Content-Security-Policy on ${testDbKind}: every page under it, and none needs inline code`, () => {
  let f: Fixture;
  let token: string;
  let start: string;
  const staff = () => new StaffBrowser(f);
  beforeAll(async () => {
    f = await createFixture({ counters: 2 });
    const search = await f.app.request('/api/v1/availability?services=short&office=test&from=2026-11-26&to=2026-11-26&limit=2');
    const { slots } = (await search.json()) as { slots: { start: string }[] };
    start = slots[1]!.start;
    const booking = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: slots[0]!.start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Erika', email: 'erika@example.org' },
    });
    ({ manageToken: token } = (await booking.json()) as { manageToken: string });
    await addStaff(f, { email: 'clerk@stadt.example', role: 'clerk', officeIds: ['test'] });
  });
  afterAll(() => f.close());

  it('citizen, office and staff pages carry the policy and contain no inline script, style or handler', async () => {
    const b = staff();
    await b.post('/staff/login', { email: 'clerk@stadt.example', password: STAFF_PASSWORD });
    const citizen = [
      '/',
      '/buchen',
      '/buchen/termin?services=short&office=test&day=2026-11-26',
      `/buchen/angaben?services=short&office=test&start=${encodeURIComponent(start)}`,
      '/warteliste/eintragen?services=short',
      '/transparenz',
      '/barrierefreiheit',
      `/termin/${token}`,
      `/termin/${token}/bestaetigen`,
      `/termin/${token}/verschieben`,
      '/termin/unbekannt',
      '/status',
      '/kiosk/test',
      '/staff/login',
    ];
    const pages: [string, Response][] = [];
    for (const path of citizen) pages.push([path, await f.app.request(path)]);
    // Kiosk and display as the office's own devices see them.
    const office = { networks: loadConfig({ SCHALTER_OFFICE_NETWORKS: '10.20.0.0/16' }).officeNetworks };
    const pc = new DeviceBrowser(
      createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {}, office }),
      '10.20.0.5',
    );
    for (const path of ['/kiosk/test', '/display/test']) pages.push([`${path} (office PC)`, await pc.get(path)]);
    for (const path of ['/staff/tagesplan?datum=2026-11-26', '/staff/schalter', '/staff/abholung', '/staff/statistics', '/staff/telefon'])
      pages.push([path, await b.get(path)]);
    for (const [path, res] of pages) {
      expect(`${res.status} ${res.headers.get('content-type')} ${res.headers.get('location')}`, path).toMatch(
        /^(200|403|404|422) text\/html/,
      );
      expect(res.headers.get('content-security-policy'), path).toBe(POLICY);
      expect(inlineCode(await res.text()), path).toEqual([]);
    }
  });

  it('the Notbetrieb banner of a branch node needs no inline style either', async () => {
    const branch = createHttpApp({
      ctx: f.ctx,
      dbKind: f.database.kind,
      rateLimitPerMinute: null,
      log: () => {},
      branchStatus: async () => ({ emergency: true, unsynced: 3, lastContactAt: null, lastError: null }),
    });
    const html = await (await branch.request('/')).text();
    expect(html).toContain('schalter-notbetrieb');
    expect(inlineCode(html)).toEqual([]);
  });

  it('the booking form loads the bot check from our origin: its scripts, its worker and its styles are served', async () => {
    const html = await (await f.app.request(`/buchen/angaben?services=short&office=test&start=${encodeURIComponent(start)}`)).text();
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(3);
    for (const src of scripts) {
      expect(src).toMatch(/^\/static\//);
      const res = await f.app.request(src);
      expect(res.status, src).toBe(200);
      expect(res.headers.get('content-type'), src).toMatch(/^text\/javascript/);
    }
    // The last one registers the proof-of-work worker, a file of ours (no blob: URL, no inline <style>).
    const registration = await (await f.app.request(scripts[2]!)).text();
    const worker = /new Worker\("([^"]+)"\)/.exec(registration)![1]!;
    expect((await f.app.request(worker)).status).toBe(200);
    const widget = await (await f.app.request(scripts[1]!)).text();
    expect(widget).not.toContain('createElement("style")');
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!;
    expect(await (await f.app.request(css)).text()).toContain('.altcha-main');
  });
});
