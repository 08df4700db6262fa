// Reading a town file (#21): YAML text in, either the town with every default filled in or the list
// of every problem with its place (`offices[1].hours[0].to`, indices from 0, plus line and column)
// in German and English. Pure: no file, no database, no clock — the CLI, the HTTP admin endpoints
// and the demo all read through here, so a file means the same wherever it is read.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { crossCheck, kreisCheck, type OfficeParts, type RawProblem, type Segment, type TownParts } from './town-file-checks.ts';
import { issueMessage, KREIS_TEXTS, unknownKeyMessage, yamlMessage } from './town-file-messages.ts';
import {
  CounterSchema,
  ExceptionSchema,
  HoursSchema,
  KreisFileSchema,
  MunicipalitySchema,
  OfficeSchema,
  RulesSchema,
  ServiceSchema,
  TownFileSchema,
  type TownFile,
} from './town-file-schema.ts';

export type TownFileProblem = {
  /** `offices[1].hours[0].to`; '' for the file as a whole. */
  path: string;
  /** 1-based; null when the place is not in the text (a key that is missing altogether points at its section). */
  line: number | null;
  column: number | null;
  de: string;
  en: string;
};

export type TownFileCheck = { town: TownFile; problems: [] } | { town: null; problems: TownFileProblem[] };

/**
 * A set-up file as read (#20): one town (`municipality:`), or a Kreis file (`municipalities:`) whose
 * towns each read as a town file of their own. Either way `towns` is what apply works through.
 */
export type SetupFile = { kind: 'town' | 'kreis'; towns: TownFile[] };
export type SetupFileCheck = { file: SetupFile; problems: [] } | { file: null; problems: TownFileProblem[] };

/** Characters; a town file larger than this is no town file (the demo town has 8 000). */
export const MAX_TOWN_FILE_LENGTH = 2_000_000;

/**
 * A one-town file (what `setup check` of a single town and the demo read). A Kreis file here is a
 * problem at `municipalities`: the caller works on one town.
 */
export function checkTownFile(text: string): TownFileCheck {
  const checked = checkSetupFile(text);
  if (!checked.file) return { town: null, problems: checked.problems };
  if (checked.file.kind === 'kreis') {
    const place = placeOf(text, 'municipalities');
    return { town: null, problems: [{ path: 'municipalities', ...place, ...KREIS_TEXTS.oneTownOnly() }] };
  }
  return { town: checked.file.towns[0]!, problems: [] };
}

/** A town file or a Kreis file: every town with its defaults filled in, or every problem of the file at once. */
export function checkSetupFile(text: string): SetupFileCheck {
  if (text.length > MAX_TOWN_FILE_LENGTH) {
    return failed([
      {
        path: '',
        line: null,
        column: null,
        de: 'Die Datei ist zu groß für eine Stadtdatei (über 2 Millionen Zeichen)',
        en: 'the file is too large for a town file (over 2 million characters)',
      },
    ]);
  }
  const lineCounter = new LineCounter();
  // Merge keys (<<: *plan) let offices share rules or hours without copying them.
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
  const place = (offset: number) => lineCounter.linePos(offset);
  // The parser accepts a *name without its &name; only resolving would notice, without a place.
  const errors: { code: string; message: string; pos: [number, number] }[] = [...doc.errors];
  visit(doc, {
    Alias: (_, alias) => {
      if (alias.resolve(doc) === undefined)
        errors.push({
          code: 'BAD_ALIAS',
          message: `Unresolved alias *${alias.source}`,
          pos: [alias.range?.[0] ?? 0, alias.range?.[1] ?? 0],
        });
    },
  });
  if (errors.length > 0) {
    return failed(errors.map((error) => ({ path: '', ...lineAndColumn(place(error.pos[0])), ...yamlMessage(error, text) })));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Only aliases that expand without bound ("billion laughs") get here.
    return failed([{ path: '', line: null, column: null, de: 'YAML: zu viele Verweise (*name)', en: `YAML: ${(error as Error).message}` }]);
  }
  if (data === null || data === undefined)
    return failed([{ path: '', line: 1, column: 1, de: 'Die Datei ist leer', en: 'the file is empty' }]);

  const top = record(data);
  const isKreis = 'municipalities' in top;
  const raw: RawProblem[] = [];
  let file: SetupFile | null = null;
  if (isKreis && 'municipality' in top) {
    raw.push({ path: ['municipality'], ...KREIS_TEXTS.bothTopKeys() });
  } else if (isKreis) {
    const parsed = KreisFileSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) raw.push(...parsed.error.issues.flatMap((issue) => issueProblems(issue, KreisFileSchema)));
    const towns = list(top.municipalities).map(partsOf);
    towns.forEach((parts, i) => raw.push(...crossCheck(parts).map((p) => ({ ...p, path: ['municipalities', i, ...p.path] }))));
    raw.push(...kreisCheck(towns));
    if (parsed.success)
      file = { kind: 'kreis', towns: parsed.data.municipalities.map((town) => ({ version: parsed.data.version, ...town })) };
  } else {
    const parsed = TownFileSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) raw.push(...parsed.error.issues.flatMap((issue) => issueProblems(issue, TownFileSchema)));
    raw.push(...crossCheck(partsOf(data)));
    if (parsed.success) file = { kind: 'town', towns: [parsed.data] };
  }
  if (file && raw.length === 0) return { file, problems: [] };

  const seen = new Set<string>();
  const problems: TownFileProblem[] = [];
  for (const problem of raw) {
    const path = formatPath(problem.path);
    if (seen.has(`${path}\0${problem.de}`)) continue;
    seen.add(`${path}\0${problem.de}`);
    const offset = offsetOf(doc, problem.path);
    problems.push({
      path,
      ...(offset === null ? { line: null, column: null } : lineAndColumn(place(offset))),
      de: problem.de,
      en: problem.en,
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return failed(problems);
}

/** Line and column of a path (`municipality.logo`) in a town file's text, for problems found after the check. */
export function placeOf(text: string, path: string): { line: number | null; column: number | null } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
  const segments = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  const offset = offsetOf(
    doc,
    segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  );
  return offset === null ? { line: null, column: null } : lineAndColumn(lineCounter.linePos(offset));
}

const failed = (problems: TownFileProblem[]): SetupFileCheck => ({ file: null, problems });
const lineAndColumn = ({ line, col }: { line: number; col: number }) => ({ line, column: col });

/** `offices[1].hours[0].to` */
export function formatPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** One problem per issue; an object with unknown keys gives one problem per key, at that key. */
function issueProblems(issue: z.core.$ZodIssue, root: z.core.$ZodType): RawProblem[] {
  const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path, root);
    return issue.keys.map((key) => ({ path: [...path, key], ...unknownKeyMessage(key, known) }));
  }
  return [{ path, ...issueMessage(issue) }];
}

