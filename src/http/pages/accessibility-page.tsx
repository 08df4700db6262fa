import type { Hono } from 'hono';
import { OfficeName } from './components.tsx';
import { Layout } from './layout.tsx';
import { pageFor, siteCatalogue, type CitizenPageOptions } from './page-context.ts';

/** The Barrierefreiheitserklärung every public body must publish (§ 12b BGG, BITV 2.0 § 7). */
export function accessibilityRoutes(app: Hono, options: CitizenPageOptions) {
  app.get('/barrierefreiheit', async (c) => {
    const page = pageFor(c, options);
    const a = page.t.accessibility;
    const { offices } = await siteCatalogue(c, options);
    return c.html(
      <Layout page={page} title={a.title}>
        <h1 class="kern-heading-large">{a.title}</h1>
        <p class="kern-body">{a.intro}</p>
        <h2 class="kern-heading-medium">{a.statusHeading}</h2>
        <p class="kern-body">{a.status}</p>
        <h2 class="kern-heading-medium">{a.limitsHeading}</h2>
        <ul class="kern-list kern-list--bullet">
          {a.limits(options.ctx.settings.reservationMinutes).map((item) => (
            <li>{item}</li>
          ))}
        </ul>
        <h2 class="kern-heading-medium">{a.contactHeading}</h2>
        <p class="kern-body">{a.contact}</p>
        <ul class="kern-list kern-list--bullet">
          {offices.map((o) => (
            <li>
              <OfficeName office={o} />
              {o.email ? (
                <>
                  {', '}
                  <a class="kern-link" href={`mailto:${o.email}`}>
                    {o.email}
                  </a>
                </>
              ) : null}
              {o.phone ? `, ${page.t.appointment.phone} ${o.phone}` : null}
            </li>
          ))}
        </ul>
        <h2 class="kern-heading-medium">{a.enforcementHeading}</h2>
        <p class="kern-body">{a.enforcement}</p>
      </Layout>,
    );
  });
}
