import type { Hono } from 'hono';
import { cachedServices } from '../../app/shared/catalogue.ts';
import { readTransparency, type OfficeTransparency } from '../../app/statistics/read-transparency.ts';
import { Layout } from './layout.tsx';
import { pageFor, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';

/**
 * /transparenz: how long citizens wait for an appointment and on site, per office — public, cached,
 * without personal data (#8). The weekly release time is shown only when the office publishes it.
 */
export function transparencyRoutes(app: Hono, options: CitizenPageOptions) {
  app.get('/transparenz', async (c) => {
    const page = pageFor(c, options);
    // A town's own offices (#20): each town publishes its own figures.
    const own = new Set((await siteCatalogue(c, options)).offices.map((o) => o.id));
    const offices = (await readTransparency(options.ctx, { publishReleaseTime: options.publishReleaseTime ?? false })).filter((o) =>
      own.has(o.officeId),
    );
    const services = await cachedServices(options.ctx, [...new Set(offices.flatMap((o) => o.leadTimes.map((l) => l.serviceId)))]);
    const serviceName = (id: string) => {
      const s = services.get(id);
      return s ? (page.lang === 'en' ? s.name_en : s.name_de) : id;
    };
    c.header('Cache-Control', 'public, max-age=300');
    const t = page.t.transparency;
    return c.html(
      <Layout page={page} title={t.title}>
        <h1 class="kern-heading-large">{t.title}</h1>
        <p class="kern-body">{t.intro}</p>
        {offices.map((o) => (
          <OfficeSection page={page} office={o} serviceName={serviceName} />
        ))}
        <p>
          <a class="kern-link" href="/">
            {t.book}
          </a>
        </p>
      </Layout>,
    );
  });
}

function OfficeSection({ page, office, serviceName }: { page: Page; office: OfficeTransparency; serviceName: (id: string) => string }) {
  const t = page.t.transparency;
  const id = `office-${office.officeId}`;
  const weekdays = [...new Set(office.waits.map((w) => w.weekday))].sort();
  const hours = [...new Set(office.waits.map((w) => w.hour))].sort((a, b) => a - b);
  const cell = (weekday: number, hour: number) => office.waits.find((w) => w.weekday === weekday && w.hour === hour)?.medianMinutes ?? null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id} class="kern-heading-medium">
        {office.name}
      </h2>
      <p class="kern-body">{office.address}</p>
      <h3 class="kern-heading-small">{t.leadHeading}</h3>
      <table class="kern-table">
        <thead>
          <tr>
            <th scope="col">{t.leadCols.service}</th>
            <th scope="col">{t.leadCols.lead}</th>
          </tr>
        </thead>
        <tbody>
          {office.leadTimes.map((l) => (
            <tr>
              <th scope="row">{serviceName(l.serviceId)}</th>
              <td>{t.lead(l.leadDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {office.release ? (
        <p class="kern-body">{t.release(office.release.weekday, office.release.time, office.release.horizonDays)}</p>
      ) : null}
      <h3 class="kern-heading-small">{t.waitHeading}</h3>
      {office.shortest ? (
        <p class="kern-body kern-body--bold">{t.shortest(office.shortest.weekday, office.shortest.fromHour, office.shortest.toHour)}</p>
      ) : null}
      {office.waits.some((w) => w.medianMinutes !== null) ? (
        <>
          <p class="kern-body">{t.waitIntro}</p>
          {/* Scrolls sideways on narrow screens instead of widening the page (WCAG 1.4.10); focusable so keyboards can scroll it. */}
          <div class="transparency-table" tabindex={0} role="region" aria-label={t.tableOf(office.name)}>
            <table class="kern-table">
              <caption class="kern-title">{t.waitCaption(office.name)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.hourCol}</th>
                  {weekdays.map((d) => (
                    <th scope="col">{t.weekday(d)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {hours.map((h) => (
                  <tr>
                    <th scope="row">{t.hour(h)}</th>
                    {weekdays.map((d) => (
                      <td>{t.minutes(cell(d, h))}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p class="kern-body">{t.noWaits}</p>
      )}
    </section>
  );
}
