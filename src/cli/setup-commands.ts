import { parseArgs } from 'node:util';
import { checkTownFile, type TownFileProblem } from '../app/setup/town-file.ts';
import { townFileJsonSchema } from '../app/setup/town-file-schema.ts';
import { TOWN_FILE_TEMPLATE } from '../app/setup/town-file-template.ts';

// `schalter setup …`: the town file (#21, docs/decisions/0011-town-file.md). These commands read
// files and print; they open no database, so they work anywhere, also while the server runs.
// Results go to stdout (a template, a schema, the list of problems); usage errors to stderr.

export const SETUP_HELP = `  setup init         print a commented town file to start from (schalter setup init > stadt.yaml)
  setup check FILE [--json]
                     check a town file (FILE - reads stdin); lists every problem with its place,
                     exit 1 if there is one. --json: [{path, line, column, de, en}]
  setup schema       print the JSON Schema of the town file, for editors
`;

export type SetupCliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
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
      default:
        throw new Usage(
          sub ? `unknown setup command "${sub}" (known: init, check, schema)` : 'setup needs a command: init, check or schema',
        );
    }
  } catch (error) {
    if (error instanceof Usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`schalter: ${(error as Error).message}\n\n${SETUP_HELP}`);
      return 2;
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
  const { problems } = checkTownFile(text);
  const name = file === '-' ? '(stdin)' : file;
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
