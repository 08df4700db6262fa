import { Temporal } from 'temporal-polyfill';
import type { AffectedAppointment } from '../../app/setup/plan-setup-change.ts';
import type { SetupChange } from '../../app/setup/setup-diff.ts';
import { Alert, ErrorSummary, TextInput, type FormError } from '../pages/components.tsx';
import { formatWhen } from './dates.ts';
import { serviceMessages } from './messages/setup-services.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { HiddenValues, type FormValues } from './setup-form.tsx';
import { StaffTable } from './staff-table.tsx';

// The preview every set-up page shows before it saves (#19): what changes, the booked appointments
// it touches by name and time and how they are handled, and the confirmation. The confirmation
// carries every typed value and the revision the preview was made on, so a save after someone
// else's change is refused and shows this page again with nothing lost.

export type PreviewProps = {
  page: StaffPage;
  /** Where the confirmation posts (it saves), and where „Angaben ändern“ posts (the form again). */
  saveAction: string;
  editAction: string;
  values: FormValues;
  revision: number | null;
  changes: SetupChange[];
  affected: AffectedAppointment[];
  officeNames: Map<string, string>;
  /** Someone else saved since the form was opened. */
  stale: boolean;
  reason: string;
  errors: FormError[];
};

export function SetupPreviewPage(p: PreviewProps) {
  const { page } = p;
  const m = serviceMessages[page.lang].preview;
  const when = (a: AffectedAppointment) =>
    formatWhen(
      Temporal.Instant.fromEpochMilliseconds(a.start).toZonedDateTimeISO(a.timeZone).toString({ timeZoneName: 'never' }),
      page.lang,
    );
  const hasChanges = p.changes.length > 0;
  return (
    <StaffLayout page={page} title={m.title} hasErrors={p.errors.length > 0}>
      <h1 class="kern-heading-large">{m.title}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={p.errors} />
      {p.stale ? <Alert variant="warning" title={m.stale} role="alert" /> : null}
      <h2 class="kern-heading-medium">{m.changes}</h2>
      {hasChanges ? (
        <ul class="staff-changes">
          {p.changes.map((c) => (
            <li class="kern-body">{page.lang === 'en' ? c.en : c.de}</li>
          ))}
        </ul>
      ) : (
        <p class="kern-body">{m.none}</p>
      )}
      {p.affected.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{m.affectedTitle(p.affected.length)}</h2>
          <p class="kern-body">{m.affectedIntro}</p>
          <StaffTable label={m.caption} columns={[m.col.person, m.col.when, m.col.office, m.col.reference, m.col.why]}>
            {p.affected.map((a) => (
              <tr>
                <td>{a.citizenName ?? m.noName}</td>
                <td class="staff-nowrap">{when(a)}</td>
                <td>{p.officeNames.get(a.officeId) ?? a.officeId}</td>
                <td class="staff-nowrap">{a.reference}</td>
                <td>{m.why[a.why]}</td>
              </tr>
            ))}
          </StaffTable>
        </>
      ) : hasChanges ? (
        <p class="kern-body">{m.noneAffected}</p>
      ) : null}
      <form method="post" action={p.saveAction} novalidate>
        <CsrfField page={page} />
        <HiddenValues values={p.values} />
        <input type="hidden" name="revision" value={String(p.revision ?? 0)} />
        {hasChanges && p.affected.length > 0 ? (
          <TextInput
            id="reason"
            label={m.reason}
            hint={m.reasonHint}
            value={p.reason}
            maxlength={200}
            error={p.errors.find((e) => e.field === 'reason')?.message}
          />
        ) : null}
        <div class="staff-confirm">
          {hasChanges ? (
            <button class="kern-btn kern-btn--primary" type="submit" name={p.affected.length > 0 ? 'absagen' : undefined} value="ja">
              <span class="kern-label">{p.affected.length > 0 ? m.closeAffected : m.save}</span>
            </button>
          ) : null}
          <button class="kern-btn kern-btn--secondary" type="submit" formaction={p.editAction}>
            <span class="kern-label">{m.change}</span>
          </button>
        </div>
      </form>
    </StaffLayout>
  );
}
