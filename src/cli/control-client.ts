import { openRuntime } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { DomainError, ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
import { controlFilePath, readControlFile, type ControlFile } from '../http/control/control-file.ts';
import { runOperation, type ControlOperation } from '../http/control/control-operations.ts';
import { VERSION_HEADER } from '../http/control/control-routes.ts';
import { SCHALTER_VERSION } from '../version.ts';

// How a `schalter` command reaches the data (docs/decisions/0011-town-file.md): with DATABASE_URL, or
// when the data folder is free, it opens the database itself as it always did; when a server holds
// the folder, it reads <dataDir>/control.json and hands the command to that server's loopback
// control listener. Either way the command gets the same value back and prints it the same way.

/** A refusal on the way to the server, already worded for the operator (German / English): exit 1. */
export class ControlError extends Error {}

export type Execute = <I, R>(operation: ControlOperation<I, R>, input: I) => Promise<R>;

/** How long a server has to answer the ping before the command gives up with a message instead of hanging. */
export const PING_TIMEOUT_MS = 5_000;
const DEFAULT_ANSWER_MS = 60_000;

/** Runs operations in this process or at the server that holds the data folder, found from the same config. */
export function executeFor(config: Config, log: (line: string) => void): Execute {
  return async (operation, input) => {
    let runtime: Awaited<ReturnType<typeof openRuntime>>;
    try {
      runtime = await openRuntime(config, log);
    } catch (error) {
      // DATABASE_URL never locks a folder: only the embedded database gets here.
      if (!(error instanceof DataDirLockedError)) throw error;
      return sendToServer(config.dataDir, error.pid, operation, input, log);
    }
    try {
      return await runOperation(runtime.ctx, operation, input, 'cli');
    } finally {
      await runtime.shutdown();
    }
  };
}

/**
 * Sends one operation to the server that holds `dataDir` (its pid from the lock, when it told us).
 * Resolves with the operation's result; a DomainError from the use case is thrown again as one, so
 * the command reports it exactly as in-process; everything else is a ControlError.
 */
export async function sendToServer<I, R>(
  dataDir: string,
  holderPid: number | null,
  operation: ControlOperation<I, R>,
  input: I,
  log: (line: string) => void = () => {},
  pingTimeoutMs = PING_TIMEOUT_MS,
): Promise<R> {
  const where = await reachServer(dataDir, holderPid, log, pingTimeoutMs);
  const body = operation.method === 'POST' ? JSON.stringify(input) : undefined;
  const answer = (await request(where, operation.method, operation.path, body, operation.answerWithinMs ?? DEFAULT_ANSWER_MS)) as {
    result: R;
  };
  return answer.result;
}

/**
 * Fetches a file the server makes (the backup: src/cli/backup-commands.ts) in chunks, so the caller
 * can show progress and write as it arrives; resolves once the last byte is in. `onSize` gets the
 * length the server announced.
 */
export async function downloadFromServer(
  dataDir: string,
  holderPid: number | null,
  path: string,
  options: {
    log: (line: string) => void;
    onSize(bytes: number): void;
    onChunk(chunk: Uint8Array): Promise<void> | void;
    timeoutMs: number;
  },
): Promise<void> {
  const where = await reachServer(dataDir, holderPid, options.log, PING_TIMEOUT_MS);
  const { file } = where;
  try {
    const response = await fetch(`http://127.0.0.1:${file.port}/control/v1/${path}`, {
      headers: { authorization: `Bearer ${file.token}`, [VERSION_HEADER]: SCHALTER_VERSION },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok || !response.body) {
      refuse(where, response.status, await response.json().catch(() => ({})));
    }
    options.onSize(Number(response.headers.get('content-length') ?? 0));
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) await options.onChunk(chunk);
  } catch (error) {
    if (error instanceof ControlError || error instanceof DomainError) throw error;
    if ((error as Error).name === 'TimeoutError') throw new ControlError(noAnswer(where, options.timeoutMs));
    throw new ControlError(unreachable(where, error));
  }
}

/** control.json read and checked, and the server's answer to the ping: whom the command talks to. */
async function reachServer(
  dataDir: string,
  holderPid: number | null,
  log: (line: string) => void,
  pingTimeoutMs: number,
): Promise<{ dataDir: string; file: ControlFile }> {
  let file: ControlFile | null;
  try {
    file = readControlFile(dataDir);
  } catch (error) {
    throw new ControlError(
      `${controlFilePath(dataDir)} ist nicht lesbar (${(error as Error).message}). Der Befehl muss unter dem Benutzer laufen, dem der Datenordner gehört. / ` +
        'cannot be read: run the command as the user who owns the data folder.',
    );
  }
  // No file, or one left by an earlier process while the holder is still starting up.
  if (!file || (holderPid !== null && file.pid !== holderPid)) throw new ControlError(notReady(dataDir, holderPid));
  if (file.version !== SCHALTER_VERSION) throw new ControlError(versionMessage(file.version, SCHALTER_VERSION));
  const where = { dataDir, file };
  log(
    `Der Server (Prozess ${file.pid}) hält den Datenordner; der Befehl läuft dort. / The server (process ${file.pid}) holds the data folder; the command runs there.`,
  );
  const ping = (await request(where, 'GET', '', undefined, pingTimeoutMs)) as { pid?: number };
  if (ping.pid !== file.pid) throw new ControlError(notReady(dataDir, holderPid));
  return where;
}

async function request(
  where: { dataDir: string; file: ControlFile },
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  timeoutMs: number,
): Promise<unknown> {
  const { file } = where;
  let response: Response;
  let payload: unknown;
  try {
    response = await fetch(`http://127.0.0.1:${file.port}/control/v1${path ? `/${path}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${file.token}`,
        [VERSION_HEADER]: SCHALTER_VERSION,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    payload = await response.json();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new ControlError(noAnswer(where, timeoutMs));
    throw new ControlError(unreachable(where, error));
  }
  if (response.ok) return payload;
  return refuse(where, response.status, payload);
}

/** A refused command, thrown as the operator should read it. */
function refuse(where: { dataDir: string; file: ControlFile }, status: number, payload: unknown): never {
  const { file } = where;
  const { code, message, details } = (payload as { error?: { code?: string; message?: string; details?: unknown } }).error ?? {};
  if (status === 401) {
    throw new ControlError(
      `Der Server (Prozess ${file.pid}) lehnt den Schlüssel aus ${controlFilePath(where.dataDir)} ab – gehört die Datei zu einem anderen Start? / ` +
        'The server refused the token from control.json: does the file belong to another start?',
    );
  }
  if (code === 'version_mismatch') {
    const versions = details as { server?: string; cli?: string } | undefined;
    throw new ControlError(versionMessage(versions?.server ?? '?', versions?.cli ?? SCHALTER_VERSION));
  }
  if (code && code in ERROR_CODES) throw new DomainError(code as ErrorCode, message ?? code, details);
  throw new ControlError(
    `Der Server (Prozess ${file.pid}) konnte den Befehl nicht ausführen (${status} ${code ?? ''}: ${message ?? ''}); Einzelheiten stehen in seinem Protokoll. / ` +
      'The server could not carry out the command; see its log.',
  );
}

function notReady(dataDir: string, pid: number | null): string {
  const holder = pid ? `Prozess ${pid}` : 'einem anderen Prozess';
  const holderEn = pid ? `process ${pid}` : 'another process';
  return (
    `Der Datenordner ${dataDir} wird von ${holder} benutzt, der keine Befehle annimmt – startet der Server gerade oder fährt er herunter? ` +
    `Versuchen Sie es in einigen Sekunden noch einmal. / The data folder is in use by ${holderEn}, which takes no commands: ` +
    'is the server starting or stopping? Try again in a few seconds.'
  );
}

function versionMessage(server: string, cli: string): string {
  return (
    `Der laufende Server hat Version ${server}, dieses schalter Version ${cli}. Starten Sie den Server nach dem Update neu. / ` +
    `The running server is version ${server}, this schalter is version ${cli}: restart the server after the upgrade.`
  );
}

function noAnswer({ dataDir, file }: { dataDir: string; file: ControlFile }, timeoutMs: number): string {
  const seconds = Math.round(timeoutMs / 1000);
  return (
    `Der Server (Prozess ${file.pid}, 127.0.0.1:${file.port}) hält den Datenordner ${dataDir}, antwortet aber nicht innerhalb von ${seconds} s. ` +
    `Prüfen Sie sein Protokoll und starten Sie ihn gegebenenfalls neu. / The server (process ${file.pid}) holds the data folder but did not answer ` +
    `within ${seconds} s: check its log and restart it if needed.`
  );
}

function unreachable({ dataDir, file }: { dataDir: string; file: ControlFile }, error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return (
    `Der Server (Prozess ${file.pid}) hält den Datenordner ${dataDir}, ist aber auf 127.0.0.1:${file.port} nicht erreichbar (${cause}). ` +
    `Fährt er gerade herunter? Versuchen Sie es in einigen Sekunden noch einmal. / The server (process ${file.pid}) holds the data folder but ` +
    'cannot be reached: is it stopping? Try again in a few seconds.'
  );
}
