import { formatWhen } from './dates.ts';
import { Hono, type Context } from 'hono';
import { CALL_OUTCOMES, readCallList, recordCallOutcome, type CallListItem, type CallOutcome } from '../../app/messaging/call-list.ts';
import { catalogue } from '../../app/shared/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { UiLanguage } from '../language.ts';
import { Alert } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// The clerk's call list after a closure: whom to phone, what was held for them, and the outcome of
// each call. Nobody leaves the list until reached or a voicemail was left (invariant 3).

const texts = {
  de: {
    title: 'Anrufliste',
    intro:
      'Diese Personen haben keine E-Mail oder SMS bekommen. Bitte rufen Sie an, nennen Sie den reservierten Ersatztermin und tragen Sie das Ergebnis ein.',
    empty: 'Niemand muss angerufen werden.',
    showAll: 'Auch erledigte zeigen',
    showOpen: 'Nur offene zeigen',
    reason: { no_channel: 'keine E-Mail/SMS', delivery_failed: 'Nachricht nicht zustellbar' },
    original: 'Abgesagter Termin',
    held: 'Reservierter Ersatztermin',
    noHeld: 'Kein Ersatztermin reserviert – bitte am Telefon einen Termin buchen.',
    until: 'reserviert bis',
    offer: { held: 'wartet auf Antwort', accepted: 'angenommen', declined: 'abgelehnt', expired: 'verfallen', none: '–' } as Record<
      string,
      string
    >,
    noPhone: 'keine Telefonnummer',
    attempts: (n: number) => (n === 1 ? '1 Anrufversuch' : `${n} Anrufversuche`),
    outcomeLegend: 'Ergebnis des Anrufs',
    outcomes: {
      reached: 'Erreicht',
      not_reached: 'Nicht erreicht',
      voicemail: 'Auf Anrufbeantworter gesprochen',
      accepted: 'Erreicht – nimmt den Ersatztermin an',
      declined: 'Erreicht – braucht keinen Termin mehr',
      other_time: 'Erreicht – möchte eine andere Zeit',
    },
    done: {
      accepted: 'Der Ersatztermin ist bestätigt.',
      declined: 'Der Ersatztermin wurde freigegeben.',
      other_time: 'Der Ersatztermin wurde freigegeben. Buchen Sie jetzt die gewünschte Zeit.',
    } as Record<string, string>,
    note: 'Notiz (freiwillig)',
    save: 'Ergebnis speichern',
    saved: 'Gespeichert.',
    state: { open: 'offen', reached: 'erreicht', voicemail: 'Nachricht hinterlassen' },
  },
  en: {
    title: 'Call list',
    intro: 'These people got no email or SMS. Please call them, tell them the replacement held for them and record the outcome.',
    empty: 'Nobody needs to be called.',
    showAll: 'Show handled ones too',
    showOpen: 'Show open ones only',
    reason: { no_channel: 'no email/SMS', delivery_failed: 'message undeliverable' },
    original: 'Cancelled appointment',
    held: 'Replacement held',
    noHeld: 'No replacement held – please book one on the phone.',
    until: 'held until',
    offer: { held: 'awaiting answer', accepted: 'accepted', declined: 'declined', expired: 'lapsed', none: '–' } as Record<string, string>,
    noPhone: 'no phone number',
    attempts: (n: number) => (n === 1 ? '1 call attempt' : `${n} call attempts`),
    outcomeLegend: 'Outcome of the call',
    outcomes: {
      reached: 'Reached',
      not_reached: 'Not reached',
      voicemail: 'Left a voicemail',
      accepted: 'Reached – takes the replacement',
      declined: 'Reached – needs no appointment any more',
      other_time: 'Reached – wants another time',
    },
    done: {
      accepted: 'The replacement is confirmed.',
      declined: 'The replacement has been released.',
      other_time: 'The replacement has been released. Now book the time the person wants.',
    } as Record<string, string>,
    note: 'Note (optional)',
    save: 'Save outcome',
    saved: 'Saved.',
    state: { open: 'open', reached: 'reached', voicemail: 'voicemail left' },
  },
} satisfies Record<UiLanguage, unknown>;

/** With a replacement waiting for an answer, "reached" is always one of the three answers to it. */
const outcomesFor = (e: CallListItem): CallOutcome[] =>
  e.held?.offerState === 'held'
    ? ['accepted', 'other_time', 'declined', 'not_reached', 'voicemail']
    : ['reached', 'not_reached', 'voicemail'];

