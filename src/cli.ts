import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { materializeCapacity } from './app/booking/materialize-capacity.ts';
import { isDatabaseEmpty, seedDemo } from './app/demo/seed-demo.ts';
import { openRuntime } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { runServer } from './serve.ts';
import { BRANCH_HELP, runBranchCommand } from './cli/branch-commands.ts';
import { runTokenCommand, runUserCommand, STAFF_HELP, terminalIo } from './cli/staff-commands.ts';
import { CLOSE_HELP, runCloseCommand } from './cli/close-command.ts';
import { runSetupCommand, SETUP_HELP } from './cli/setup-commands.ts';
import { ControlError } from './cli/control-client.ts';
import { BACKUP_HELP, runBackupCommand, runRestoreCommand } from './cli/backup-commands.ts';
import { runExportCommand, runImportCommand, TOWN_HELP } from './cli/town-commands.ts';

const HELP = `Schalter — Termine, Warteschlange und Schalter für Bürgerbüros

Usage: schalter <command> [options]

Commands:
  serve              start the server (default: embedded database in ./data, demo data on first start)
      --port N       listen on port N (default: PORT or 3000)
      --role R       standalone (default) | central | branch
      --central-url U  (branch) the central server, e.g. https://schalter.kreis.example
      --office ID    (branch) the office this node serves
  migrate            bring the database schema up to date and exit
  seed --demo        load the Musterstadt demo data into an empty database
${SETUP_HELP}${STAFF_HELP}${CLOSE_HELP}${BRANCH_HELP}${BACKUP_HELP}${TOWN_HELP}  help               show this text

Configuration is read from the environment; see README.md (PORT, HOST, DATABASE_URL,
SCHALTER_DATA_DIR, PUBLIC_URL, SMTP_URL, SCHALTER_CONFIRMATION, SCHALTER_RATE_LIMIT, …).
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  const env = { ...process.env };
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, role: { type: 'string' }, 'central-url': { type: 'string' }, office: { type: 'string' } },
        strict: true,
      });
      if (values.port) env.PORT = values.port;
      if (values.role) env.SCHALTER_ROLE = values.role;
      if (values['central-url']) env.SCHALTER_CENTRAL_URL = values['central-url'];
      if (values.office) env.SCHALTER_OFFICE = values.office;
      await runServer(loadConfig(env));
      return -1; // keeps running
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const runtime = await openRuntime(loadConfig(env), console.log);
      console.log('Schema ist aktuell / schema is up to date');
      await runtime.shutdown();
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } }, strict: true });
      if (!values.demo) throw new UsageError('seed needs --demo (the only data set so far)');
      return seed(loadConfig(env));
    }
    case 'setup':
      return runSetupCommand(rest, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        readFile: (file) => readFile(file, 'utf8'),
        readBytes: async (file) => new Uint8Array(await readFile(file)),
        readStdin: () => readAll(process.stdin),
        execute: terminalIo(env).execute,
      });
    case 'user':
      return runUserCommand(rest, terminalIo(env));
    case 'token':
      return runTokenCommand(rest, terminalIo(env));
    case 'branch':
      return runBranchCommand(rest, loadConfig(env));
    case 'backup':
      return runBackupCommand(rest, loadConfig(env), { err: (text) => process.stderr.write(text) });
    case 'restore':
      return runRestoreCommand(rest, loadConfig(env), { err: (text) => process.stderr.write(text) });
    case 'export':
      return runExportCommand(rest, loadConfig(env), { err: (text) => process.stderr.write(text) });
    case 'import':
      return runImportCommand(rest, loadConfig(env), { err: (text) => process.stderr.write(text) });
    case 'close':
      return runCloseCommand(rest, { ...terminalIo(env), isTty: process.stderr.isTTY === true });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function seed(config: Config): Promise<number> {
  const runtime = await openRuntime(config, console.log);
  try {
    if (!(await isDatabaseEmpty(runtime.ctx.db))) {
      console.error(
        'Die Datenbank enthält schon Daten; Demodaten werden nur in eine leere Datenbank geladen. / The database is not empty.',
      );
      return 1;
    }
    const seeded = await seedDemo(runtime.ctx, { onProgress: (done, total, label) => console.log(`  ${label} ${done}/${total}`) });
    await materializeCapacity(runtime.ctx);
    console.log(`Demodaten geladen / demo data loaded: ${seeded.appointments} Termine`);
    return 0;
  } finally {
    await runtime.shutdown();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`schalter: ${(error as Error).message}\n`);
      process.stderr.write(HELP);
      process.exit(2);
    }
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof ControlError) {
      console.error(error.message);
      process.exit(1);
    }
    const unreachable = databaseProblem(error);
    if (unreachable && !process.env.SCHALTER_DEBUG) {
      console.error(unreachable);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);

/**
 * The usual reasons a start fails on PostgreSQL — server down, wrong database, user or password —
 * as one line an operator can act on instead of a stack trace (SCHALTER_DEBUG=1 shows the trace).
 */
function databaseProblem(error: unknown): string | null {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const known: Record<string, string> = {
    ECONNREFUSED: 'der Datenbankserver ist nicht erreichbar / the database server refuses connections',
    ENOTFOUND: 'der Datenbankserver ist unbekannt / unknown database host',
    '3D000': 'die Datenbank gibt es nicht / the database does not exist',
    '28P01': 'Anmeldung an der Datenbank abgelehnt / authentication failed',
    '28000': 'Anmeldung an der Datenbank abgelehnt / authentication failed',
    '57P03': 'der Datenbankserver startet gerade / the database server is starting up',
  };
  if (typeof code !== 'string' || !(code in known)) return null;
  return `Datenbank / database: ${known[code]} (${String(message)}). Prüfen Sie DATABASE_URL / check DATABASE_URL.`;
}
