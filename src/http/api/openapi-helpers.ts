import type { z } from '@hono/zod-openapi';

/** A JSON response (or body) entry of an OpenAPI route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** A required JSON request body: without `required`, a body of another content type would skip validation. */
export const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
