import { pino, type DestinationStream } from 'pino';
import { maskedError, maskSecrets } from './log-masking.ts';

// The server's log (issue 23, item 2, first part): one JSON object per line on standard output when it
// is not a terminal (journald, a container, a file), readable lines when it is. Every line passes the
// secret masking as a whole, fields included: a path or an error may quote a token.

export type RequestFields = { reqId: string; method: string; route: string; status: number; ms: number };

export type Logger = {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  /** One line per HTTP request: by route pattern, never the path (paths carry tokens). */
  request(fields: RequestFields): void;
  /** From the configuration (SCHALTER_LOG_LEVEL), once it is read. */
  setLevel(level: 'debug' | 'info' | 'warn' | 'error'): void;
};

export type LoggerOptions = {
  /** Readable lines instead of JSON: the default when standard output is a terminal. */
  pretty?: boolean;
  /** Where lines go; standard output by default. */
  write?: (line: string) => void;
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const destination: DestinationStream = {
    write: (line: string) => write(maskSecrets(pretty ? readable(line) : line)),
  };
  const base = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    info: (message) => base.info(message),
    error: (message, error) => (error === undefined ? base.error(message) : base.error({ err: maskedError(error) }, message)),
    setLevel: (level) => {
      base.level = level;
    },
    request: (fields) => base.info({ req: fields }, `${fields.method} ${fields.route} ${fields.status} ${fields.ms} ms`),
  };
}

/** `12:03:04 INFO GET /termin/:token 200 3 ms [reqId]` from a JSON line; an error's text below it. */
function readable(line: string): string {
  const entry = JSON.parse(line) as { time: string; level: string; msg: string; req?: RequestFields; err?: string };
  const time = entry.time.slice(11, 19);
  const level = entry.level.toUpperCase().padEnd(5);
  const reqId = entry.req ? ` [${entry.req.reqId}]` : '';
  return `${time} ${level} ${entry.msg}${reqId}${entry.err ? `\n${entry.err}` : ''}\n`;
}
