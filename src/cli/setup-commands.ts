import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import type { SetupApplied, SetupPreview } from '../app/setup/apply-town-file.ts';
import type { AffectedAppointment } from '../app/setup/plan-setup-change.ts';
import type { SetupChange } from '../app/setup/setup-diff.ts';
import { checkSetupFile, placeOf, type TownFileProblem } from '../app/setup/town-file.ts';
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
                     check a town file or a Kreis file of several towns (municipalities:; FILE -
                     reads stdin); lists every problem with its place,
                     exit 1 if there is one. --json: [{path, line, column, de, en}]. The logo file
                     (municipality.logo, SVG or PNG up to 512 KB) is read relative to FILE
  setup schema       print the JSON Schema of the town file (and Kreis file), for editors
  setup apply FILE [--dry-run] [--close-affected --reason TEXT]
                     apply a town file, or a Kreis file (each town on its own rows; towns the file
                     does not name stay as they are): prints per town what it creates, changes and removes and the booked
                     appointments it has no room for, then applies it in one transaction. Refused
                     (exit 1) while appointments would lose their seat, unless --close-affected
                     cancels them with --reason (each person is told once and offered a held
                     replacement). --dry-run: print only, change nothing
  setup export [--municipality ID]
                     print the town as set up now, as a town file (apply of it changes nothing);
                     with several towns the Kreis file of all, or with --municipality one town's
                     file. The logo is named, not written: keep its file beside the exported file
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
        return await exportFile(rest, io);
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

async function exportFile(args: string[], io: SetupCliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { municipality: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new Usage(`setup export takes no file, got "${positionals[0]}" (it writes to stdout: > datei.yaml)`);
  const municipality = values.municipality?.trim();
  if (values.municipality !== undefined && !municipality) throw new Usage('--municipality needs the id of a town');
  io.out((await database(io)(exportTownFile, municipality ? { municipality } : {})).yaml);
  return 0;
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
  const logos = await readLogos(file, text, io);
  const problems = [...checkSetupFile(text).problems, ...logos.problems];
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
  const logos = await readLogos(file, text, io);
  const problems = [...checkSetupFile(text).problems, ...logos.problems];
  if (problems.length > 0) {
    for (const problem of problems) io.out(formatProblem(name, problem));
    io.out(`${name}: nicht angewendet / not applied\n`);
    return 1;
  }
  const mode = { dryRun: values['dry-run'] === true, closeAffected: values['close-affected'] === true };
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const outcome = await database(io)(applyTownFile, {
    document: text,
    ...(logos.kreis
      ? { logosBase64: Object.fromEntries(Object.entries(logos.bytes).map(([town, bytes]) => [town, base64(bytes)])) }
      : logos.bytes['']
        ? { logoBase64: base64(logos.bytes['']) }
        : {}),
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
 * The logo files the file names (a town file one at `municipality.logo`, a Kreis file one per town at
 * `municipalities[i].municipality.logo`), relative to the file (to the working folder for stdin), and
 * what is wrong with each, at its path like every other problem. `bytes` is keyed by the town's id in
 * a Kreis file, by '' in a town file.
 */
async function readLogos(
  file: string,
  text: string,
  io: SetupCliIo,
): Promise<{ kreis: boolean; bytes: Record<string, Uint8Array>; problems: TownFileProblem[] }> {
  type Town = { municipality?: { id?: unknown; logo?: unknown } } | null;
  let data: (Town & { municipalities?: unknown }) | null;
  try {
    data = parse(text) as typeof data;
  } catch {
    return { kreis: false, bytes: {}, problems: [] }; // the YAML problems are checkSetupFile's
  }
  const kreis = Array.isArray(data?.municipalities);
  const towns: { key: string; path: string; town: Town }[] = kreis
    ? (data!.municipalities as Town[]).map((town, i) => ({
        key: typeof town?.municipality?.id === 'string' ? town.municipality.id : String(i),
        path: `municipalities[${i}].${LOGO_PATH}`,
        town,
      }))
    : [{ key: '', path: LOGO_PATH, town: data }];
  const bytes: Record<string, Uint8Array> = {};
  const problems: TownFileProblem[] = [];
  for (const { key, path: at, town } of towns) {
    const name = town?.municipality?.logo;
    if (typeof name !== 'string' || name.trim() === '' || !io.readBytes) continue;
    const located = (p: Bilingual): TownFileProblem => ({ path: at, ...placeOf(text, at), ...p });
    const tried = path.resolve(file === '-' ? '.' : path.dirname(file), name);
    try {
      const read = await io.readBytes(tried);
      const checked = checkLogo(read);
      if (checked.logo) bytes[key] = read;
      else problems.push(located(checked.problem));
    } catch (error) {
      problems.push(located(unreadableLogo(name, tried, (error as NodeJS.ErrnoException).code)));
    }
  }
  return { kreis, bytes, problems };
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
  const { changes } = result;
  if (changes.length === 0 && result.towns.length <= 1) return `${name}: keine Änderungen / no changes\n`;
  const lines: string[] = [];
  if (result.towns.length > 1) {
    // A Kreis file: each town's changes under its name; what was done once, for the whole file.
    for (const town of result.towns) lines.push(...changeLines(`${name} [${town.municipalityId}]`, town.changes));
    if (changes.length === 0) return `${lines.join('\n')}\n`;
  } else {
    lines.push(...changeLines(name, changes));
  }
  lines.push(...outcomeLines(result, mode));
  return `${lines.join('\n')}\n`;
}

function changeLines(head: string, changes: readonly SetupChange[]): string[] {
  if (changes.length === 0) return [`${head}: keine Änderungen / no changes`];
  return [
    `${head}: ${changes.length === 1 ? '1 Änderung / 1 change' : `${changes.length} Änderungen / ${changes.length} changes`}`,
    ...changes.flatMap((c) => [`  ${SIGN[c.action]} ${c.de}`, `      ${c.en}`]),
  ];
}

function outcomeLines(result: SetupPreview | SetupApplied, mode: { dryRun: boolean; closeAffected: boolean }): string[] {
  const lines: string[] = [];
  const affected = result.affectedAppointments;
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
    const applied = result.towns.filter((t) => t.applied);
    if (result.towns.length > 1)
      lines.push(
        `Angewendet / applied: ${applied.map((t) => `${t.municipalityId} (Stand / revision ${t.revision?.revision ?? '?'})`).join(', ')}`,
      );
    else lines.push(`Angewendet, Stand ${result.revision?.revision ?? '?'} / applied, revision ${result.revision?.revision ?? '?'}`);
  } else {
    lines.push(
      `Abgelehnt: für ${affected.length === 1 ? '1 gebuchten Termin' : `${affected.length} gebuchte Termine`} ist kein Platz mehr; nichts geändert.`,
      '  Mit --close-affected --reason TEXT werden sie abgesagt (Nachricht und Ersatztermin).',
      `  refused: no room for ${affected.length} booked appointment(s); nothing changed. --close-affected --reason TEXT cancels them (message and replacement).`,
    );
  }
  return lines;
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
