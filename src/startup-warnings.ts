import { missingLegalLinks } from './app/setup/read-town-site.ts';
import type { CacheContext } from './app/shared/context.ts';

// Start-up lines that warn (#24 item 8): a public body's site must link its Impressum (§ 5 DDG)
// and its privacy notice (Art. 13 DSGVO). The town file requires both; an installation without a
// town file takes them from SCHALTER_IMPRINT_URL and SCHALTER_PRIVACY_URL, and may have neither.

const WHAT = {
  imprint: { de: 'kein Impressum', en: 'no imprint (Impressum)', file: 'imprintUrl', env: 'SCHALTER_IMPRINT_URL' },
  privacy: { de: 'keine Datenschutzerklärung', en: 'no privacy notice (Datenschutz)', file: 'privacyUrl', env: 'SCHALTER_PRIVACY_URL' },
} as const;

/** The German and English line for the links that are missing; null when both are there. */
export function legalLinksWarning(missing: readonly ('imprint' | 'privacy')[]): string | null {
  if (missing.length === 0) return null;
  const parts = missing.map((m) => WHAT[m]);
  const de = parts.map((p) => p.de).join(' und ');
  const en = parts.map((p) => p.en).join(' and ');
  const where = parts.map((p) => `municipality.${p.file} / ${p.env}`).join(', ');
  return (
    `Warnung: ${de} eingerichtet – die Seiten einer Behörde müssen ${missing.length === 2 ? 'beide' : 'es'} verlinken (Stadtdatei oder Umgebung: ${where}). / ` +
    `Warning: ${en} configured – a public body's site must link ${missing.length === 2 ? 'both' : 'it'} (town file or environment: ${where}).`
  );
}

/** The warning for this installation: the town file's links, else the environment's. */
export async function startupLegalWarning(
  ctx: CacheContext,
  env: { imprintUrl?: string | undefined; privacyUrl?: string | undefined },
): Promise<string | null> {
  return legalLinksWarning(await missingLegalLinks(ctx, env));
}
