import { hasRole } from '../../domain/staff-access.ts';
import { accountMessages } from './messages/staff-accounts.ts';
import { serviceMessages } from './messages/setup-services.ts';
import { officeMessages } from './messages/setup-offices.ts';
import { hoursMessages } from './messages/setup-hours.ts';
import { rulesMessages } from './messages/setup-rules.ts';
import { auditLogMessages } from './messages/audit-log.ts';
import { templateMessages } from './messages/messaging-templates.ts';
import type { StaffPage } from './page.tsx';

// The pages of „Verwaltung“ (#19): the main navigation has one entry for the section, this list
// names its pages.

export function AdminSectionNav({ page }: { page: StaffPage }) {
  const principal = page.session?.principal;
  if (!principal || !hasRole(principal, 'teamlead')) return null;
  const items: [string, string][] = [
    ['/staff/verwaltung/konten', accountMessages[page.lang].title],
    ['/staff/verwaltung/dienstleistungen', serviceMessages[page.lang].title],
    ['/staff/verwaltung/standorte', officeMessages[page.lang].title],
    ['/staff/verwaltung/oeffnungszeiten', hoursMessages[page.lang].title],
    ['/staff/verwaltung/regeln', rulesMessages[page.lang].nav],
    // Every citizen mail and SMS (#19): team leads preview, admins save.
    ['/staff/verwaltung/texte', templateMessages[page.lang].nav],
    ['/staff/verwaltung/protokoll', auditLogMessages[page.lang].nav],
  ];
  return (
    <nav class="staff-subnav" aria-label={page.lang === 'en' ? 'Administration' : 'Verwaltung'}>
      <ul>
        {items.map(([href, label]) => (
          <li>
            <a class="kern-link" href={href} aria-current={page.path === href ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
