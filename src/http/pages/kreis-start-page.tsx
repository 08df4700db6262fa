import type { Context } from 'hono';
import type { TownSite } from '../../app/setup/read-town-site.ts';
import { logoVersionParam } from '../town-logo.ts';
import { Layout } from './layout.tsx';
import { kreisTexts } from './messages/kreis-texts.ts';
import { pageFor, type CitizenPageOptions } from './page-context.ts';

/** Where a town's site is: its own siteUrl, else its prefix on this server. */
export const townHref = (town: TownSite) => town.siteUrl ?? `/${encodeURIComponent(town.id)}/`;

/**
 * `/` of a Kreis server asked without a town (#20): the towns, each with its logo and a link to its
 * site. Any other town page asked without a town answers the same list under „Bitte wählen Sie Ihre
 * Stadt“ with 404 — the address is incomplete, not wrong enough for an error, and search engines
 * should not keep it; a 300 without Location is what few clients handle.
 */
export function kreisStartPage(c: Context, options: CitizenPageOptions, towns: readonly TownSite[]) {
  const page = pageFor(c, options);
  const k = kreisTexts(page.lang);
  const start = c.req.path === '/';
  return c.html(
    <Layout page={page} title={start ? k.title : k.chooseTitle} noindex={!start}>
      <h1 class="kern-heading-large">{start ? k.title : k.chooseTitle}</h1>
      <p class="kern-body">{start ? k.intro : k.chooseBody}</p>
      <ul class="kern-list town-list" aria-label={k.listLabel}>
        {towns.map((town) => (
          <li>
            <a class="kern-link town-list__link" href={townHref(town)}>
              {town.logo ? (
                <img class="town-list__logo" src={`/${encodeURIComponent(town.id)}/logo?v=${logoVersionParam(town.logo.sha256)}`} alt="" />
              ) : null}
              {town.name}
            </a>
          </li>
        ))}
      </ul>
    </Layout>,
    start ? 200 : 404,
  );
}
