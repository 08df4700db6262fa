import type { Migration, MigrationProvider } from 'kysely';
import * as bookingCore from './2026-11-25T0900-booking-core.ts';
import * as staffAccess from './2026-11-25T1200-staff-access.ts';
import * as counterDay from './2026-11-26T1500-counter-day.ts';
import * as bookingScale from './2026-11-26T1600-booking-scale.ts';
import * as branchSync from './2026-11-27T0900-branch-sync.ts';
import * as syncChangeLog from './2026-11-27T1000-sync-change-log.ts';
import * as closures from './2026-11-27T1000-closures.ts';
import * as statistics from './2026-11-28T0900-statistics.ts';
import * as reminderCancel from './2026-11-28T1100-reminder-cancel.ts';
import * as fairRelease from './2026-11-28T1300-fair-release.ts';
import * as branchLease from './2026-11-29T1100-branch-lease.ts';
import * as waitingList from './2026-11-29T0900-waiting-list.ts';
import * as closureStaff from './2026-11-29T1000-closure-staff.ts';
import * as oneStatementBooking from './2026-11-30T0900-one-statement-booking.ts';
import * as openContactIndexes from './2026-12-01T0900-open-contact-indexes.ts';
import * as contactCountSkipsHolds from './2026-12-01T1000-contact-count-skips-holds.ts';
import * as appointmentChangeLog from './2026-12-02T0900-appointment-change-log.ts';
import * as auditBranch from './2026-12-07T0910-audit-branch.ts';
import * as branchCredentials from './2026-12-07T0910-branch-credentials.ts';
import * as confirmationAttempts from './2026-12-07T0920-confirmation-attempts.ts';
import * as officeDevices from './2026-12-07T0930-office-devices.ts';
import * as townFile from './2026-12-07T1400-town-file.ts';
import * as feedQueueSettings from './2026-12-07T1500-feed-queue-settings.ts';
import * as feedTownSetup from './2026-12-07T1510-feed-town-setup.ts';
import * as journalCutOff from './2026-12-07T1520-journal-cut-off.ts';
import * as setupClosure from './2026-12-07T1600-setup-closure.ts';
import * as callListAnswers from './2026-12-07T1700-call-list-answers.ts';
import * as officeProfile from './2026-12-07T1800-office-profile.ts';
import * as staffAccounts from './2026-12-07T2000-staff-accounts.ts';
import * as feedApiTokens from './2026-12-07T2100-feed-api-tokens.ts';
import * as statAppointmentDay from './2026-12-07T2150-stat-appointment-day.ts';
import * as signLanguageVideo from './2026-12-07T2300-sign-language-video.ts';
import * as messageTexts from './2026-12-07T2500-message-texts.ts';
import * as auditLogFilters from './2026-12-07T2600-audit-log-filters.ts';
import * as statArrivals from './2026-12-07T2800-stat-arrivals.ts';
import * as statServiceLevel from './2026-12-07T2800-stat-service-level.ts';
import * as kreisTowns from './2026-12-07T2900-kreis-towns.ts';
import * as staffTown from './2026-12-07T2910-staff-town.ts';
import * as displayNotice from './2026-12-07T2940-display-notice.ts';
import * as distributionColumn from './2026-12-07T2980-distribution-column.ts';
import * as feedReleasePolicy from './2026-12-07T2950-feed-release-policy.ts';
import * as outboxSender from './2026-12-07T2960-outbox-sender.ts';
import * as townMessageTexts from './2026-12-07T2961-town-message-texts.ts';
import * as appointmentStaffNote from './2026-12-07T2990-appointment-staff-note.ts';
import * as staffSso from './2026-12-07T3000-staff-sso.ts';

// Listed explicitly (not read from disk) so the same code runs from source, a bundle or a test.
const migrations: Record<string, Migration> = {
  '2026-11-25T0900-booking-core': bookingCore,
  '2026-11-25T1200-staff-access': staffAccess,
  '2026-11-26T1500-counter-day': counterDay,
  '2026-11-26T1600-booking-scale': bookingScale,
  '2026-11-27T0900-branch-sync': branchSync,
  '2026-11-27T1000-sync-change-log': syncChangeLog,
  '2026-11-27T1000-closures': closures,
  '2026-11-28T0900-statistics': statistics,
  '2026-11-28T1100-reminder-cancel': reminderCancel,
  '2026-11-28T1300-fair-release': fairRelease,
  '2026-11-29T1100-branch-lease': branchLease,
  '2026-11-29T0900-waiting-list': waitingList,
  '2026-11-29T1000-closure-staff': closureStaff,
  '2026-11-30T0900-one-statement-booking': oneStatementBooking,
  '2026-12-01T0900-open-contact-indexes': openContactIndexes,
  '2026-12-01T1000-contact-count-skips-holds': contactCountSkipsHolds,
  '2026-12-02T0900-appointment-change-log': appointmentChangeLog,
  '2026-12-07T0910-audit-branch': auditBranch,
  '2026-12-07T0910-branch-credentials': branchCredentials,
  '2026-12-07T0920-confirmation-attempts': confirmationAttempts,
  '2026-12-07T0930-office-devices': officeDevices,
  '2026-12-07T1400-town-file': townFile,
  '2026-12-07T1500-feed-queue-settings': feedQueueSettings,
  '2026-12-07T1510-feed-town-setup': feedTownSetup,
  '2026-12-07T1520-journal-cut-off': journalCutOff,
  '2026-12-07T1600-setup-closure': setupClosure,
  '2026-12-07T1700-call-list-answers': callListAnswers,
  '2026-12-07T1800-office-profile': officeProfile,
  '2026-12-07T2000-staff-accounts': staffAccounts,
  '2026-12-07T2100-feed-api-tokens': feedApiTokens,
  '2026-12-07T2150-stat-appointment-day': statAppointmentDay,
  '2026-12-07T2300-sign-language-video': signLanguageVideo,
  '2026-12-07T2500-message-texts': messageTexts,
  '2026-12-07T2600-audit-log-filters': auditLogFilters,
  '2026-12-07T2800-stat-arrivals': statArrivals,
  '2026-12-07T2800-stat-service-level': statServiceLevel,
  '2026-12-07T2900-kreis-towns': kreisTowns,
  '2026-12-07T2910-staff-town': staffTown,
  '2026-12-07T2940-display-notice': displayNotice,
  '2026-12-07T2950-feed-release-policy': feedReleasePolicy,
  '2026-12-07T2960-outbox-sender': outboxSender,
  '2026-12-07T2961-town-message-texts': townMessageTexts,
  '2026-12-07T2980-distribution-column': distributionColumn,
  '2026-12-07T2990-appointment-staff-note': appointmentStaffNote,
  '2026-12-07T3000-staff-sso': staffSso,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
