import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, type Fixture } from '../helpers/fixture.ts';

// A fuzz test drives every operation of the OpenAPI document and holds the server to what it
// declares, so the declarations must say which refusals can come: malformed JSON (400), an office
// that does not exist (404 office_not_found), invalid values (422).

type Operation = { parameters?: unknown[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> };

describe('the OpenAPI document declares the refusals each operation can give', () => {
  let f: Fixture;
  let operations: [string, Operation][];
  beforeAll(async () => {
    f = await createFixture();
    const doc = (await json(f.app.request('/api/v1/openapi.json'))) as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
    );
  });
  afterAll(async () => f?.close());

  const missing = (want: (name: string, op: Operation) => string | null) =>
    operations.flatMap(([name, op]) => {
      const code = want(name, op);
      return code !== null && !(code in op.responses) ? [`${name}: ${code}`] : [];
    });

  it('404 wherever an office is named in the path', () => {
    expect(missing((name) => (name.includes('{officeId}') ? '404' : null))).toEqual([]);
  });

  it('422 wherever a parameter or a body is read', () => {
    expect(missing((_name, op) => ((op.parameters?.length ?? 0) > 0 || op.requestBody ? '422' : null))).toEqual([]);
  });

  it('400 wherever a JSON body is parsed', () => {
    // The branch journal is the sync helper's (#15 item 8), declared there.
    expect(missing((name, op) => (op.requestBody?.content['application/json'] && !name.startsWith('POST /sync/') ? '400' : null))).toEqual(
      [],
    );
  });
});
