// `schalter setup export` and GET /api/v1/admin/setup (#21): the set-up in force as the town
// document, in the shape of the file with defaults left out, so `apply(export())` changes nothing.
import { Document } from 'yaml';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../shared/context.ts';
import { readSetupRows, setUpTowns } from './setup-store.ts';
import type { KreisFileInput, TownFileInput } from './town-file-schema.ts';
import { rowsToTown } from './town-rows.ts';

/**
 * One town as set up now (#20: without an id the only town; with several, municipality_required);
 * not_found while no town file was ever applied for it.
 */
export async function exportSetup(ctx: Pick<AppContext, 'db'>, municipalityId?: string): Promise<TownFileInput> {
  const rows = await readSetupRows(ctx.db, municipalityId);
  if (!rows.municipality)
    throw new DomainError(
      'not_found',
      municipalityId
        ? `No town "${municipalityId}" is set up (schalter setup export names the towns)`
        : 'No town is set up yet: apply a town file first (schalter setup apply)',
    );
  return rowsToTown(rows);
}

/**
 * The whole installation as one file: a one-town installation's town file as before, several towns'
 * Kreis file (decision 0014), towns in id order. Applying it changes nothing.
 */
export async function exportSetupFile(ctx: Pick<AppContext, 'db'>): Promise<TownFileInput | KreisFileInput> {
  const towns = await setUpTowns(ctx.db);
  if (towns.length <= 1) return exportSetup(ctx, towns[0]);
  const municipalities = [];
  for (const id of towns) {
    const { version: _version, ...town } = await exportSetup(ctx, id);
    municipalities.push(town);
  }
  return { version: 1, municipalities };
}

/** The document as YAML, the way `setup init` writes a file: block style, texts quoted only where YAML needs it. */
export function townFileToYaml(doc: TownFileInput | KreisFileInput): string {
  const yaml = new Document(doc, { version: '1.2' });
  yaml.commentBefore =
    'municipalities' in doc
      ? ' Kreisdatei / Kreis file (schalter setup export): jede Stadt wie eine Stadtdatei\n Prüfen / check: schalter setup check DATEI'
      : ' Stadtdatei / town file (schalter setup export)\n Prüfen / check: schalter setup check DATEI';
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}
