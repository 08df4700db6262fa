import type { Context, Hono } from 'hono';
import { catalogue } from '../../app/shared/catalogue.ts';
import {
  acceptOffer,
  chooseReplacement,
  declineOffer,
  readOffer,
  replacementChoices,
  type OfferView,
  type ReplacementChoice,
} from '../../app/closures/replacement-offers.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, BackLink, ErrorSummary, Facts, FieldError, LinkButton, SubmitButton, type FormError } from './components.tsx';
import { MessagePage } from './error-pages.tsx';
import { AcceptOffer, DecidedOffer } from './closure-offer-blocks.tsx';
import { formatDateTime, formatLongDate, formatTime, localDate } from './format.ts';
import { Layout } from './layout.tsx';
import { offerTexts, type OfferTexts } from './messages/closure-offer-texts.ts';
import { href, pageFor, type CitizenPageOptions, type Page } from './page-context.ts';
import { describeSelection } from './booking-selection.ts';

// The pages behind the links of a closure notice: the held replacement with [Annehmen], other times
// (before the public) and "I need none". The links only show; every change is a POST + 303, so a
// mail scanner opening every link never accepts or declines anything.

export const OFFER_ROUTE = '/angebot/:token{[A-Za-z0-9_-]{43}}';
const base = (token: string) => `/angebot/${token}`;
const FLASHES = ['abgesagt'] as const;

export function offerRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  const token = (c: Context) => c.req.param('token')!;
  const load = async (c: Context) => {
    const page = pageFor(c, options);
    const offer = await readOffer(ctx, token(c));
    const { services } = await catalogue(ctx);
    const names =
      describeSelection(services, offer.services, page.lang)?.items.map((i) => `${i.name} (${page.t.units.persons(i.persons)})`) ?? [];
    return { page, offer, names, w: offerTexts(page.lang) };
  };
  const notPossible = async (c: Context) => {
    const w = offerTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.title, body: w.notPossible, link: { href: base(token(c)), label: w.toOffer } }, 409);
  };
  const limitReached = (c: Context) => {
    const w = offerTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.limitTitle, body: w.limitReached, link: { href: base(token(c)), label: w.toOffer } }, 409);
  };
  const isOverLimit = (error: unknown) => error instanceof DomainError && error.code === 'contact_limit_reached';
  const notFound = (c: Context) => {
    const w = offerTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.notFoundTitle, body: w.notFoundBody }, 404);
  };
  // An unknown token is a page that explains what went wrong with the link, not the generic 404.
  app.use('/angebot/*', async (c, next) => {
    await next();
    if (c.error instanceof DomainError && c.error.code === 'not_found') c.res = await notFound(c);
  });
  const isDecided = (error: unknown) => error instanceof DomainError && ['invalid_state', 'reservation_expired'].includes(error.code);

  app.get(OFFER_ROUTE, async (c) => {
    const shown = await load(c);
    const flash = FLASHES.find((f) => f === c.req.query('erfolg'));
    return c.html(<OfferPage {...shown} token={token(c)} flash={flash} />);
  });

  app.post(`${OFFER_ROUTE}/annehmen`, async (c) => {
    try {
      const { manageToken } = await acceptOffer(ctx, token(c));
      // Accepted before (a second click): the offer page says so; the link went out with the first.
      return c.redirect(manageToken ? `/termin/${manageToken}/gebucht` : base(token(c)), 303);
    } catch (error) {
      if (isDecided(error)) return notPossible(c);
      if (isOverLimit(error)) return limitReached(c);
      throw error;
    }
  });

  const renderChoose = async (c: Context, errors: FormError[], status: 200 | 409 | 422) => {
    const shown = await load(c);
    if (!canChoose(shown.offer)) return c.redirect(base(token(c)), 303);
    const from = Number(c.req.query('ab') ?? '0');
    const choices = await replacementChoices(ctx, token(c), PER_OFFICE, Number.isFinite(from) ? from : 0);
    return c.html(<ChoosePage {...shown} token={token(c)} choices={choices} errors={errors} />, status);
  };

  app.get(`${OFFER_ROUTE}/andere`, (c) => renderChoose(c, [], 200));

  app.post(`${OFFER_ROUTE}/andere`, async (c) => {
    const body = await c.req.parseBody();
    const w = offerTexts(pageFor(c, options).lang);
    const match = typeof body.zeit === 'string' ? /^([a-z0-9_-]{1,64})\|(\d{10,16})$/.exec(body.zeit) : null;
    if (!match) return renderChoose(c, [{ field: 'zeiten-fehler', message: w.chooseRequired }], 422);
    try {
      const { manageToken } = await chooseReplacement(ctx, token(c), { officeId: match[1]!, start: Number(match[2]) });
      return c.redirect(`/termin/${manageToken}/gebucht`, 303);
    } catch (error) {
      if (
        error instanceof DomainError &&
        (error.code === 'slot_unavailable' || error.code === 'unknown_office' || error.code === 'service_not_offered')
      ) {
        return renderChoose(c, [{ field: 'zeiten-fehler', message: w.chooseTaken }], 409);
      }
      if (isDecided(error)) return notPossible(c);
      if (isOverLimit(error)) return limitReached(c);
      throw error;
    }
  });

  app.get(`${OFFER_ROUTE}/absagen`, async (c) => {
    const shown = await load(c);
    if (shown.offer.state !== 'held' && shown.offer.state !== 'none') return c.redirect(base(token(c)), 303);
    return c.html(<DeclinePage {...shown} token={token(c)} />);
  });

  app.post(`${OFFER_ROUTE}/absagen`, async (c) => {
    try {
      await declineOffer(ctx, token(c));
      return c.redirect(`${base(token(c))}?erfolg=abgesagt`, 303);
    } catch (error) {
      if (isDecided(error)) return notPossible(c);
      throw error;
    }
  });

  // Mistyped or unknown offer links get a page that explains.
  app.all('/angebot/*', (c) => notFound(c));
}

