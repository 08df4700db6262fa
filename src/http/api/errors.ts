import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../domain/errors.ts';
import { requestLanguage } from '../language.ts';
import { ERROR_MESSAGES } from './error-messages.ts';
import { failedLine, requestIdOf } from '../request-log.ts';

// Errors hono and its validators throw themselves (HTTPException), in our envelope like every other.
const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'malformed_request',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorResponse(c: Context, code: ErrorCode | 'internal_error', details?: unknown, status?: ContentfulStatusCode) {
  const language = requestLanguage(c);
  const body: ErrorBody = { error: { code, message: ERROR_MESSAGES[code][language], ...(details === undefined ? {} : { details }) } };
  const httpStatus = status ?? (code === 'internal_error' ? 500 : (ERROR_CODES[code] as ContentfulStatusCode));
  return c.json(body, httpStatus);
}

/** The one place where errors become HTTP: domain codes keep their status, everything unknown is a 500. */
export function handleApiError(error: Error, c: Context, log: (message: string, error: unknown) => void) {
  if (error instanceof DomainError) return errorResponse(c, error.code, error.details);
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status];
    if (code === 'malformed_request') return errorResponse(c, code, { reason: error.message });
    if (code) return errorResponse(c, code);
    return error.getResponse();
  }
  log(failedLine(c), error);
  const requestId = requestIdOf(c);
  return errorResponse(c, 'internal_error', requestId ? { requestId } : undefined);
}
