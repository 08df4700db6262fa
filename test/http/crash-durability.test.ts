import { afterAll, describe, expect, it } from 'vitest';
import { killHard, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { scratchEnvironment, testDbKind } from '../helpers/test-db.ts';
import { json } from '../helpers/fixture.ts';

// Invariant 2: a booking acknowledged to a citizen survives a crash of the process.
describe(`a booking answered 201 survives SIGKILL and restart (${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function environment(): Promise<Record<string, string>> {
    return { ...(await scratchEnvironment('crash', cleanups)), ...{ SCHALTER_CONFIRMATION: 'none' } };
  }

  it('books three appointments, is killed right after the last 201, and finds all three after restart', { timeout: 180_000 }, async () => {
    const env = await environment();
    let server: ServerProcess = await startServer(env);
    cleanups.push(async () => killHard(server));

    const booked: { reference: string; manageToken: string }[] = [];
    for (const i of [0, 1, 2]) {
      // Ask again each time: the previous booking may have taken the seat the next slot needs.
      const { slots } = await json(fetch(`${server.url}/api/v1/availability?services=meldebescheinigung&limit=1`));
      const slot = slots[0];
      const res = await fetch(`${server.url}/api/v1/appointments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          officeId: slot.officeId,
          start: slot.start,
          services: [{ serviceId: 'meldebescheinigung', persons: 1 }],
          citizen: { name: `Crash ${i}`, email: `crash${i}@example.org` },
        }),
      });
      expect(res.status).toBe(201);
      const body = await json(res);
      booked.push({ reference: body.appointment.reference, manageToken: body.manageToken });
    }
    await killHard(server);

    server = await startServer(env);
    expect(server.output()).not.toContain('Demodaten');
    for (const { reference, manageToken } of booked) {
      const res = await fetch(`${server.url}/api/v1/appointments/${manageToken}`);
      expect(res.status).toBe(200);
      expect((await json(res)).appointment).toMatchObject({ reference, status: 'confirmed' });
    }
  });
});
