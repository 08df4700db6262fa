import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AppContext } from '../../app/shared/context.ts';
import { newToken } from '../../app/shared/ids.ts';
import { removeControlFile, writeControlFile } from './control-file.ts';
import { CONTROL_OPERATIONS, type AnyControlOperation } from './control-operations.ts';
import { controlRoutes, sha256 } from './control-routes.ts';

export type ControlListener = { port: number; stop(): Promise<void> };

/**
 * Opens the loopback listener through which `schalter user add`, `token create` and the like reach a
 * server on the embedded database (docs/decisions/0011-town-file.md, option A), and writes
 * `<dataDir>/control.json` for them. Call only while holding the data folder's lock: the file says
 * which process serves the folder, and a stale one (after a crash) is overwritten here.
 */
export async function startControlListener(options: {
  ctx: AppContext;
  dataDir: string;
  version: string;
  log: (message: string, error?: unknown) => void;
  operations?: readonly AnyControlOperation[];
  backup?: () => Promise<Uint8Array>;
  townExport?: (municipalityId: string) => Promise<Uint8Array>;
}): Promise<ControlListener> {
  // 256 random bits per start; the server keeps only their SHA-256.
  const token = newToken(options.ctx);
  const app = controlRoutes({
    ctx: options.ctx,
    tokenHash: sha256(token),
    version: options.version,
    operations: options.operations ?? CONTROL_OPERATIONS,
    log: options.log,
    ...(options.backup ? { backup: options.backup } : {}),
    ...(options.townExport ? { townExport: options.townExport } : {}),
  });
  // Port 0: the kernel picks a free port, so two installations on one PC never collide and no setting is needed.
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    server.once('error', reject);
  });
  writeControlFile(options.dataDir, { pid: process.pid, port, version: options.version, token });
  return {
    port,
    stop: async () => {
      removeControlFile(options.dataDir, process.pid);
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
