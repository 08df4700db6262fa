import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { readOfficeProfile, type DayOpening } from '../../app/setup/office-profile.ts';
import { isOffered } from '../../app/shared/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import type { UiLanguage } from '../language.ts';
import { Facts, LinkButton, OfficeName } from './components.tsx';
import { formatShortDate, formatWallTime } from './format.ts';
import { Layout } from './layout.tsx';
import { officeProfileTexts, type OfficeProfileTexts } from './messages/office-profile-texts.ts';
import { pageFor, siteCatalogue, type CitizenPageOptions } from './page-context.ts';

// The office pages (#24 item 4): /standorte lists the offices, /standorte/{office} gives one office's
// address, contact, opening hours from the staffing plan, directions, public transport and building
// accessibility, all from the town file. Plain HTML: nothing here needs JavaScript.

export function officeProfileRoutes(app: Hono, options: CitizenPageOptions) {
  app.get('/standorte', async (c) => {
    const page = pageFor(c, options);
    const o = officeProfileTexts(page.lang);
    const offices = (await siteCatalogue(c, options)).offices.filter(isOffered);
    return c.html(
      <Layout page={page} title={o.officesTitle}>
        <h1 class="kern-heading-large">{o.officesTitle}</h1>
        <ul class="kern-list office-list">
          {offices.map((office) => (
            <li>
              <OfficeName office={office} />
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get('/standorte/:office', async (c) => {
    const page = pageFor(c, options);
    const o = officeProfileTexts(page.lang);
    // Another town's office is not on this town's site (#20).
    if (!(await siteCatalogue(c, options)).offices.some((o) => o.id === c.req.param('office')))
      throw new DomainError('office_not_found', 'Unknown office', { officeId: c.req.param('office') });
    const { office, days, laterDeviations } = await readOfficeProfile(options.ctx, c.req.param('office'), page.lang);
    const text = (de: string | null, en: string | null) => (page.lang === 'en' ? (en ?? de) : de);
    const directions = text(office.directions_de, office.directions_en);
    const transport = text(office.public_transport_de, office.public_transport_en);
    const access = text(office.accessibility_de, office.accessibility_en);
    const facts = (['stepFreeEntrance', 'lift', 'accessibleToilet', 'hearingLoop'] as const)
      .map((key) => {
        const value = {
          stepFreeEntrance: office.step_free_entrance,
          lift: office.lift,
          accessibleToilet: office.accessible_toilet,
          hearingLoop: office.hearing_loop,
        }[key];
        return value === null ? null : { text: o.accessFacts[key][value ? 0 : 1], yes: value };
      })
      .filter((f) => f !== null);
    const contact: [string, Child][] = [[o.address, office.address]];
    if (office.phone)
      contact.push([
        o.phone,
        <a class="kern-link" href={`tel:${office.phone.replace(/[^\d+]/g, '')}`}>
          {office.phone}
        </a>,
      ]);
    if (office.email)
      contact.push([
        o.email,
        <a class="kern-link" href={`mailto:${office.email}`}>
          {office.email}
        </a>,
      ]);
    return c.html(
      <Layout page={page} title={office.name}>
        <h1 class="kern-heading-large">{office.name}</h1>
        <section aria-labelledby="kontakt">
          <h2 class="kern-heading-medium" id="kontakt">
            {o.contactHeading}
          </h2>
          <Facts rows={contact} />
        </section>
        <section aria-labelledby="oeffnungszeiten">
          <h2 class="kern-heading-medium" id="oeffnungszeiten">
            {o.hoursHeading}
          </h2>
          <p class="kern-body">{o.hoursIntro}</p>
          <div class="transparency-table" tabindex={0} role="region" aria-label={o.hoursCaption}>
            <table class="kern-table kern-table--striped office-hours">
              {/* The heading and the sentence above already say it: the caption names the table for screen readers only. */}
              <caption class="kern-sr-only">{o.hoursCaption}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {o.day}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {o.open}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {days.map((day, i) => (
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="row">
                      {formatShortDate(day.date, page.lang)}
                      {i === 0 ? ` (${o.today})` : null}
                    </th>
                    <td class="kern-table__cell">
                      <DayHours day={day} o={o} lang={page.lang} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 class="kern-heading-small">{o.laterHeading}</h3>
          {laterDeviations.length === 0 ? (
            <p class="kern-body">{o.laterNone}</p>
          ) : (
            <ul class="kern-list kern-list--bullet">
              {laterDeviations.map((day) => (
                <li>
                  {formatShortDate(day.date, page.lang)}: <DayHours day={day} o={o} lang={page.lang} />
                </li>
              ))}
            </ul>
          )}
        </section>
        {directions ? (
          <section aria-labelledby="anfahrt">
            <h2 class="kern-heading-medium" id="anfahrt">
              {o.directionsHeading}
            </h2>
            <p class="kern-body">{directions}</p>
          </section>
        ) : null}
        {transport ? (
          <section aria-labelledby="oepnv">
            <h2 class="kern-heading-medium" id="oepnv">
              {o.transportHeading}
            </h2>
            <p class="kern-body">{transport}</p>
          </section>
        ) : null}
        <section aria-labelledby="barrierefreiheit">
          <h2 class="kern-heading-medium" id="barrierefreiheit">
            {o.accessHeading}
          </h2>
          {facts.length > 0 ? (
            <ul class="kern-list kern-list--bullet">
              {facts.map((f) => (
                <li>{f.text}</li>
              ))}
            </ul>
          ) : null}
          {access ? <p class="kern-body">{access}</p> : null}
          {facts.length === 0 && !access ? <p class="kern-body">{o.accessUnknown}</p> : null}
        </section>
        <p>
          <LinkButton href="/" label={o.book} />
        </p>
        <p>
          <a class="kern-link" href="/standorte">
            {o.allOffices}
          </a>
        </p>
      </Layout>,
    );
  });
}

/** „08:00–12:30 Uhr, 14:00–16:00 Uhr“, or „geschlossen (Feiertag: 1. Weihnachtstag)“, and the usual hours where they differ. */
function DayHours({ day, o, lang }: { day: DayOpening; o: OfficeProfileTexts; lang: UiLanguage }) {
  // A range never breaks inside („08:00–12:30 Uhr“ stays on one line at 375 px); the list does.
  const hours = (ranges: DayOpening['ranges']) =>
    ranges.map((r, i) => (
      <>
        {i > 0 ? ', ' : null}
        <span class="office-hours__range">
          {o.range(formatWallTime(r.from, lang).replace(/ Uhr$/, ''), formatWallTime(r.to, lang).replace(/ Uhr$/, ''))}
        </span>
      </>
    ));
  const why = [...(day.holiday ? [o.holiday(day.holiday)] : []), ...(day.closedDay ? [o.closedDay] : []), ...day.reasons];
  const changed = JSON.stringify(day.ranges) !== JSON.stringify(day.regular);
  return (
    <>
      {day.ranges.length > 0 ? hours(day.ranges) : o.closed}
      {why.length > 0 ? ` (${why.join('; ')})` : null}
      {changed && day.regular.length > 0 ? (
        <>
          {' – '}
          {o.usually}
          {hours(day.regular)}
        </>
      ) : null}
    </>
  );
}
