import type { Context } from 'hono';
import { listTownNames, setUpTowns, townOfRequest, townOfRow } from '../../app/setup/setup-store.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { AdminSectionNav } from './admin-section-nav.tsx';
import type { StaffEnv } from './auth.ts';
import { StaffLayout, staffPageFor } from './page.tsx';

// Which town's document a set-up page edits (#20, a Kreis): the town of the office being edited, or
// for pages of the town as a whole (services, the lists) the town chosen with ?stadt=ID. With one
// town nothing is chosen and the pages stay as they were; with several a list page without ?stadt=
// shows the towns to choose from. Who may see which town is the staff scope's (decision 0014), not this.

type C = Context<StaffEnv>;

/** The town an office belongs to; not_found for an office that does not exist. */
export async function officeTown(ctx: AppContext, officeId: string): Promise<string> {
  const town = await townOfRow(ctx.db, 'office', officeId);
  if (town === undefined) throw new DomainError('not_found', 'No such office');
  return town;
}

/** The town of ?stadt=, or the only one; municipality_required with several and none chosen. */
export const chosenTown = (ctx: AppContext, c: C) => townOfRequest(ctx.db, townParameter(c));

function townParameter(c: C): string | undefined {
  const id = c.req.query('stadt');
  return id && /^[a-z0-9-]{1,40}$/.test(id) ? id : undefined;
}

/** `?stadt=ID` to keep the chosen town in links and form actions; nothing on a one-town installation. */
export const townQuery = (town: string | undefined, first = true) => (town ? `${first ? '?' : '&'}stadt=${encodeURIComponent(town)}` : '');

/**
 * The town of a list page, or the chooser page when several towns are set up and none is chosen.
 * After a save the list is shown with `?id=` of the office (or service) saved: its town is meant.
 * `title` names the page the town is chosen for.
 */
export async function townOrChooser(
  ctx: AppContext,
  c: C,
  path: string,
  title: string,
  saved: 'office' | 'service' = 'office',
): Promise<{ town: string | undefined } | Response> {
  const chosen = townParameter(c);
  if (chosen) return { town: chosen };
  const towns = await setUpTowns(ctx.db);
  if (towns.length <= 1) return { town: towns[0] };
  const id = c.req.query('id');
  if (id) {
    const town = await townOfRow(ctx.db, saved, id);
    if (town !== undefined && towns.includes(town)) return { town };
  }
  const names = await listTownNames(ctx.db);
  const page = staffPageFor(c);
  const de = page.lang === 'de';
  return c.html(
    <StaffLayout page={page} title={title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body">
        {de
          ? 'Hier sind mehrere Städte eingerichtet. Bitte wählen Sie die Stadt, deren Einrichtung Sie bearbeiten möchten.'
          : 'Several towns are set up here. Please choose the town whose set-up you want to edit.'}
      </p>
      <ul class="kern-list" aria-label={de ? 'Städte' : 'Towns'}>
        {names.map((m) => (
          <li>
            <a class="kern-link" href={`${path}${townQuery(m.id)}`}>
              {m.name}
            </a>
          </li>
        ))}
      </ul>
    </StaffLayout>,
  );
}
