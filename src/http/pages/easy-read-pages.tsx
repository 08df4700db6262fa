import type { Context, Hono } from 'hono';
import { isOffered } from '../../app/shared/catalogue.ts';
import type { Office } from '../../db/schema.ts';
import { LINK_REQUEST_PATH } from './appointment-link-request-page.tsx';
import { officePath } from './components.tsx';
import { Layout } from './layout.tsx';
import { easyReadTexts, type EasyBlock } from './messages/easy-read-texts.ts';
import { pageFor, pageSite, siteCatalogue, type CitizenPageOptions } from './page-context.ts';

// BITV 2.0 § 4 (#24 item 1): what the site offers and how to use it, in Leichte Sprache and in
// Deutsche Gebärdensprache. Both are linked from every citizen page's header (layout.tsx).
export const EASY_READ_PATH = '/leichte-sprache';
export const SIGN_LANGUAGE_PATH = '/gebaerdensprache';

export function easyReadRoutes(app: Hono, options: CitizenPageOptions) {
  app.get(EASY_READ_PATH, async (c) => {
    const page = pageFor(c, options);
    const e = easyReadTexts(page.lang).easy;
    const [site, offices] = [pageSite(c), await reachableOffices(c, options)];
    return c.html(
      <Layout page={page} title={e.title}>
        <div class="easy-read">
          <h1 class="kern-heading-large">{e.title}</h1>
          <Lines lines={e.intro(site?.name ?? null)} />
          <Word label={e.wordLabel} word={e.officeWord} />
          {e.blocks.map((block, i) => (
            <Block block={block} label={e.wordLabel} link={i === 1 ? { href: '/', label: e.bookLink } : undefined} />
          ))}
          <section>
            <h2 class="kern-heading-medium">{e.lostHeading}</h2>
            <Lines lines={e.lostLines} />
            <p>
              <a class="kern-link" href={LINK_REQUEST_PATH}>
                {e.lostLink}
              </a>
            </p>
          </section>
          <section>
            <h2 class="kern-heading-medium">{e.helpHeading}</h2>
            <Lines lines={e.helpLines} />
            <OfficeContacts offices={offices} phone={e.phone} email={e.email} />
          </section>
        </div>
      </Layout>,
    );
  });

  app.get(SIGN_LANGUAGE_PATH, async (c) => {
    const page = pageFor(c, options);
    const texts = easyReadTexts(page.lang);
    const s = texts.sign;
    const [site, offices] = [pageSite(c), await reachableOffices(c, options)];
    const video = site?.signLanguageVideoUrl ?? null;
    return c.html(
      <Layout page={page} title={s.title}>
        <h1 class="kern-heading-large">{s.title}</h1>
        {video ? (
          <>
            <p class="kern-body">{s.videoIntro}</p>
            <p class="kern-body">
              <a class="kern-link" href={video}>
                {s.videoLink}
              </a>
            </p>
          </>
        ) : (
          <p class="kern-body">{s.noVideo}</p>
        )}
        <h2 class="kern-heading-medium">{s.interpreterHeading}</h2>
        {s.interpreter.map((p) => (
          <p class="kern-body">{p}</p>
        ))}
        <h2 class="kern-heading-medium">{s.contactHeading}</h2>
        {offices.length > 0 ? (
          <OfficeContacts offices={offices} phone={texts.easy.phone} email={texts.easy.email} />
        ) : (
          <p class="kern-body">{s.noContact}</p>
        )}
      </Layout>,
    );
  });
}

async function reachableOffices(c: Context, options: CitizenPageOptions): Promise<Office[]> {
  return (await siteCatalogue(c, options)).offices.filter(isOffered);
}

/** One sentence per line, as the Netzwerk Leichte Sprache asks. */
function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line) => (
        <p class="easy-read__line">{line}</p>
      ))}
    </>
  );
}

function Word({ label, word }: { label: string; word: NonNullable<EasyBlock['word']> }) {
  return (
    <aside class="easy-read__word" aria-label={`${label}: ${word.term}`}>
      <p class="easy-read__term">
        <strong>{word.term}</strong>
      </p>
      <Lines lines={word.lines} />
    </aside>
  );
}

function Block({ block, label, link }: { block: EasyBlock; label: string; link: { href: string; label: string } | undefined }) {
  return (
    <section>
      <h2 class="kern-heading-medium">{block.heading}</h2>
      <Lines lines={block.lines} />
      {link ? (
        <p>
          <a class="kern-link" href={link.href}>
            {link.label}
          </a>
        </p>
      ) : null}
      {block.steps ? (
        <ol class="easy-read__steps">
          {block.steps.map((step) => (
            <li>{step}</li>
          ))}
        </ol>
      ) : null}
      {block.after ? <Lines lines={block.after} /> : null}
      {block.word ? <Word label={label} word={block.word} /> : null}
    </section>
  );
}

function OfficeContacts({ offices, phone, email }: { offices: Office[]; phone: string; email: string }) {
  return (
    <ul class="easy-read__contacts">
      {offices.map((o) => (
        <li>
          <a class="kern-link" href={officePath(o.id)}>
            <strong>{o.name}</strong>
          </a>
          {o.phone ? (
            <p>
              {`${phone}: `}
              <a class="kern-link" href={`tel:${o.phone.replace(/[^\d+]/g, '')}`}>
                {o.phone}
              </a>
            </p>
          ) : null}
          {o.email ? (
            <p>
              {`${email}: `}
              <a class="kern-link" href={`mailto:${o.email}`}>
                {o.email}
              </a>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
