import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import type { AppContext } from '../../app/shared/context.ts';
import {
  acceptWaitingOffer,
  joinWaitingList,
  leaveWaitingList,
  readWaitingEntry,
  type WaitingEntryView,
} from '../../app/waiting-list/waiting-list.ts';
import { body, json } from './openapi-helpers.ts';
import { IsoDate, IsoDateTime, WallTime, WallTimeEnd } from '../edge-fields.ts';
import { BookingBodySchema, ErrorSchema, MunicipalityQuery, ServiceRequestSchema } from './schemas.ts';
import { requireOfficeInReach } from '../../app/shared/town-scope.ts';
import { apiTown, type TownPrefixes } from '../town-site.ts';

// The waiting list (#5) in the public API: join when no slot is free, see the place in line, accept
// a held offer, leave. The token from joining (or the one in an offer message) is the only key.

const errors = {
  400: json(ErrorSchema, 'Malformed request'),
  404: json(ErrorSchema, 'Unknown token'),
  409: json(
    ErrorSchema,
    'Conflict: already_exists (already waiting for this service), slots_available (suitable times are free now: details.slots lists up to five as {officeId, start}; book one instead), invalid_state, reservation_expired (the offer lapsed)',
  ),
  422: json(ErrorSchema, 'Invalid values (validation_failed lists every field), unknown_office, service_not_offered, contact_required'),
  429: json(ErrorSchema, 'Too many requests'),
};

const JoinBodySchema = z
  .object({
    services: z.array(ServiceRequestSchema).min(1).max(10),
    officeIds: z.array(z.string().min(1).max(64)).min(1).max(20).openapi({ description: 'Offices the citizen can go to' }),
    earliestDate: IsoDate.openapi({ description: 'Office-local date, inclusive' }),
    latestDate: IsoDate.openapi({ description: 'Office-local date, inclusive; at most 180 days ahead' }),
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .default([1, 2, 3, 4, 5])
      .openapi({ description: 'ISO weekdays, 1 = Monday' }),
    fromTime: WallTime.default('00:00').openapi({ description: 'The appointment starts at or after this office-local time' }),
    toTime: WallTimeEnd.default('24:00').openapi({ description: 'and ends at or before this one' }),
    citizen: BookingBodySchema.shape.citizen.openapi({
      description: 'An email address, or a mobile number when the town sends SMS: an offer is held only for hours',
    }),
    language: z.enum(['de', 'en']).default('de'),
  })
  .openapi('WaitingListJoinRequest');

const WaitingEntrySchema = z
  .object({
    state: z
      .enum(['waiting', 'offered', 'booked', 'left', 'expired'])
      .openapi({ description: 'offered: a slot is held until offer.expiresAt; expired: the offer lapsed or the dates passed' }),
    services: z.array(z.object({ serviceId: z.string(), persons: z.number().int() })),
    officeIds: z.array(z.string()),
    earliestDate: IsoDate,
    latestDate: IsoDate,
    weekdays: z.array(z.number().int()),
    fromTime: z.string(),
    toTime: z.string(),
    language: z.enum(['de', 'en']),
    joinedAt: IsoDateTime,
    positions: z
      .array(z.object({ serviceId: z.string(), position: z.number().int().min(1) }))
      .nullable()
      .openapi({ description: 'Place in line per service (1 = next); null once out of line' }),
    offer: z
      .object({ reference: z.string(), officeId: z.string(), start: IsoDateTime, end: IsoDateTime, expiresAt: IsoDateTime })
      .nullable()
      .openapi({ description: 'The held slot while offered; the booked appointment once accepted' }),
  })
  .openapi('WaitingListEntry');

const TokenParam = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .openapi({
      param: { name: 'token', in: 'path' },
      description: 'The token from POST /waiting-list, or the one in the link of an offer message',
    }),
});

const EntryResponse = z.object({ entry: WaitingEntrySchema });

function entryBody(entry: WaitingEntryView) {
  const zone = entry.offer?.timeZone ?? 'Europe/Berlin';
  return {
    state: entry.state,
    services: entry.services,
    officeIds: entry.officeIds,
    earliestDate: entry.earliestDate,
    latestDate: entry.latestDate,
    weekdays: entry.weekdays,
    fromTime: entry.fromTime,
    toTime: entry.toTime,
    language: entry.language,
    joinedAt: isoInZone(entry.joinedAt, zone),
    positions: entry.positions,
    offer: entry.offer
      ? {
          reference: entry.offer.reference,
          officeId: entry.offer.officeId,
          start: isoInZone(entry.offer.start, zone),
          end: isoInZone(entry.offer.end, zone),
          expiresAt: isoInZone(entry.offer.expiresAt, zone),
        }
      : null,
  };
}

export function registerWaitingListRoutes(api: OpenAPIHono, ctx: AppContext, towns: TownPrefixes) {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/waiting-list',
      tags: ['public'],
      summary: 'Join the waiting list: a suitable slot that becomes free is held for you and you are told (email or SMS)',
      request: { ...body(JoinBodySchema), query: MunicipalityQuery },
      responses: {
        201: json(
          z.object({
            entry: WaitingEntrySchema,
            token: z.string().openapi({ description: 'Secret for GET/DELETE /waiting-list/{token}; also sent by email' }),
          }),
          'On the list',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      // The town's offices and its neighbours' only (#20), as when booking.
      const scope = await apiTown(c, ctx, towns);
      for (const officeId of b.officeIds) await requireOfficeInReach(ctx, scope, officeId);
      const { token, entry } = await joinWaitingList(ctx, { ...b, citizen: b.citizen });
      return c.json({ entry: entryBody(entry), token }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/waiting-list/{token}',
      tags: ['public'],
      summary: 'A waiting-list entry: state, place in line, the held offer',
      request: { params: TokenParam },
      responses: { 200: json(EntryResponse, 'The entry'), ...errors },
    }),
    async (c) => c.json({ entry: entryBody(await readWaitingEntry(ctx, c.req.valid('param').token)) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/waiting-list/{token}/accept',
      tags: ['public'],
      summary: 'Accept the held offer: it becomes a confirmed appointment (its manage token is returned once and emailed)',
      request: { params: TokenParam },
      responses: {
        200: json(
          z.object({
            entry: WaitingEntrySchema,
            appointmentId: z.uuid(),
            manageToken: z.string().nullable().openapi({ description: 'null when accepted before (see the confirmation email)' }),
          }),
          'Booked',
        ),
        ...errors,
        409: json(
          ErrorSchema,
          'Conflict: invalid_state (nothing is offered), reservation_expired (the offer lapsed), contact_limit_reached (the person already has as many open appointments for this service as SCHALTER_CONTACT_LIMIT allows; the offer stays held until its deadline, so it can still be accepted after cancelling the other appointment)',
        ),
      },
    }),
    async (c) => {
      const r = await acceptWaitingOffer(ctx, c.req.valid('param').token);
      return c.json({ entry: entryBody(r.entry), appointmentId: r.appointmentId, manageToken: r.manageToken }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/waiting-list/{token}',
      tags: ['public'],
      summary: 'Leave the waiting list (also: decline a held offer, which then goes to the next person)',
      request: { params: TokenParam },
      responses: { 200: json(EntryResponse, 'Left (state left)'), ...errors },
    }),
    async (c) => c.json({ entry: entryBody(await leaveWaitingList(ctx, c.req.valid('param').token)) }, 200),
  );
}
