import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterCommand } from '../../src/app/counter/counter-command.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { formatHlc } from '../../src/domain/hlc.ts';
import { applyJournalEntries, enrollBranch, type EnrolledBranch } from '../../src/sync/central-apply.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';
import { addBranchClerk, BRANCH_CLERK } from '../sync/sync-fixture.ts';
import { newEntityId } from '../../src/app/shared/ids.ts';

// Klärfälle (#6): facts from a branch's Notbetrieb that did not fit the central state — a document
// handed out that the central server does not know as ready, a walk-in slot beyond the lease. Team
// leads see both sides with their times and settle each with a note; clerks may not.

const at = (hhmm: string) => `2026-11-25T${hhmm}:00+01:00`;

describe(`Klärfälle API and staff page (${testDbKind})`, () => {
  let f: Fixture;
  let branch: EnrolledBranch;
  let lead: string;
  let clerk: string;

  beforeAll(async () => {
    // No lease at all: every walk-in slot the branch gives is beyond it.
    f = await createFixture({ counters: 2, settings: { branchLeaseShare: 0 } });
    await addOfficeNord(f);
    await addBranchClerk(f);
    const { branchId } = await enrollBranch(f.ctx, { officeId: 'test', actor: 'test' });
    branch = { id: branchId, officeId: 'test', name: 'Zweigstelle' };
    const commands: CounterCommand[] = [
      {
        type: 'document.hand_out',
        officeId: 'test',
        payload: { orderNumber: 'PA-4711', recipient: 'holder' },
        actor: BRANCH_CLERK,
        at: at('10:15'),
      },
      {
        type: 'walkin.book_slot',
        officeId: 'test',
        payload: { appointmentId: newEntityId(f.ctx), reference: 'KLA-ERF', serviceId: 'short', startsAt: at('11:00') },
        actor: BRANCH_CLERK,
        at: at('10:20'),
      },
    ];
    f.clock.set(Date.parse(at('10:40')));
    const { results } = await applyJournalEntries(
      f.ctx,
      branch,
      // The hand-out while cut off, the walk-in slot with the line up (the lease is simply used up).
      commands.map((command, i) => ({
        opId: newEntityId(f.ctx),
        branchId,
        seq: i + 1,
        hlc: formatHlc({ wall: Date.parse(command.at), counter: 0 }),
        command,
        cutOff: i === 0,
      })),
    );
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['conflict', 'not_found'],
      ['conflict', 'lease_exceeded'],
    ]);
    lead = await addToken(f, { role: 'teamlead', officeIds: ['test'] });
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
  });
  afterAll(async () => f?.close());

  const list = async (query = '', token = lead) =>
    (await json(f.app.request(`/api/v1/offices/test/work-items${query}`, { headers: bearer(token) }))).items;

  it('lists both sides of each Klärfall with their times', async () => {
    const items = await list();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      kind: 'not_found',
      branchAction: 'Dokument PA-4711 ausgegeben',
      branchAt: at('10:15'),
      branchCutOff: true,
      resolvedAt: null,
    });
    expect(items[0].centralVerdict).toBeTruthy();
    expect(items[0].message).toContain('am Standort um 10:15 (Notbetrieb); zentral um 10:40 nicht zulässig');
    expect(items[1]).toMatchObject({
      kind: 'lease_exceeded',
      branchAction: 'Termin KLA-ERF für 11:00 an Spontankunden vergeben',
      branchAt: at('10:20'),
      branchCutOff: false,
    });
    // Only a branch that was cut off was in Notbetrieb (#18).
    expect(items[1].message).toContain('am Standort um 10:20 (mit Verbindung zur Zentrale), über das Kontingent der Zweigstelle hinaus');
    // The walk-in slot stands: the appointment exists, without seats.
    expect(
      await f.ctx.db.selectFrom('appointment').select(['status', 'source']).where('reference', '=', 'KLA-ERF').executeTakeFirst(),
    ).toEqual({ status: 'confirmed', source: 'counter' });
  });

  it('resolves one with a note, audited; a second resolve is refused and the first note stands', async () => {
    const [item] = await list();
    const res = await postJson(
      f.app,
      `/api/v1/offices/test/work-items/${item.id}/resolve`,
      { note: 'Dokument war fertig, Status zentral nachgetragen' },
      bearer(lead),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: item.id,
      resolutionNote: 'Dokument war fertig, Status zentral nachgetragen',
      resolvedAt: new Date(at('10:40')).toISOString(),
    });
    expect(await list()).toHaveLength(1);
    expect((await list('?all=true')).find((i: { id: string }) => i.id === item.id)).toMatchObject({
      resolutionNote: 'Dokument war fertig, Status zentral nachgetragen',
    });
    const audit = await auditRows(f, 'sync_work_item.resolve');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: item.id, office_id: 'test' });

    const again = await postJson(
      f.app,
      `/api/v1/offices/test/work-items/${item.id}/resolve`,
      { note: 'nochmal' },
      { ...bearer(lead), 'accept-language': 'de' },
    );
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_resolved', message: 'Dieser Klärfall ist bereits erledigt.' } });
  });

  it('refuses clerks, other offices, unknown items and empty notes, and changes nothing', async () => {
    const [open] = await list();
    const forbidden = await f.app.request('/api/v1/offices/test/work-items', { headers: { ...bearer(clerk), 'accept-language': 'de' } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'forbidden', message: 'Dafür fehlt Ihnen die Berechtigung.' } });
    expect((await postJson(f.app, `/api/v1/offices/test/work-items/${open.id}/resolve`, { note: 'x' }, bearer(clerk))).status).toBe(403);
    const nordLead = await addToken(f, { role: 'teamlead', officeIds: ['nord'] });
    expect((await f.app.request('/api/v1/offices/test/work-items', { headers: bearer(nordLead) })).status).toBe(404);
    expect((await postJson(f.app, `/api/v1/offices/nord/work-items/${open.id}/resolve`, { note: 'x' }, bearer(nordLead))).status).toBe(404);
    expect(
      (await postJson(f.app, `/api/v1/offices/test/work-items/${newEntityId(f.ctx)}/resolve`, { note: 'x' }, bearer(lead))).status,
    ).toBe(404);
    expect((await postJson(f.app, `/api/v1/offices/test/work-items/${open.id}/resolve`, { note: '   ' }, bearer(lead))).status).toBe(422);
    expect((await list()).map((i: { id: string }) => i.id)).toEqual([open.id]);
  });

  it('is documented in the OpenAPI document', async () => {
    const spec = await json(f.app.request('/api/v1/openapi.json'));
    expect(spec.paths['/offices/{officeId}/work-items']?.get).toBeDefined();
    expect(spec.paths['/offices/{officeId}/work-items/{itemId}/resolve']?.post).toBeDefined();
    expect(spec.components.schemas.WorkItem.properties).toHaveProperty('centralVerdict');
  });

  it('the team lead’s page shows the Klärfall in German and English and settles it with a note; clerks get 403', async () => {
    const [open] = await list();
    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'browser-klaerfaelle');
    await b.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });

    const page = await b.page('/staff/klaerfaelle');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Klärfälle der Zweigstelle');
    expect(page.html).toContain('Über das Kontingent der Zweigstelle hinaus vergeben');
    expect(page.html).toContain('(mit Verbindung zur Zentrale): Termin KLA-ERF für 11:00 an Spontankunden vergeben');
    expect(page.html).toContain('href="/staff/klaerfaelle"'); // in the navigation
    expect(page.html).toContain(`action="/staff/klaerfaelle/${open.id}"`);
    const english = await b.page('/staff/klaerfaelle?lang=en');
    expect(english.html).toContain('Work items from the branch');
    expect(english.html).toContain('Given beyond the branch lease');

    const empty = await b.post(`/staff/klaerfaelle/${open.id}`, { note: '' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Please note what you did.');
    expect(await list()).toHaveLength(1);

    // A forged form without the CSRF token changes nothing.
    expect((await b.post(`/staff/klaerfaelle/${open.id}`, { note: 'gefälscht' }, { csrf: false })).status).toBe(403);
    expect(await list()).toHaveLength(1);

    const done = await b.post(`/staff/klaerfaelle/${open.id}`, { note: 'Platz um 11:00 geprüft, Schalter 2 übernimmt' });
    expect(done.status).toBe(303);
    expect(await list()).toHaveLength(0);
    const all = await b.page('/staff/klaerfaelle?alle=1&lang=de');
    expect(all.html).toContain('Platz um 11:00 geprüft, Schalter 2 übernimmt');

    // Clerks neither see the page nor its link.
    await addStaff(f, { email: 'sachbearbeitung@stadt.example', role: 'clerk', officeIds: ['test'] });
    const c = new StaffBrowser(f, 'browser-klaerfaelle-clerk');
    await c.post('/staff/login', { email: 'sachbearbeitung@stadt.example', password: STAFF_PASSWORD });
    await c.page('/staff/standort');
    await c.post('/staff/standort', { office: 'test' });
    const refused = await c.page('/staff/klaerfaelle');
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain('Klärfälle der Zweigstelle');
    expect(refused.html).not.toContain('href="/staff/klaerfaelle"');
  });
});