/** The keys the schema knows at a path, for "perhaps you meant". */
function knownKeys(path: readonly Segment[], root: z.core.$ZodType): string[] {
  let schema: z.core.$ZodType | undefined = root;
  for (const segment of [...path, null]) {
    // Unwrap optional, default and prefault layers to the object or array inside.
    while (schema && 'innerType' in schema._zod.def) schema = (schema._zod.def as { innerType: z.core.$ZodType }).innerType;
    const def = schema?._zod.def as { type?: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType } | undefined;
    if (segment === null) return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    schema = typeof segment === 'number' ? def?.element : def?.shape?.[segment];
  }
  return [];
}

const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
const idOf = (value: unknown) => {
  const id = record(value).id;
  return typeof id === 'string' ? id : undefined;
};

/** Each part parsed alone, for the cross-checks (see TownParts). */
function partsOf(data: unknown): TownParts {
  const top = record(data);
  return {
    municipalityId: idOf(top.municipality),
    municipality: MunicipalitySchema.safeParse(top.municipality).data,
    kreis: {
      siteUrl: MunicipalitySchema.shape.siteUrl.safeParse(record(top.municipality).siteUrl).data,
      hostNames: MunicipalitySchema.shape.hostNames.safeParse(record(top.municipality).hostNames).data,
      neighbours: MunicipalitySchema.shape.neighbours.safeParse(record(top.municipality).neighbours).data,
    },
    services: list(top.services).map((s) => ServiceSchema.safeParse(s).data),
    serviceIds: list(top.services).map(idOf),
    officeIds: list(top.offices).map(idOf),
    offices: list(top.offices).map(officeParts),
  };
}

function officeParts(value: unknown): OfficeParts {
  const office = record(value);
  const services = office.services;
  return {
    services: Array.isArray(services) ? services.filter((s): s is string => typeof s === 'string') : undefined,
    counters: list(office.counters).map((c) => CounterSchema.safeParse(c).data),
    hours: list(office.hours).map((h) => HoursSchema.safeParse(h).data),
    exceptions: list(office.exceptions).map((x) => ExceptionSchema.safeParse(x).data),
    rules: RulesSchema.safeParse(office.rules ?? {}).data,
    holidayRegion: OfficeSchema.shape.holidayRegion.safeParse(office.holidayRegion).data,
    closedDays: OfficeSchema.shape.closedDays.safeParse(office.closedDays).data,
  };
}

/**
 * Where a path starts in the text: its value, or for a missing key the section that lacks it.
 * Aliases are followed to their anchor.
 */
function offsetOf(doc: Document, path: readonly Segment[]): number | null {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      // An empty value (`to:`) has no node of its own: then the key is the place.
      next = pair.value ?? pair.key;
      offset = rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      if (next === undefined) break;
    } else {
      break;
    }
    offset = rangeStart(next) ?? offset;
    node = next;
  }
  return offset;
}

function rangeStart(node: unknown): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : null;
}
