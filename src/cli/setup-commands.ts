import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import type { SetupApplied, SetupPreview } from '../app/setup/apply-town-file.ts';
import type { AffectedAppointment } from '../app/setup/plan-setup-change.ts';
import type { SetupChange } from '../app/setup/setup-diff.ts';
import { checkTownFile, placeOf, type TownFileProblem } from '../app/setup/town-file.ts';
import type { Bilingual } from '../app/setup/town-file-messages.ts';
import { checkLogo, LOGO_PATH, unreadableLogo } from '../app/setup/town-logo.ts';
import { DomainError } from '../domain/errors.ts';
import { townFileJsonSchema } from '../app/setup/town-file-schema.ts';
import { TOWN_FILE_TEMPLATE } from '../app/setup/town-file-template.ts';
import { applyTownFile, exportTownFile } from '../http/control/control-operations.ts';
import type { Execute } from './control-client.ts';
import { domainErrorText } from './cli-errors.ts';

// `schalter setup …`: the town file (#21, docs/decisions/0011-town-file.md). init, check and schema
// read files and print; they open no database, so they work anywhere, also while the server runs.
// apply and export work on the database as `user add` does: each is one operation
// (src/http/control/control-operations.ts) run in-process or, while a server holds the embedded
// database, at that server; its value is rendered here the same way in both cases.
// Results go to stdout (a template, a schema, the list of problems or changes); usage errors to stderr.

export const SETUP_HELP = `  setup init         print a commented town file to start from (schalter setup init > stadt.yaml)
  setup check FILE [--json]
                     check a town file (FILE - reads stdin); lists every problem with its place,
                     exit 1 if there is one. --json: [{path, line, column, de, en}]. The logo file
                     (municipality.logo, SVG or PNG up to 512 KB) is read relative to FILE
  setup schema       print the JSON Schema of the town file, for editors
  setup apply FILE [--dry-run] [--close-affected --reason TEXT]
                     apply a town file: prints what it creates, changes and removes and the booked
                     appointments it has no room for, then applies it in one transaction. Refused
                     (exit 1) while appointments would lose their seat, unless --close-affected
                     cancels them with --reason (each person is told once and offered a held
                     replacement). --dry-run: print only, change nothing
  setup export       print the town as set up now, as a town file (apply of it changes nothing);
                     the logo is named, not written: keep its file beside the exported file
`;

export type SetupCliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  /** The logo file `municipality.logo` names; without it a town file with a logo cannot be checked whole. */
  readBytes?: (path: string) => Promise<Uint8Array>;
  readStdin: () => Promise<string>;
  /**
   * Runs apply and export as `user add` runs: in this process, or at the server that holds the data
   * folder (src/cli/control-client.ts).
   */
  execute?: Execute;
};

class Usage extends Error {}

export async function runSetupCommand(args: string[], io: SetupCliIo): Promise<number> {
  try {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'init':
        noArguments(rest, 'init');
        io.out(TOWN_FILE_TEMPLATE);
        return 0;
      case 'schema':
        noArguments(rest, 'schema');
        io.out(`${JSON.stringify(townFileJsonSchema(), null, 2)}\n`);
        return 0;
      case 'check':
        return await check(rest, io);
      case 'apply':
        return await apply(rest, io);
      case 'export':
        noArguments(rest, 'export');
        io.out((await database(io)(exportTownFile, {})).yaml);
        return 0;
      default:
        throw new Usage(
          sub
            ? `unknown setup command "${sub}" (known: init, check, schema, apply, export)`
            : 'setup needs a command: init, check, schema, apply or export',
        );
    }
  } catch (error) {
    if (error instanceof Usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`schalter: ${(error as Error).message}\n\n${SETUP_HELP}`);
      return 2;
    }
    if (error instanceof DomainError) {
      io.err(`${domainErrorText(error)}\n`);
      return 1;
    }
    throw error;
  }
}

function noArguments(args: string[], command: string): void {
  if (args.length > 0) throw new Usage(`setup ${command} takes no arguments, got "${args[0]}"`);
}

