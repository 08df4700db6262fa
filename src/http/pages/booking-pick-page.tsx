import type { Hono } from 'hono';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import { BackLink, Facts } from './components.tsx';
import { formatMoney } from './format.ts';
import { Layout } from './layout.tsx';
import { href, pageFor, pageScope, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';
import { loadPicker, type Picker } from './booking-picker-data.ts';
import { describeSelection, parseServices, servicesParam, type SelectionSummary } from './booking-selection.ts';
import { SlotPicker, type PickerLinks } from './booking-slot-picker.tsx';

/** Step 2: office, earliest free start, calendar, times. Every control is a link or a GET form. */
export function pickRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  app.get('/buchen/termin', async (c) => {
    const page = pageFor(c, options);
    const chosen = parseServices(c.req.query('services'));
    const selection = chosen ? describeSelection((await siteCatalogue(c, options)).services, chosen, page.lang) : null;
    // A broken or outdated link starts over rather than failing: the start page explains itself.
    if (!chosen || !selection) return c.redirect('/', 303);
    const picker = await loadPicker(ctx, pageScope(c), {
      services: chosen,
      office: c.req.query('office'),
      month: c.req.query('month'),
      day: c.req.query('day'),
    });
    const services = servicesParam(chosen);
    const links: PickerLinks = {
      action: '/buchen/termin',
      hidden: { services },
      view: (params) => href('/buchen/termin', { services, ...params }),
      waitingList: href('/warteliste/eintragen', { services, office: picker.officeId ?? undefined }),
      choose: (slot) => {
        const timeZone = picker.offices.find((o) => o.office.id === slot.officeId)?.office.time_zone ?? picker.timeZone;
        return href('/buchen/angaben', { services, office: slot.officeId, start: isoInZone(slot.start, timeZone) });
      },
    };
    return c.html(<PickPage page={page} selection={selection} picker={picker} links={links} services={services} />);
  });
}

function PickPage({
  page,
  selection,
  picker,
  links,
  services,
}: {
  page: Page;
  selection: SelectionSummary;
  picker: Picker;
  links: PickerLinks;
  services: string;
}) {
  const { t } = page;
  return (
    <Layout page={page} title={t.pick.title} scripts={[page.assets.picker]}>
      <BackLink href={href('/', { services })} label={t.pick.changeServices} />
      <p class="kern-preline">{t.site.step(2, 3)}</p>
      <h1 class="kern-heading-large">{t.pick.title}</h1>
      <SelectionFacts page={page} selection={selection} />
      <SlotPicker page={page} picker={picker} links={links} />
    </Layout>
  );
}

export function SelectionFacts({ page, selection }: { page: Page; selection: SelectionSummary }) {
  const { t, lang } = page;
  return (
    <Facts
      rows={[
        [
          t.pick.yourServices,
          <ul class="plain-list">
            {selection.items.map((i) => (
              <li>
                {i.name} ({t.units.persons(i.persons)})
              </li>
            ))}
          </ul>,
        ],
        [t.pick.totalDuration, t.units.minutes(selection.totalMinutes)],
        [t.pick.totalFee, selection.totalFeeCents > 0 ? formatMoney(selection.totalFeeCents, lang) : t.units.free],
      ]}
    />
  );
}
