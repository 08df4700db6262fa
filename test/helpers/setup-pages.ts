import fs from 'node:fs';
import path from 'node:path';
import { applySetup } from '../../src/app/setup/apply-town-file.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, type Fixture } from './fixture.ts';
import { addStaff, STAFF_PASSWORD } from './staff.ts';
import { StaffBrowser } from './staff-browser.ts';

// What every test of the set-up pages under /staff/verwaltung (#19) starts from: the example town
// applied, an admin, a team lead of Süd and a clerk of Süd logged in, and the values a browser
// without JavaScript would send back from a form or a preview's confirmation.

export const EXAMPLE_TOWN = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/erlenbruch.yaml'), 'utf8');

export async function loggedIn(f: Fixture, client: string, account: { email: string; totpSecret: string | null }, office?: string) {
  const b = new StaffBrowser(f, client);
  await b.post('/staff/login', { email: account.email, password: STAFF_PASSWORD });
  if (account.totpSecret) {
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(account.totpSecret, f.clock.now()) });
  }
  await b.page('/staff/standort');
  if (office) await b.post('/staff/standort', { office });
  return b;
}

export type SetupPagesFixture = { f: Fixture; admin: StaffBrowser; lead: StaffBrowser; clerk: StaffBrowser };

/** Erlenbruch applied; the admin works in the Rathaus, the team lead and the clerk in Süd. */
export async function setupPagesFixture(): Promise<SetupPagesFixture> {
  const f = await createFixture();
  await applySetup(f.ctx, EXAMPLE_TOWN, { actor: 'test' });
  const admin = await loggedIn(f, 'admin', await addStaff(f, { email: 'it@stadt.example', role: 'admin', officeIds: [] }), 'rathaus');
  const lead = await loggedIn(
    f,
    'lead',
    await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['sued'] }),
    'sued',
  );
  const clerk = await loggedIn(f, 'clerk', await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['sued'] }), 'sued');
  return { f, admin, lead, clerk };
}

const unescape = (v: string) =>
  v
    .replace(/&#10;/g, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function collect(pairs: Iterable<[string, string]>): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, raw] of pairs) {
    if (name === '_csrf') continue;
    const before = fields[name];
    fields[name] = before === undefined ? unescape(raw) : [before, unescape(raw)].flat();
  }
  return fields;
}

/** The values a browser sends for a form: its inputs (ticked boxes only), selected options and textareas. */
export function formFields(html: string): Record<string, string | string[]> {
  const pairs: [string, string][] = [];
  for (const [tag] of html.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    if (/type="(checkbox|radio)"/.test(tag) && !/ checked/.test(tag)) continue;
    pairs.push([name, /value="([^"]*)"/.exec(tag)?.[1] ?? '']);
  }
  for (const [, name, value] of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) pairs.push([name!, value!]);
  for (const [, name, options] of html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option [^>]*value="([^"]*)"[^>]* selected/.exec(options!) ?? /<option [^>]*value="([^"]*)"/.exec(options!);
    if (chosen) pairs.push([name!, chosen[1]!]);
  }
  return collect(pairs);
}

/** The hidden fields of a preview's confirmation, as the browser sends them back. */
export function hiddenFields(html: string): Record<string, string | string[]> {
  return collect(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, n, v]) => [n!, v!] as [string, string]),
  );
}