async function check(args: string[], io: SetupCliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1)
    throw new Usage(positionals.length === 0 ? 'setup check needs the town file (or - for stdin)' : 'setup check takes one file');
  const file = positionals[0]!;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    io.err(`schalter: ${unreadable(file, error)}\n`);
    return 1;
  }
  const name = file === '-' ? '(stdin)' : file;
  const logo = await readLogo(file, text, io);
  const problems = [...checkTownFile(text).problems, ...(logo.problem ? [logo.problem] : [])];
  if (values.json) {
    io.out(`${JSON.stringify(problems, null, 2)}\n`);
  } else if (problems.length === 0) {
    io.out(`${name}: in Ordnung / valid\n`);
  } else {
    for (const problem of problems) io.out(formatProblem(name, problem));
    io.out(`${name}: ${problems.length === 1 ? '1 Problem / 1 problem' : `${problems.length} Probleme / ${problems.length} problems`}\n`);
  }
  return problems.length === 0 ? 0 : 1;
}

/** `stadt.yaml:14:9: offices[1].hours[0].to: „25:00“ ist keine Uhrzeit …` and the English below. */
export function formatProblem(file: string, p: TownFileProblem): string {
  const place = p.line === null ? file : `${file}:${p.line}:${p.column}`;
  return `${place}: ${p.path ? `${p.path}: ` : ''}${p.de}\n    ${p.en}\n`;
}

function unreadable(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason: Record<string, string> = {
    ENOENT: 'Datei nicht gefunden / no such file',
    EACCES: 'keine Leseberechtigung / permission denied',
    EISDIR: 'ist ein Ordner, keine Datei / is a folder, not a file',
  };
  return `${file}: ${reason[code ?? ''] ?? `nicht lesbar / cannot be read (${(error as Error).message})`}`;
}

async function apply(args: string[], io: SetupCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean' }, 'close-affected': { type: 'boolean' }, reason: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1)
    throw new Usage(positionals.length === 0 ? 'setup apply needs the town file (or - for stdin)' : 'setup apply takes one file');
  const reason = values.reason?.trim();
  if (values['close-affected'] && !reason) throw new Usage('--close-affected needs --reason TEXT (told to every affected person)');
  if (values.reason !== undefined && !values['close-affected']) throw new Usage('--reason belongs to --close-affected');
  const file = positionals[0]!;
  const name = file === '-' ? '(stdin)' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    io.err(`schalter: ${unreadable(file, error)}\n`);
    return 1;
  }
  // A file with problems is reported before any database is opened.
  const logo = await readLogo(file, text, io);
  const problems = [...checkTownFile(text).problems, ...(logo.problem ? [logo.problem] : [])];
  if (problems.length > 0) {
    for (const problem of problems) io.out(formatProblem(name, problem));
    io.out(`${name}: nicht angewendet / not applied\n`);
    return 1;
  }
  const mode = { dryRun: values['dry-run'] === true, closeAffected: values['close-affected'] === true };
  const outcome = await database(io)(applyTownFile, {
    document: text,
    ...(logo.bytes ? { logoBase64: Buffer.from(logo.bytes).toString('base64') } : {}),
    dryRun: mode.dryRun,
    closeAffectedReason: reason,
  });
  switch (outcome.outcome) {
    case 'preview':
      io.out(renderSetupResult(name, outcome.preview, mode));
      return 0;
    case 'applied':
      io.out(renderSetupResult(name, outcome.applied, mode));
      return 0;
    case 'refused':
      io.out(renderSetupResult(name, { ...outcome, sha256: '', towns: [] }, { dryRun: false, closeAffected: false }));
      return 1;
    case 'invalid':
      for (const problem of outcome.problems) io.out(formatProblem(name, problem));
      io.out(`${name}: nicht angewendet / not applied\n`);
      return 1;
  }
}

/**
 * The logo file the town file names, relative to the town file (to the working folder for stdin),
 * and what is wrong with it, at the path `municipality.logo` like every other problem.
 */
