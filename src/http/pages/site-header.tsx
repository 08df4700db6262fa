import type { Child } from 'hono/jsx';

/** The texts of the header, alike in the citizen and the staff catalogue. */
type SiteTexts = { name: string; skipLink: string; languageNav: string; switchLang: string; switchLabel: string };

/**
 * Skip link and header of every page, citizen and staff: the site's name links home, then what the
 * page adds (the staff navigation and logout), then the switch to the other language.
 */
export function SiteHeader({
  site,
  home,
  switchHref,
  logoSrc,
  wide,
  children,
}: {
  site: SiteTexts;
  home: string;
  switchHref: string;
  /** The town's logo; beside the site's name inside the home link, so it needs no text of its own. */
  logoSrc?: string | undefined;
  /** As wide as the staff pages' content, which has tables and a counter board to show. */
  wide?: boolean;
  children?: Child;
}) {
  return (
    <>
      <a class="site-skip kern-link" href="#inhalt">
        {site.skipLink}
      </a>
      <header class={wide ? 'site-header site-header--wide' : 'site-header'}>
        <div class="site-header__inner">
          <a class="site-header__name" href={home}>
            {logoSrc ? <img class="site-header__logo" src={logoSrc} alt="" /> : null}
            {site.name}
          </a>
          {children}
          <nav aria-label={site.languageNav}>
            <a class="kern-link" href={switchHref} lang={site.switchLang} hreflang={site.switchLang}>
              {site.switchLabel}
            </a>
          </nav>
        </div>
      </header>
    </>
  );
}
