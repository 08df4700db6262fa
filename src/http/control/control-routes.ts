import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError, ERROR_CODES } from '../../domain/errors.ts';
import { runOperation, type AnyControlOperation } from './control-operations.ts';

/** The header a CLI names its version in; a server of another version refuses the command. */
export const VERSION_HEADER = 'schalter-version';

export type ControlRoutesOptions = {
  ctx: AppContext;
  /** SHA-256 of the token in control.json: the token itself is kept nowhere in the server's memory. */
  tokenHash: Buffer;
  version: string;
  operations: readonly AnyControlOperation[];
  log: (message: string, error?: unknown) => void;
  /** `schalter backup` (embedded database only): the backup file's bytes, taken by this process. */
  backup?: () => Promise<Uint8Array>;
  /** `schalter export --municipality ID` (embedded database only): the town's archive, read by this process. */
  townExport?: (municipalityId: string) => Promise<Uint8Array>;
};

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The routes of the loopback control listener, and only those: they are never part of the public app
 * (src/http/app.ts), because behind a reverse proxy on the same host every internet request arrives
 * from 127.0.0.1 too. Errors keep the domain's own code and message, so the CLI prints the same
 * line and exits with the same code as when it runs the use case itself.
 */
export function controlRoutes(options: ControlRoutesOptions) {
  const { ctx, version } = options;
  const app = new Hono();

  // Everything on this listener needs the token, unknown paths included.
  app.use('*', async (c, next) => {
    const presented = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    // Both sides hashed first: equal lengths for timingSafeEqual, and the comparison time says nothing about the token.
    if (!presented || !timingSafeEqual(sha256(presented), options.tokenHash)) {
      return fail(c, 401, 'control_unauthenticated', 'The control token is missing or wrong');
    }
    const cliVersion = c.req.header(VERSION_HEADER);
    if (cliVersion !== undefined && cliVersion !== version) {
      return fail(c, 409, 'version_mismatch', `schalter ${cliVersion} cannot command a server of version ${version}`, {
        server: version,
        cli: cliVersion,
      });
    }
    await next();
  });

  // The CLI's ping: does the server answer at all (5 s), and is it the process that wrote control.json?
  app.get('/control/v1', (c) => c.json({ pid: process.pid, version }));

  // Not a control operation: the answer is the backup file itself, not JSON (src/cli/backup-commands.ts).
  const { backup } = options;
  if (backup) {
    app.get('/control/v1/backup', async (c) => {
      const file = await backup();
      return c.body(new Uint8Array(file), 200, { 'content-type': 'application/x-tar', 'content-length': String(file.byteLength) });
    });
  }

  // Like the backup: the answer is the archive (src/cli/town-commands.ts). An unknown town is a DomainError (404).
  const { townExport } = options;
  if (townExport) {
    app.get('/control/v1/town-export', async (c) => {
      const id = c.req.query('municipality');
      if (!id) return fail(c, 400, 'malformed_request', 'municipality is required');
      const file = await townExport(id);
      return c.body(new Uint8Array(file), 200, { 'content-type': 'application/x-tar', 'content-length': String(file.byteLength) });
    });
  }

  for (const operation of options.operations) {
    app.on(operation.method, `/control/v1/${operation.path}`, async (c) => {
      let input: unknown = {};
      if (operation.method === 'POST') {
        try {
          input = await c.req.json();
        } catch {
          return fail(c, 400, 'malformed_request', 'The body is not JSON');
        }
      }
      const result = await runOperation(ctx, operation, input, { kind: 'cli', via: 'control' });
      return c.json({ result });
    });
  }

  app.notFound((c) => fail(c, 404, 'not_found', `No control route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof DomainError) {
      return fail(c, ERROR_CODES[error.code] as ContentfulStatusCode, error.code, error.message, error.details);
    }
    options.log(`control ${c.req.method} ${c.req.path} failed`, error);
    return fail(c, 500, 'internal_error', 'The server failed to carry out the command; see its log');
  });
  return app;
}

function fail(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
  return c.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status);
}