async function readLogo(file: string, text: string, io: SetupCliIo): Promise<{ bytes?: Uint8Array; problem?: TownFileProblem }> {
  let name: unknown;
  try {
    name = (parse(text) as { municipality?: { logo?: unknown } } | null)?.municipality?.logo;
  } catch {
    return {}; // the YAML problems are checkTownFile's
  }
  if (typeof name !== 'string' || name.trim() === '') return {};
  const located = (p: Bilingual): TownFileProblem => ({ path: LOGO_PATH, ...placeOf(text, LOGO_PATH), ...p });
  const tried = path.resolve(file === '-' ? '.' : path.dirname(file), name);
  if (!io.readBytes) return {};
  let bytes: Uint8Array;
  try {
    bytes = await io.readBytes(tried);
  } catch (error) {
    return { problem: located(unreadableLogo(name, tried, (error as NodeJS.ErrnoException).code)) };
  }
  const checked = checkLogo(bytes);
  return checked.logo ? { bytes } : { problem: located(checked.problem) };
}

function database(io: SetupCliIo): Execute {
  if (!io.execute) throw new Error('this command needs the database');
  return io.execute;
}

const SIGN: Record<SetupChange['action'], string> = { created: '+', changed: '~', removed: '-' };

/**
 * The changes and the appointments they touch, German first with the English below, dates as a
 * clerk reads them („Do., 10.12.2026, 09:30“, the office's local time); then what was done.
 */
export function renderSetupResult(
  name: string,
  result: SetupPreview | SetupApplied,
  mode: { dryRun: boolean; closeAffected: boolean },
): string {
  const lines: string[] = [];
  const { changes, affectedAppointments: affected } = result;
  if (changes.length === 0) return `${name}: keine Änderungen / no changes\n`;
  lines.push(`${name}: ${changes.length === 1 ? '1 Änderung / 1 change' : `${changes.length} Änderungen / ${changes.length} changes`}`);
  for (const c of changes) lines.push(`  ${SIGN[c.action]} ${c.de}`, `      ${c.en}`);
  if (affected.length > 0) {
    lines.push(`Betroffene Termine / affected appointments: ${affected.length}`, ...affected.map((a) => `  ${formatAppointment(a)}`));
  }
  if (mode.dryRun) {
    lines.push('Probelauf: nichts geändert / dry run: nothing changed');
    if (affected.length > 0 && !mode.closeAffected)
      lines.push(
        'Anwenden wird abgelehnt, solange diese Termine keinen Platz haben (--close-affected --reason TEXT sagt sie ab)',
        '  apply will be refused while these appointments have no room (--close-affected --reason TEXT cancels them)',
      );
  } else if ('applied' in result && result.applied) {
    if (affected.length > 0)
      lines.push(
        `${affected.length === 1 ? '1 Termin' : `${affected.length} Termine`} abgesagt; jede Person wird einmal benachrichtigt und erhält einen Ersatztermin, soweit einer frei ist`,
        `  ${affected.length === 1 ? '1 appointment' : `${affected.length} appointments`} cancelled; each person is told once and offered a held replacement where one is free`,
      );
    lines.push(`Angewendet, Stand ${result.revision?.revision ?? '?'} / applied, revision ${result.revision?.revision ?? '?'}`);
  } else {
    lines.push(
      `Abgelehnt: für ${affected.length === 1 ? '1 gebuchten Termin' : `${affected.length} gebuchte Termine`} ist kein Platz mehr; nichts geändert.`,
      '  Mit --close-affected --reason TEXT werden sie abgesagt (Nachricht und Ersatztermin).',
      `  refused: no room for ${affected.length} booked appointment(s); nothing changed. --close-affected --reason TEXT cancels them (message and replacement).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const WHY: Record<AffectedAppointment['why'], string> = {
  capacity: 'weniger Plätze / fewer seats',
  service: 'Dienstleistung entfällt / service removed',
  office: 'Standort entfällt / office removed',
};

/** „Do., 10.12.2026, 09:30  rathaus  K7M2QX  Anna Müller  (weniger Plätze / fewer seats)“ */
export function formatAppointment(a: AffectedAppointment): string {
  const when = new Intl.DateTimeFormat('de-DE', {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: a.timeZone,
  }).format(a.start);
  return `${when}  ${a.officeId}  ${a.reference}  ${a.citizenName ?? '–'}  (${WHY[a.why]})`;
}
