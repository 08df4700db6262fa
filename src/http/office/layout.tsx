import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { UiLanguage } from '../language.ts';
import { assetUrls } from '../pages/assets.ts';
import { OFFICE_ASSETS } from './assets.ts';

type Props = {
  lang: UiLanguage;
  title: string;
  /** The same page in the other language. */
  switchHref?: string;
  scripts?: string[];
  bare?: boolean;
  children?: Child;
};

/** Frame of the kiosk and status pages (KERN stylesheet plus office.css); `bare` for the full-screen display. */
export function OfficeLayout({ lang, title, switchHref, scripts = [], bare, children }: Props) {
  const other = lang === 'de' ? 'en' : 'de';
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{title}</title>
          <link rel="stylesheet" href={assetUrls().css} />
          <link rel="stylesheet" href={OFFICE_ASSETS.css} />
          {scripts.map((src) => (
            <script src={src} defer></script>
          ))}
        </head>
        {bare ? (
          <body class="display-body">{children}</body>
        ) : (
          <body>
            <header class="site-header">
              <div class="site-header__inner">
                <span class="site-header__name">{title}</span>
                {switchHref ? (
                  <nav aria-label={lang === 'de' ? 'Sprache' : 'Language'}>
                    <a class="kern-link" href={switchHref} lang={other} hreflang={other}>
                      {other === 'en' ? 'English' : 'Deutsch'}
                    </a>
                  </nav>
                ) : null}
              </div>
            </header>
            <main id="inhalt" class="kiosk-main">
              {children}
            </main>
          </body>
        )}
      </html>
    </>
  );
}