const PER_OFFICE = 12;
const choiceId = (choice: ReplacementChoice) => `zeit-${choice.officeId}-${choice.start}`;

/** Where "later times" continue: after the last time shown of an office whose list was cut off. */
function laterFrom(choices: ReplacementChoice[]): number | null {
  const perOffice = new Map<string, ReplacementChoice[]>();
  for (const c of choices) perOffice.set(c.officeId, [...(perOffice.get(c.officeId) ?? []), c]);
  const cut = [...perOffice.values()].filter((list) => list.length >= PER_OFFICE).map((list) => list.at(-1)!.start + 1);
  return cut.length > 0 ? Math.min(...cut) : null;
}

const canChoose = (offer: OfferView) => offer.state === 'held' || offer.state === 'none';

type Shown = { page: Page; offer: OfferView; names: string[]; w: OfferTexts; token: string };

function Cancelled({ page, offer, w }: Shown) {
  const when = formatDateTime(new Date(offer.original.start), offer.original.timeZone, page.lang);
  return (
    <Alert variant="info" title={w.cancelledTitle}>
      <p class="kern-body">
        {w.cancelled(when, offer.original.officeName)} {offer.reason ? w.reason(offer.reason) : ''} {w.sorry}
      </p>
    </Alert>
  );
}

function HeldFacts({ page, offer, names, w }: Shown) {
  if (!offer.held) return null;
  const { held } = offer;
  const when = `${formatDateTime(new Date(held.start), held.timeZone, page.lang)} – ${formatTime(new Date(held.end), held.timeZone, page.lang)}`;
  return (
    <Facts
      rows={[
        [w.newReference, held.reference],
        [w.when, when],
        [w.where, `${held.officeName}, ${held.officeAddress}`],
        [w.services, names.join(', ')],
      ]}
    />
  );
}

