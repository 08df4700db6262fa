import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { ClosureNotices } from './closure-notice.tsx';
import { easyReadTexts } from './messages/easy-read-texts.ts';
import type { Page } from './page-context.ts';
import { SiteHeader } from './site-header.tsx';

type LayoutProps = {
  page: Page;
  title: string;
  hasErrors?: boolean;
  /** Pages with personal data or secret links stay out of search engines. */
  noindex?: boolean;
  /** Extra module scripts (only the booking form has any). */
  scripts?: string[];
  children?: Child;
};

/**
 * „Leichte Sprache“ and „Gebärdensprache“ in the header of every citizen page, where German public
 * sites put them (BITV 2.0 § 4, #24 item 1). Text links: the usual pictograms are trademarks (Inclusion Europe) or not in KERN UX.
 */
function AccessibleVersions({ page }: { page: Page }) {
  const e = easyReadTexts(page.lang);
  return (
    <nav class="site-header__versions" aria-label={e.headerNav}>
      <a class="kern-link" href="/leichte-sprache">
        {e.easyLink}
      </a>
      <a class="kern-link" href="/gebaerdensprache">
        {e.signLink}
      </a>
    </nav>
  );
}

/** The frame of every citizen page: skip link, header with the language switch, main, legal footer. */
export function Layout({ page, title, hasErrors, noindex, scripts = [], children }: LayoutProps) {
  const { t } = page;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={page.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {noindex ? <meta name="robots" content="noindex, nofollow" /> : null}
          <title>{`${hasErrors ? t.site.errorTitlePrefix : ''}${title} – ${page.siteName}`}</title>
          <link rel="stylesheet" href={page.assets.css} />
          {scripts.map((src) => (
            <script type="module" src={src}></script>
          ))}
        </head>
        <body>
          <SiteHeader site={{ ...t.site, name: page.siteName }} home="/" switchHref={page.switchHref} logoSrc={page.logoSrc}>
            <AccessibleVersions page={page} />
          </SiteHeader>
          <main id="inhalt" class="site-main" tabindex={-1}>
            <ClosureNotices page={page} />
            {children}
          </main>
          <footer class="site-footer">
            <nav class="site-footer__inner" aria-label={t.site.legalNav}>
              <ul>
                {page.legal.imprintUrl ? (
                  <li>
                    <a class="kern-link" href={page.legal.imprintUrl}>
                      {t.site.imprint}
                    </a>
                  </li>
                ) : null}
                {page.legal.privacyUrl ? (
                  <li>
                    <a class="kern-link" href={page.legal.privacyUrl}>
                      {t.site.privacy}
                    </a>
                  </li>
                ) : null}
                <li>
                  <a class="kern-link" href="/barrierefreiheit">
                    {t.site.accessibility}
                  </a>
                </li>
              </ul>
            </nav>
          </footer>
        </body>
      </html>
    </>
  );
}
