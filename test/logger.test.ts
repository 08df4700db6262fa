import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

// Issue 23, item 2 (first part): JSON lines when standard output is not a terminal, readable lines
// when it is; no token in any line, fields and errors included.

const TOKEN = 'Zq3xVbN8kLmP0aSdF5gHjK2lQwErTyUiOp9zXcVbNm1';

function capture(pretty: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ pretty, write: (chunk) => lines.push(...chunk.split('\n').filter(Boolean)) });
  return { logger, lines };
}

describe('the server log', () => {
  it('writes one JSON object per line with level, time and message when not on a terminal', () => {
    const { logger, lines } = capture(false);
    logger.info('Schalter läuft / is running');
    logger.request({ reqId: 'r-12345678', method: 'GET', route: '/termin/:token', status: 200, ms: 4 });
    logger.error('Outbox failed', new Error('smtp down'));
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries[0]).toMatchObject({ level: 'info', msg: 'Schalter läuft / is running' });
    expect(Date.parse(entries[0].time)).not.toBeNaN();
    expect(entries[1]).toMatchObject({
      level: 'info',
      req: { reqId: 'r-12345678', method: 'GET', route: '/termin/:token', status: 200, ms: 4 },
      msg: 'GET /termin/:token 200 4 ms',
    });
    expect(entries[2]).toMatchObject({ level: 'error', msg: 'Outbox failed' });
    expect(entries[2].err).toContain('smtp down');
  });

  it('writes readable lines on a terminal', () => {
    const { logger, lines } = capture(true);
    logger.request({ reqId: 'r-12345678', method: 'POST', route: '/api/v1/appointments', status: 201, ms: 12 });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}POST \/api\/v1\/appointments 201 12 ms \[r-12345678\]$/);
  });

  it('masks tokens in messages and errors, in both forms', () => {
    for (const pretty of [false, true]) {
      const { logger, lines } = capture(pretty);
      logger.info(`GET /termin/${TOKEN}`);
      logger.error('failed', new Error(`no appointment for /termin/${TOKEN}?code=123456`));
      const text = lines.join('\n');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('123456');
      expect(text).toContain('Zq3x…');
    }
  });

  it('writes only lines at or above the level set (SCHALTER_LOG_LEVEL)', () => {
    const { logger, lines } = capture(false);
    logger.setLevel('warn');
    logger.info('started');
    logger.request({ reqId: 'r-12345678', method: 'GET', route: '/', status: 200, ms: 1 });
    logger.error('broken');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['broken']);
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ SCHALTER_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(() => loadConfig({ SCHALTER_LOG_LEVEL: 'chatty' })).toThrow(/SCHALTER_LOG_LEVEL/);
  });
});