function OfferPage(props: Shown & { flash: (typeof FLASHES)[number] | undefined }) {
  const { page, offer, w, token, flash } = props;
  const title = { held: w.title, none: w.cancelledTitle, accepted: w.acceptedTitle, declined: w.declinedTitle, expired: w.expiredTitle }[
    offer.state
  ];
  return (
    <Layout page={page} title={title} noindex>
      <h1 class="kern-heading-large">{title}</h1>
      {flash === 'abgesagt' ? <Alert variant="success" title={w.declinedTitle} role="status" /> : null}
      {offer.state === 'held' || offer.state === 'none' ? <Cancelled {...props} /> : null}
      {offer.state === 'held' ? (
        <>
          <h2 class="kern-heading-medium">{w.heldHeading}</h2>
          <p class="kern-body">
            {w.heldIntro(formatDateTime(new Date(offer.expiresAt), offer.held?.timeZone ?? offer.original.timeZone, page.lang))}
          </p>
          <HeldFacts {...props} />
          <AcceptOffer action={`${base(token)}/annehmen`} label={w.accept} />
          <div class="actions">
            <LinkButton href={`${base(token)}/andere`} label={w.choose} variant="secondary" />
            <LinkButton href={`${base(token)}/absagen`} label={w.decline} variant="tertiary" />
          </div>
        </>
      ) : null}
      {offer.state === 'none' ? (
        <>
          <p class="kern-body">{w.noneHeld}</p>
          <div class="actions">
            <LinkButton href={`${base(token)}/andere`} label={w.choose} />
            <LinkButton href={`${base(token)}/absagen`} label={w.decline} variant="tertiary" />
          </div>
        </>
      ) : null}
      {offer.state === 'accepted' ? (
        <DecidedOffer text={w.accepted}>
          <HeldFacts {...props} />
        </DecidedOffer>
      ) : null}
      {offer.state === 'declined' || offer.state === 'expired' ? (
        <DecidedOffer text={offer.state === 'declined' ? w.declined : w.expired} bookNew={w.bookNew} />
      ) : null}
    </Layout>
  );
}

function ChoosePage(props: Shown & { choices: ReplacementChoice[]; errors: FormError[] }) {
  const { page, offer, w, token, choices, errors } = props;
  const tz = offer.held?.timeZone ?? offer.original.timeZone;
  const days = new Map<string, ReplacementChoice[]>();
  for (const choice of choices) {
    const day = localDate(choice.start, tz);
    days.set(day, [...(days.get(day) ?? []), choice]);
  }
  const later = laterFrom(choices);
  return (
    <Layout page={page} title={w.chooseTitle} hasErrors={errors.length > 0} noindex>
      <BackLink href={base(token)} label={w.toOffer} />
      <h1 class="kern-heading-large">{w.chooseTitle}</h1>
      <ErrorSummary title={page.t.errors.summaryTitle} errors={errors} />
      <p class="kern-body">{w.chooseIntro}</p>
      {choices.length === 0 ? (
        <p class="kern-body">{w.noChoices}</p>
      ) : (
        <form method="post" action={`${base(token)}/andere`} novalidate>
          <FieldError id="zeiten-fehler" message={errors[0]?.message} />
          {[...days].map(([day, list]) => (
            <fieldset class={`kern-fieldset${errors.length > 0 ? ' kern-fieldset--error' : ''}`}>
              <legend class="kern-label">{formatLongDate(day, page.lang)}</legend>
              <div class="kern-fieldset__body">
                {list.map((choice) => (
                  <div class="kern-form-check">
                    <input
                      class="kern-form-check__radio"
                      type="radio"
                      id={choiceId(choice)}
                      name="zeit"
                      value={`${choice.officeId}|${choice.start}`}
                      aria-describedby={errors.length > 0 ? 'zeiten-fehler' : undefined}
                    />
                    <label class="kern-label" for={choiceId(choice)}>
                      {w.atOffice(formatTime(new Date(choice.start), tz, page.lang), choice.officeName)}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <div class="actions">
            <SubmitButton label={w.chooseSubmit} />
          </div>
        </form>
      )}
      {later !== null ? (
        <p>
          <a class="kern-link" href={href(`${base(token)}/andere`, { ab: String(later) })}>
            {w.later}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function DeclinePage(props: Shown) {
  const { page, w, token } = props;
  return (
    <Layout page={page} title={w.declineTitle} noindex>
      <h1 class="kern-heading-large">{w.declineTitle}</h1>
      <Cancelled {...props} />
      <HeldFacts {...props} />
      <h2 class="kern-heading-medium">{w.declineQuestion}</h2>
      <p class="kern-body">{w.declineConsequence}</p>
      <form method="post" action={`${base(token)}/absagen`}>
        <div class="actions">
          <SubmitButton label={w.declineSubmit} />
          <LinkButton href={base(token)} label={w.declineKeep} variant="secondary" />
        </div>
      </form>
    </Layout>
  );
}
