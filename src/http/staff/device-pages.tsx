import { Hono, type Context } from 'hono';
import { formatDate } from '../../app/messaging/appointment-messages.ts';
import { findOffice } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import {
  createPairingCode,
  listDevices,
  PAIRING_MINUTES,
  revokeDevice,
  type OfficeDeviceView,
  type OpenPairingCode,
} from '../../app/counter/office-devices.ts';
import { DISPLAY_NOTICE_MAX, readDisplayNoticeRecord, setDisplayNotice } from '../../app/counter/display-notice.ts';
import { DomainError } from '../../domain/errors.ts';
import type { UiLanguage } from '../language.ts';
import { Alert, TextInput } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { deviceMessages } from './messages/devices.ts';
import { CsrfField, errorText, requirePageRole, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { RowAction, StaffTable } from './staff-table.tsx';

// /staff/geraete: the team lead pairs the office's kiosks and call displays (decision record 0010):
// a code valid for a few minutes, entered once on the device; the list shows what is paired and
// when it was last active, and revokes a device at once.

type Issued = { code: string; name: string; expiresAt: Date };

export function devicePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of ['/geraete', '/geraete/*']) pages.use(path, requireStage('active'), requirePageRole('teamlead'));

  const show = async (
    c: Context<StaffEnv>,
    officeId: string,
    state: { issued?: Issued; notice?: string; error?: string; noticeError?: string; noticeDraft?: { de: string; en: string } },
    status: 200 | 201 | 404 | 422 = 200,
  ) => {
    const office = await findOffice(ctx.db, officeId);
    if (!office) throw new DomainError('not_found', 'No such office');
    const { devices, openCodes } = await listDevices(ctx, c.get('principal'), officeId);
    const displayNotice = await readDisplayNoticeRecord(ctx.db, officeId);
    return c.html(
      <DevicePage
        page={staffPageFor(c)}
        officeId={officeId}
        officeName={office.name}
        timeZone={office.time_zone}
        devices={devices}
        openCodes={openCodes}
        publicUrl={ctx.settings.publicUrl}
        displayNotice={displayNotice}
        {...state}
      />,
      status,
    );
  };

  pages.get('/geraete', (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const m = deviceMessages[staffPageFor(c).lang];
    const ok = c.req.query('ok');
    const done = { gesperrt: m.revoked, hinweis: m.noticeSaved, 'hinweis-entfernt': m.noticeRemoved } as Record<string, string>;
    return show(c, officeId, { notice: ok ? done[ok] : undefined });
  });

  pages.post('/geraete', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const form = await c.req.parseBody();
    try {
      const issued = await createPairingCode(ctx, c.get('principal'), { officeId, name: typeof form.name === 'string' ? form.name : '' });
      // Shown once, straight from the POST: only its hash is stored.
      return show(c, officeId, { issued }, 201);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      return show(c, officeId, { error: errorText(error, staffPageFor(c).lang) }, 422);
    }
  });

  pages.post('/geraete/hinweis', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const remove = form.remove === '1' || text('de').trim() === '';
    try {
      await setDisplayNotice(ctx, c.get('principal'), officeId, remove ? null : { de: text('de'), en: text('en') || null });
      return c.redirect(`/staff/geraete?ok=${remove ? 'hinweis-entfernt' : 'hinweis'}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      return show(
        c,
        officeId,
        { noticeError: errorText(error, staffPageFor(c).lang), noticeDraft: { de: text('de'), en: text('en') } },
        422,
      );
    }
  });

  pages.post('/geraete/:id/sperren', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    await revokeDevice(ctx, c.get('principal'), { officeId, deviceId: c.req.param('id') });
    return c.redirect('/staff/geraete?ok=gesperrt', 303);
  });
  return pages;
}

const locale = (lang: UiLanguage) => (lang === 'de' ? 'de-DE' : 'en-GB');

type Props = {
  page: StaffPage;
  officeId: string;
  officeName: string;
  timeZone: string;
  devices: OfficeDeviceView[];
  openCodes: OpenPairingCode[];
  publicUrl: string;
  issued?: Issued;
  notice?: string;
  error?: string;
  displayNotice: { text_de: string; text_en: string | null; updated_by: string; updated_at: Date } | null;
  noticeError?: string;
  noticeDraft?: { de: string; en: string };
};

function DevicePage(props: Props) {
  const { page, officeId, officeName, timeZone, devices, openCodes, publicUrl, issued, notice, error } = props;
  const m = deviceMessages[page.lang];
  // A code lives a few minutes: its time alone.
  const time = (d: Date) => d.toLocaleTimeString(locale(page.lang), { timeZone, hour: '2-digit', minute: '2-digit' });
  const when = (d: Date) => `${formatDate(d, timeZone, page.lang)}, ${time(d)}`;
  return (
    <StaffLayout page={page} title={m.title(officeName)} hasErrors={error !== undefined}>
      <h1 class="kern-heading-large">{m.title(officeName)}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {issued ? (
        <Alert variant="success" title={m.codeTitle(issued.name)} role="status">
          <p class="pairing-code">{issued.code}</p>
          <p class="kern-body">{m.codeValid(time(issued.expiresAt), PAIRING_MINUTES)}</p>
          <p class="kern-body">{m.codeHow(`${publicUrl}/kiosk/${officeId}`, `${publicUrl}/display/${officeId}`)}</p>
        </Alert>
      ) : null}
      <p class="kern-body">{m.intro}</p>
      <h2 class="kern-heading-medium">{m.newTitle}</h2>
      <form method="post" action="/staff/geraete">
        <CsrfField page={page} />
        <TextInput id="name" label={m.name} hint={m.nameHint} maxlength={60} autocomplete="off" required error={error} />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.create}</span>
        </button>
      </form>
      {openCodes.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{m.openCodesTitle}</h2>
          <ul class="kern-list">
            {openCodes.map((code) => (
              <li>{m.openCode(code.name, time(code.expiresAt))}</li>
            ))}
          </ul>
        </>
      ) : null}
      <DisplayNoticeForm {...props} when={when} />
      <h2 class="kern-heading-medium">{m.devicesTitle}</h2>
      {devices.length === 0 ? (
        <p class="kern-body">{m.none}</p>
      ) : (
        <StaffTable label={m.caption} columns={[m.col.name, m.col.kind, m.col.pairedAt, m.col.lastSeen, m.col.action]}>
          {devices.map((device) => (
            <tr>
              <td>{device.name}</td>
              <td>{m.kinds[device.kind]}</td>
              <td class="time">{when(device.pairedAt)}</td>
              <td class="time">{when(device.lastSeenAt)}</td>
              <td>
                <RowAction page={page} action={`/staff/geraete/${device.id}/sperren`} label={m.revoke} row={device.name} />
              </td>
            </tr>
          ))}
        </StaffTable>
      )}
    </StaffLayout>
  );
}

/** The call display's notice line (#22): set, changed or removed here; shown at once on the displays. */
function DisplayNoticeForm({ page, displayNotice, noticeError, noticeDraft, when }: Props & { when: (d: Date) => string }) {
  const m = deviceMessages[page.lang];
  return (
    <>
      <h2 class="kern-heading-medium">{m.noticeTitle}</h2>
      <p class="kern-body">{m.noticeIntro}</p>
      {displayNotice ? (
        <p class="kern-body kern-body--small">{m.noticeSince(displayNotice.updated_by, when(displayNotice.updated_at))}</p>
      ) : null}
      <form method="post" action="/staff/geraete/hinweis">
        <CsrfField page={page} />
        <TextInput
          id="de"
          label={m.noticeDe}
          hint={m.noticeHint}
          maxlength={DISPLAY_NOTICE_MAX}
          autocomplete="off"
          value={noticeDraft?.de ?? displayNotice?.text_de ?? ''}
          error={noticeError}
        />
        <TextInput
          id="en"
          label={m.noticeEn}
          hint={m.noticeHint}
          maxlength={DISPLAY_NOTICE_MAX}
          autocomplete="off"
          value={noticeDraft?.en ?? displayNotice?.text_en ?? ''}
        />
        <div class="form-actions">
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{m.noticeSave}</span>
          </button>
          {displayNotice ? (
            <button class="kern-btn kern-btn--secondary" type="submit" name="remove" value="1" formnovalidate>
              <span class="kern-label">{m.noticeRemove}</span>
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
