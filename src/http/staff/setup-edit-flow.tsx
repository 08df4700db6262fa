import type { Context } from 'hono';
import {
  applySetup,
  currentSetupRevision,
  previewSetupChange,
  SetupInvalidError,
  SetupShortfallError,
  type SetupApplied,
  type SetupPreview,
} from '../../app/setup/apply-town-file.ts';
import { exportSetup } from '../../app/setup/export-town-file.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf } from '../../domain/staff-access.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { serviceMessages } from './messages/setup-services.ts';
import { forbiddenPage, staffPageFor } from './page.tsx';
import { text, type FormBody, type FormValues } from './setup-form.tsx';
import { SetupPreviewPage } from './setup-preview-view.tsx';

// The one edit flow of every set-up page under /staff/verwaltung (#19, "one code path, two front
// ends"): the exported town document, changed by the page's form, previewed by the same use case as
// `schalter setup apply`, saved with the revision the preview was made on. A save after someone
// else's refuses and shows the preview again (409) with every typed value; a shortfall shows the
// touched appointments again; „Betroffene Termine absagen“ hands them to the closure flow.

type C = Context<StaffEnv>;

/**
 * One town's set-up as it is now (#20: without a town, the only one); the revision first, so a
 * change landing in between makes the save refuse.
 */
export async function currentSetup(ctx: AppContext, town?: string): Promise<{ revision: number | null; doc: TownFileInput }> {
  const revision = await currentSetupRevision(ctx, town);
  return { revision: revision?.revision ?? null, doc: await exportSetup(ctx, town) };
}

/** What a page tells the flow: its form, how typed values change the document, where to go after. */
export type SetupEdit = {
  /** The town whose document the page edits (the edited office's, or the chosen one: setup-town.tsx). */
  town: (c: C) => Promise<string | undefined>;
  /** May this person save this (a team lead only for own offices, e.g.)? Otherwise the 403 page. */
  mayEdit: (c: C) => boolean;
  /** Where the preview's confirmation saves, and where „Angaben ändern“ shows the form again. */
  actions: (c: C) => { save: string; edit: string };
  /** The typed values of a posted form (as text, so they come back exactly as typed). */
  read: (c: C, form: FormBody, doc: TownFileInput) => FormValues;
  /** The document the values make of the current one; or the form's own errors (numbers, dates). */
  build: (c: C, doc: TownFileInput, values: FormValues) => { next: TownFileInput; errors: FormError[] };
  /** The form again, with errors (422) or without. */
  form: (c: C, doc: TownFileInput, values: FormValues, errors: FormError[]) => Response | Promise<Response>;
  /** The town file's problems with the new document, placed at the form's fields. */
  invalid: (c: C, doc: TownFileInput, values: FormValues, error: SetupInvalidError, next: TownFileInput) => Response | Promise<Response>;
  /** Where a save leads (a list with its notice). */
  saved: (c: C, doc: TownFileInput, values: FormValues, result: SetupApplied) => string;
};

type PreviewExtra = { stale?: boolean; errors?: FormError[]; reason?: string };

export function setupEditFlow(ctx: AppContext, edit: SetupEdit) {
  const showPreview = (c: C, values: FormValues, shown: SetupPreview, revision: number | null, doc: TownFileInput, extra: PreviewExtra) => {
    const errors = extra.errors ?? [];
    const { save, edit: back } = edit.actions(c);
    return c.html(
      <SetupPreviewPage
        page={staffPageFor(c)}
        saveAction={save}
        editAction={back}
        values={values}
        revision={revision}
        changes={shown.changes}
        affected={shown.affectedAppointments}
        officeNames={new Map(doc.offices.map((o) => [o.id, o.name]))}
        stale={extra.stale ?? false}
        reason={extra.reason ?? ''}
        errors={errors}
      />,
      extra.stale ? 409 : errors.length > 0 ? 422 : 200,
    );
  };

  /** POST …/vorschau: what the typed values would change; nothing is saved. */
  const preview = async (c: C) => {
    if (!edit.mayEdit(c)) return forbiddenPage(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const town = await edit.town(c);
    const { revision, doc } = await currentSetup(ctx, town);
    const values = edit.read(c, form, doc);
    const { next, errors } = edit.build(c, doc, values);
    if (errors.length > 0) return edit.form(c, doc, values, errors);
    try {
      return showPreview(c, values, await previewSetupChange(ctx, next, { municipalityId: town }), revision, doc, {});
    } catch (error) {
      if (error instanceof SetupInvalidError) return edit.invalid(c, doc, values, error, next);
      throw error;
    }
  };

  /** POST …/speichern: the preview's confirmation, with the revision it was made on. */
  const save = async (c: C) => {
    if (!edit.mayEdit(c)) return forbiddenPage(c);
    const m = serviceMessages[staffPageFor(c).lang];
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const town = await edit.town(c);
    const { revision, doc } = await currentSetup(ctx, town);
    const values = edit.read(c, form, doc);
    const { next, errors } = edit.build(c, doc, values);
    if (errors.length > 0) return edit.form(c, doc, values, errors);
    const seen = Number(text(form, 'revision'));
    const reason = text(form, 'reason');
    const closing = text(form, 'absagen') === 'ja';
    const again = async (extra: PreviewExtra) =>
      showPreview(c, values, await previewSetupChange(ctx, next, { municipalityId: town }), revision, doc, { ...extra, reason });
    if (closing && !reason) return again({ errors: [{ field: 'reason', message: m.preview.reasonMissing }] });
    try {
      const result = await applySetup(ctx, next, {
        actor: actorOf(c.get('principal')),
        municipalityId: town,
        expectedRevision: seen > 0 ? seen : null,
        ...(closing ? { closeAffected: { reason } } : {}),
      });
      return c.redirect(edit.saved(c, doc, values, result), 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'setup_changed') return again({ stale: true });
      if (error instanceof SetupShortfallError) return again({});
      if (error instanceof SetupInvalidError) return edit.invalid(c, doc, values, error, next);
      throw error;
    }
  };

  /** POST …/formular: „Angaben ändern“ from the preview — the form again with what was typed. */
  const back = async (c: C) => {
    if (!edit.mayEdit(c)) return forbiddenPage(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const { doc } = await currentSetup(ctx, await edit.town(c));
    return edit.form(c, doc, edit.read(c, form, doc), []);
  };

  return { preview, save, back };
}