export function callListPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/anrufliste', requireStage('active'));
  pages.use('/anrufliste/*', requireStage('active'));

  const show = async (c: Context<StaffEnv>, notice: string | null, error: string | null, status: 200 | 404 | 422 = 200) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const all = c.req.query('alle') === '1';
    const entries = await readCallList(ctx, c.get('principal'), { officeId, includeHandled: all });
    const officeNames = new Map((await catalogue(ctx)).offices.map((o) => [o.id, o.name]));
    return c.html(
      <CallListPage page={staffPageFor(c)} entries={entries} officeNames={officeNames} all={all} notice={notice} error={error} />,
      status,
    );
  };

  pages.get('/anrufliste', (c) => {
    const t = texts[staffPageFor(c).lang];
    const ok = c.req.query('ok');
    return show(c, ok ? (t.done[ok] ?? t.saved) : null, null);
  });

  pages.post('/anrufliste/:id{\\d{1,18}}', async (c) => {
    const form = await c.req.parseBody();
    const outcome = CALL_OUTCOMES.find((o) => o === form.outcome);
    const lang = staffPageFor(c).lang;
    if (!outcome) return show(c, null, texts[lang].outcomeLegend, 422);
    const entryId = c.req.param('id');
    try {
      await recordCallOutcome(ctx, c.get('principal'), { entryId, outcome, note: typeof form.note === 'string' ? form.note : undefined });
    } catch (error) {
      return show(c, null, errorText(error, lang), error instanceof DomainError && error.code === 'not_found' ? 404 : 422);
    }
    // Another time: straight on to the phone booking, with the person and the services filled in.
    if (outcome === 'other_time') return c.redirect(`/staff/telefon?anruf=${entryId}`, 303);
    return c.redirect(`/staff/anrufliste?ok=${outcome === 'accepted' || outcome === 'declined' ? outcome : '1'}`, 303);
  });
  return pages;
}

function CallListPage({
  page,
  entries,
  officeNames,
  all,
  notice,
  error,
}: {
  page: StaffPage;
  entries: CallListItem[];
  officeNames: Map<string, string>;
  all: boolean;
  notice: string | null;
  error: string | null;
}) {
  const t = texts[page.lang];
  return (
    <StaffLayout page={page} title={t.title} hasErrors={error !== null}>
      <h1 class="kern-heading-large">{t.title}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {error ? <Alert variant="danger" title={error} role="alert" /> : null}
      <p class="kern-body">{t.intro}</p>
      <p>
        <a class="kern-link" href={all ? '/staff/anrufliste' : '/staff/anrufliste?alle=1'}>
          {all ? t.showOpen : t.showAll}
        </a>
      </p>
      {entries.length === 0 ? <p class="kern-body">{t.empty}</p> : null}
      <ol class="call-list">
        {entries.map((e) => (
          <li class="call-list__entry">
            <h2 class="kern-heading-small">
              {e.name ?? '–'} ·{' '}
              {e.phone ? (
                <a class="kern-link" href={`tel:${e.phone.replace(/[^0-9+]/g, '')}`}>
                  {e.phone}
                </a>
              ) : (
                t.noPhone
              )}
            </h2>
            <p class="kern-body">
              {t.state[e.state]} · {t.reason[e.reason]} · {t.attempts(e.attempts)}
              {e.lastOutcome ? ` · ${t.outcomes[e.lastOutcome]}` : ''}
              {e.note ? ` · ${e.note}` : ''}
            </p>
            <dl class="kern-description-list">
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{t.original}</dt>
                <dd class="kern-description-list-item__value">
                  {e.original.reference}, {formatWhen(e.original.start, page.lang)}
                </dd>
              </div>
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{t.held}</dt>
                <dd class="kern-description-list-item__value">
                  {e.held
                    ? `${e.held.reference}, ${formatWhen(e.held.start, page.lang)}–${e.held.end.slice(11, 16)} (${officeNames.get(e.held.officeId) ?? e.held.officeId}), ${t.offer[e.held.offerState] ?? e.held.offerState}, ${t.until} ${formatWhen(e.held.expiresAt, page.lang)}`
                    : t.noHeld}
                </dd>
              </div>
            </dl>
            <form method="post" action={`/staff/anrufliste/${e.id}`}>
              <CsrfField page={page} />
              <fieldset class="kern-fieldset">
                <legend class="kern-label">{t.outcomeLegend}</legend>
                <div class="kern-fieldset__body kern-fieldset__body--horizontal">
                  {outcomesFor(e).map((o) => (
                    <div class="kern-form-check">
                      <input class="kern-form-check__radio" type="radio" name="outcome" value={o} id={`ergebnis-${e.id}-${o}`} required />
                      <label class="kern-label" for={`ergebnis-${e.id}-${o}`}>
                        {t.outcomes[o]}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div class="kern-form-input">
                <label class="kern-label" for={`notiz-${e.id}`}>
                  {t.note}
                </label>
                <input class="kern-form-input__input" type="text" id={`notiz-${e.id}`} name="note" maxlength={500} />
              </div>
              <button class="kern-btn kern-btn--primary" type="submit">
                <span class="kern-label">{t.save}</span>
              </button>
            </form>
          </li>
        ))}
      </ol>
    </StaffLayout>
  );
}
