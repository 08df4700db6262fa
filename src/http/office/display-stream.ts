import type { Handler } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DisplayFeed, DisplaySnapshot } from '../../app/counter/display-feed.ts';
import { errorResponse } from '../api/errors.ts';
import type { OfficeDeviceEnv } from './device-access.tsx';

/** What a display that found its office full is told to wait; display.js tries again after as long. */
const DISPLAY_RETRY_AFTER_SECONDS = 10;

/**
 * GET /display/{officeId}/events: the board as Server-Sent Events. The office's feed reads the board
 * once per change for all of its displays; a stream only forwards what it is handed, sends a comment
 * line when idle (proxies keep the connection, a display that went away is noticed by the failed
 * write), and ends when its device is revoked.
 */
export function displayEvents(feed: DisplayFeed, heartbeatMs: number): Handler<OfficeDeviceEnv> {
  return (c) => {
    const officeId = c.req.param('officeId') ?? '';
    const device = c.get('device');
    let pending: DisplaySnapshot | null = null;
    let revoked = false;
    let wake: (() => void) | null = null;
    const leave = feed.join(officeId, {
      deviceId: device?.id ?? null,
      receive: (snapshot) => {
        if (device && !snapshot.devices.has(device.id)) revoked = true;
        else pending = snapshot;
        wake?.();
      },
    });
    if (!leave) {
      c.header('Retry-After', String(DISPLAY_RETRY_AFTER_SECONDS));
      return errorResponse(c, 'display_limit_reached');
    }
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => wake?.());
      try {
        let sent = '';
        let lastWrite = Date.now();
        while (!stream.aborted && !stream.closed && !revoked) {
          const snapshot: DisplaySnapshot | null = pending;
          pending = null;
          if (snapshot && snapshot.data !== sent) {
            await stream.writeSSE({ event: 'board', id: String(snapshot.board.lastCallId), data: snapshot.data, retry: 3000 });
            sent = snapshot.data;
            lastWrite = Date.now();
          } else if (Date.now() - lastWrite >= heartbeatMs) {
            await stream.write(': still here\n\n');
            lastWrite = Date.now();
          }
          if (pending || revoked || stream.aborted) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(0, heartbeatMs - (Date.now() - lastWrite)));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      } finally {
        leave();
      }
    });
  };
}
