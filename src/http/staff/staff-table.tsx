import type { Child } from 'hono/jsx';
import { CsrfField, type StaffPage } from './page.tsx';

// The staff lists' table (outgoing messages, document pickup, a closure's people): a region that
// scrolls sideways on a narrow screen instead of the page (WCAG 1.4.10), named for screen readers,
// and the one-button POST a row offers.

export function StaffTable({ label, columns, children }: { label: string; columns: string[]; children: Child }) {
  return (
    <div class="staff-scroll" tabindex={0} role="region" aria-label={label}>
      <table class="staff-table">
        <caption class="kern-sr-only">{label}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A row's action: its own form with the CSRF token; the button's name says which row it acts on. */
export function RowAction({
  page,
  action,
  label,
  row,
  variant = 'secondary',
}: {
  page: StaffPage;
  action: string;
  label: string;
  row: string;
  variant?: 'secondary' | 'tertiary';
}) {
  return (
    <form method="post" action={action}>
      <CsrfField page={page} />
      <button class={`kern-btn kern-btn--${variant}`} type="submit" aria-label={`${row}: ${label}`}>
        <span class="kern-label">{label}</span>
      </button>
    </form>
  );
}
