import type { Hono } from 'hono';
import { documentStatus, type DocumentStatus } from '../../app/documents/documents.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, TextInput } from './components.tsx';
import { Layout } from './layout.tsx';
import { documentStatusTexts } from './messages/document-status-texts.ts';
import { pageFor, siteCatalogue, type CitizenPageOptions } from './page-context.ts';

// /status: is my ID card ready? A citizen page like any other — the town's header with Leichte
// Sprache and Gebärdensprache, its imprint and privacy links — and it shows nothing about whose
// document it is, only its state.

export function documentStatusRoutes(app: Hono, options: CitizenPageOptions) {
  app.get('/status', async (c) => {
    const number = c.req.query('nummer')?.trim() ?? '';
    const page = pageFor(c, options, { nummer: number || undefined });
    const t = documentStatusTexts(page.lang);
    let status: DocumentStatus | null = null;
    let notFound = false;
    if (number) {
      try {
        status = await documentStatus(options.ctx.db, number);
        // Another town's document is not found on this town's site (#20): order numbers are no secret.
        const own = (await siteCatalogue(c, options)).offices.some((o) => o.id === status!.office.id);
        if (!own) throw new DomainError('not_found', 'Document of another town');
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
        notFound = true;
      }
    }
    return c.html(
      <Layout page={page} title={t.title} hasErrors={notFound}>
        <h1 class="kern-heading-large">{t.title}</h1>
        <p class="kern-body">{t.intro}</p>
        <form method="get" action="/status">
          {page.lang === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
          <TextInput
            id="nummer"
            label={t.orderNumber}
            value={number}
            autocomplete="off"
            maxlength={40}
            required
            error={notFound ? t.notFound : undefined}
          />
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{t.check}</span>
          </button>
        </form>
        {status ? (
          <section aria-labelledby="ergebnis" role="status">
            <h2 class="kern-heading-medium" id="ergebnis">
              {status.orderNumber}
            </h2>
            <Alert
              variant={status.state === 'ready' ? 'success' : 'info'}
              title={t.states[status.state === 'in_production' && !status.willNotify ? 'in_production_silent' : status.state]}
            />
            {status.state === 'ready' ? (
              <>
                <h3 class="kern-heading-small">{t.where}</h3>
                <p class="kern-body">
                  {status.office.name}, {status.office.address}
                </p>
                <p class="kern-body">{t.bring}</p>
              </>
            ) : null}
          </section>
        ) : null}
      </Layout>,
      notFound ? 404 : 200,
    );
  });
}
