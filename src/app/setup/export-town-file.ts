// `schalter setup export` and GET /api/v1/admin/setup (#21): the set-up in force as the town
// document, in the shape of the file with defaults left out, so `apply(export())` changes nothing.
import { Document } from 'yaml';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../shared/context.ts';
import { readSetupRows } from './setup-store.ts';
import type { TownFileInput } from './town-file-schema.ts';
import { rowsToTown } from './town-rows.ts';

/** The town as set up now; not_found while no town file was ever applied (the demo written by code has none). */
export async function exportSetup(ctx: Pick<AppContext, 'db'>): Promise<TownFileInput> {
  const rows = await readSetupRows(ctx.db);
  if (!rows.municipality) throw new DomainError('not_found', 'No town is set up yet: apply a town file first (schalter setup apply)');
  return rowsToTown(rows);
}

/** The document as YAML, the way `setup init` writes a file: block style, texts quoted only where YAML needs it. */
export function townFileToYaml(doc: TownFileInput): string {
  const yaml = new Document(doc, { version: '1.2' });
  yaml.commentBefore = ' Stadtdatei / town file (schalter setup export)\n Prüfen / check: schalter setup check DATEI';
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}
