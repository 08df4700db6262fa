import type { OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimitFor } from '../body-limit.ts';
import { ErrorSchema } from './schemas.ts';

/** A JSON response (or body) entry of an OpenAPI route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** A required JSON request body: without `required`, a body of another content type would skip validation. */
export const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);

/**
 * Answers every operation with a request body can give, declared once here instead of in each
 * createRoute: 413 over the route's body limit (body-limit.ts), 415 for a JSON body sent as
 * something else. Call after all routes are mounted on `api`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route environment
export function declareSharedResponses(api: OpenAPIHono<any>, basePath: string): void {
  for (const definition of api.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const { route } = definition;
    const responses = route.responses as Record<string, unknown>;
    // Any operation: a NUL character in the URL or body is refused before the handler (nul-characters.ts).
    responses['400'] ??= json(
      ErrorSchema,
      'invalid_characters: the URL or body contains a NUL character; malformed_request: the body is not valid JSON',
    );
    if (!route.request?.body) continue;
    const maxBytes = bodyLimitFor(basePath + route.path.replace(/\{[^}]+\}/g, 'x'));
    responses['413'] ??= json(ErrorSchema, `payload_too_large: the body is larger than ${kib(maxBytes)} (details.maxBytes)`);
    if (Object.keys(route.request!.body!.content).some((type) => type.includes('json'))) {
      responses['415'] ??= json(ErrorSchema, 'unsupported_media_type: the body is not sent as application/json');
    }
  }
}
