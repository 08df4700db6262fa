import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { releaseRequestStatus, type ReleaseRequestStatus } from '../../app/booking/fair-release.ts';
import { catalogue } from '../../app/shared/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import { Facts } from './components.tsx';
import { notFoundPage } from './error-pages.tsx';
import { formatDateTime } from './format.ts';
import { Layout } from './layout.tsx';
import { pageFor, type CitizenPageOptions, type Page } from './page-context.ts';

// The citizen's view of a fair-release-window request (docs/scaling.md): collected, then booked or
// not by lottery. The outcome also arrives by email; this page is the link to come back to.

const TEXTS = {
  de: {
    title: 'Terminverlosung',
    pending: (at: string) =>
      `Ihre Anfrage ist angekommen. Die Termine dieser Freigabe werden unter allen verlost, die in den ersten Minuten angefragt haben – wer zuerst klickt, hat keinen Vorteil. Die Verlosung ist kurz nach ${at}; das Ergebnis bekommen Sie per E-Mail und auf dieser Seite.`,
    booked: 'Sie haben den Termin bekommen. Die Bestätigung mit dem Link zum Verwalten kommt per E-Mail.',
    unavailable: 'Diesmal ging Ihr Wunschtermin leider an jemand anderen. Vielleicht sind noch andere Zeiten frei.',
    duplicate: 'Sie haben für diese Freigabe schon eine Anfrage gestellt. Es zählt die erste; weitere Anfragen ändern nichts.',
    requested: 'Angefragt',
    reference: 'Buchungsnummer',
    search: 'Freie Termine suchen',
  },
  en: {
    title: 'Appointment draw',
    pending: (at: string) =>
      `Your request has arrived. The times of this release are drawn by lot among everyone who asked in the first minutes – clicking first gives no advantage. The draw is shortly after ${at}; you will get the result by email and on this page.`,
    booked: 'You got the appointment. The confirmation with the link to manage it comes by email.',
    unavailable: 'This time, the time you asked for went to someone else. Other times may still be free.',
    duplicate: 'You have already asked once for this release. The first request counts; more requests change nothing.',
    requested: 'Requested',
    reference: 'Booking number',
    search: 'Search free times',
  },
};

export function releaseRequestRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  app.get('/verlosung/doppelt', (c) => {
    const page = pageFor(c, options);
    return c.html(<Shell page={page} text={TEXTS[page.lang].duplicate} />);
  });
  app.get('/verlosung/:token{[A-Za-z0-9_-]{43}}', async (c) => {
    const page = pageFor(c, options);
    const status = await releaseRequestStatus(ctx, c.req.param('token')).catch((error) => {
      if (error instanceof DomainError && error.code === 'not_found') return null;
      throw error;
    });
    if (!status) return notFoundPage(c, options);
    const office = (await catalogue(ctx)).offices.find((o) => o.id === status.officeId);
    return c.html(
      <StatusPage
        page={page}
        status={status}
        officeName={office?.name ?? status.officeId}
        timeZone={office?.time_zone ?? 'Europe/Berlin'}
      />,
    );
  });
}

function StatusPage({
  page,
  status,
  officeName,
  timeZone,
}: {
  page: Page;
  status: ReleaseRequestStatus;
  officeName: string;
  timeZone: string;
}) {
  const t = TEXTS[page.lang];
  const when = (ms: number) => formatDateTime(new Date(ms), timeZone, page.lang);
  const text = status.state === 'pending' ? t.pending(when(status.decidesAt)) : status.state === 'booked' ? t.booked : t.unavailable;
  const rows: [string, string][] = [[t.requested, `${when(status.start)}, ${officeName}`]];
  if (status.appointment) rows.push([t.reference, status.appointment.reference]);
  return (
    <Shell page={page} text={text}>
      <Facts rows={rows} />
    </Shell>
  );
}

function Shell({ page, text, children }: { page: Page; text: string; children?: Child }) {
  const t = TEXTS[page.lang];
  return (
    <Layout page={page} title={t.title} noindex>
      <h1 class="kern-heading-large">{t.title}</h1>
      <p class="kern-body" role="status">
        {text}
      </p>
      {children}
      <p>
        <a class="kern-link" href="/">
          {t.search}
        </a>
      </p>
    </Layout>
  );
}
