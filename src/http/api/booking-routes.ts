import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { searchAvailability } from '../../app/booking/search-availability.ts';
import { bookAppointment } from '../../app/booking/book-appointment.ts';
import { isOffered } from '../../app/shared/catalogue.ts';
import { requireOfficeInReach, townCatalogue } from '../../app/shared/town-scope.ts';
import { apiTown, type TownPrefixes } from '../town-site.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import { cancelAppointment, confirmAppointment, getAppointment, rescheduleAppointment } from '../../app/appointments/manage-appointment.ts';
import { collectIfInFairWindow } from '../../app/booking/fair-release.ts';
import { ReleaseRequestReceiptSchema, receiptBody, registerReleaseRequestRoutes } from './booking-release-request-routes.ts';
import { registerWaitingListRoutes } from './waiting-list-routes.ts';
import { requestLanguage } from '../language.ts';
import { validationHook } from './validation.ts';
import { secureJson } from '../security-headers.ts';
import {
  AppointmentSchema,
  AvailabilityQuerySchema,
  BookingBodySchema,
  ErrorSchema,
  ManageTokenParam,
  MunicipalityQuery,
  OfficeSchema,
  parseServicesParam,
  ServiceSchema,
  SlotSchema,
} from './schemas.ts';
import { json, body } from './openapi-helpers.ts';
import { epochMs, IsoDateTime } from '../edge-fields.ts';

const errors = {
  400: json(ErrorSchema, 'Malformed request'),
  404: json(ErrorSchema, 'Not found'),
  409: json(ErrorSchema, 'Conflict, e.g. slot_unavailable'),
  422: json(ErrorSchema, 'Invalid values'),
  429: json(ErrorSchema, 'Too many requests'),
};
const AppointmentResponse = z.object({ appointment: AppointmentSchema });

export function publicApiRoutes(ctx: AppContext, towns: TownPrefixes) {
  const api = new OpenAPIHono({ defaultHook: validationHook });

  api.openapi(
    createRoute({
      method: 'get',
      path: '/offices',
      tags: ['public'],
      summary: 'Offices (Standorte)',
      request: { query: MunicipalityQuery },
      responses: { 200: json(z.object({ offices: z.array(OfficeSchema) }), 'The town’s offices'), ...errors },
    }),
    async (c) => {
      const { offices } = await townCatalogue(ctx, await apiTown(c, ctx, towns));
      return c.json(
        { offices: offices.filter(isOffered).map((o) => ({ id: o.id, name: o.name, address: o.address, timeZone: o.time_zone })) },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/services',
      tags: ['public'],
      summary: 'Services (Dienstleistungen)',
      request: { query: MunicipalityQuery },
      responses: {
        200: json(z.object({ services: z.array(ServiceSchema) }), 'The town’s services, names in the request language'),
        ...errors,
      },
    }),
    async (c) => {
      const en = requestLanguage(c) === 'en';
      const { services } = await townCatalogue(ctx, await apiTown(c, ctx, towns));
      return c.json(
        {
          services: services.filter(isOffered).map((s) => ({
            id: s.id,
            name: en ? s.name_en : s.name_de,
            durationMinutes: s.duration_minutes,
            feeCents: s.fee_cents,
            onlineBookable: s.online_bookable,
            maxPersons: s.max_persons,
            documents: en ? s.documents_en : s.documents_de,
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/availability',
      tags: ['public'],
      summary: 'Earliest free appointment starts',
      request: { query: AvailabilityQuerySchema },
      responses: { 200: json(z.object({ slots: z.array(SlotSchema) }), 'Free starts, sorted by time'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      // "Any office" is the town's and its neighbours' (#20); another town's office is unknown.
      const site = await townCatalogue(ctx, await apiTown(c, ctx, towns));
      const slots = await searchAvailability(ctx, {
        services: parseServicesParam(q.services),
        officeId: q.office,
        officeIds: site.searchSchedules.map((s) => s.office.id),
        from: q.from,
        to: q.to,
        limit: q.limit,
        countMiss: true,
      });
      const zones = new Map(site.searchSchedules.map((s) => [s.office.id, s.office.time_zone]));
      const tz = (officeId: string) => zones.get(officeId) ?? 'Europe/Berlin';
      return secureJson(
        c,
        {
          slots: slots.map((s) => ({
            officeId: s.officeId,
            start: isoInZone(s.start, tz(s.officeId)),
            end: isoInZone(s.end, tz(s.officeId)),
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments',
      tags: ['public'],
      summary: 'Book an appointment',
      request: { ...body(BookingBodySchema), query: MunicipalityQuery },
      responses: {
        201: json(
          z.object({ appointment: AppointmentSchema, manageToken: z.string() }),
          'Booked (reserved until confirmed by email, or confirmed)',
        ),
        202: json(
          z.object({ releaseRequest: ReleaseRequestReceiptSchema }),
          'Fair release window open (SCHALTER_FAIR_RELEASE_MINUTES): collected for the lottery; ask GET /release-requests/{token}',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      // Town A's site and API never book town B's office (#20): 404 office_not_found, as for an unknown one.
      await requireOfficeInReach(ctx, await apiTown(c, ctx, towns), b.officeId);
      const request = { officeId: b.officeId, start: epochMs(b.start), services: b.services, citizen: b.citizen, language: b.language };
      const entry = await collectIfInFairWindow(ctx, request);
      if (entry) return c.json(receiptBody(entry), 202);
      return secureJson(c, await bookAppointment(ctx, request), 201);
    },
  );

  registerReleaseRequestRoutes(api, ctx);
  registerWaitingListRoutes(api, ctx, towns);

  api.openapi(
    createRoute({
      method: 'get',
      path: '/appointments/{manageToken}',
      tags: ['public'],
      summary: 'An appointment by its manage token',
      request: { params: ManageTokenParam },
      responses: { 200: json(AppointmentResponse, 'The appointment'), ...errors },
    }),
    async (c) => c.json({ appointment: await getAppointment(ctx, c.req.valid('param').manageToken) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{manageToken}/confirm',
      tags: ['public'],
      summary: 'Confirm a reservation with the code from the email',
      description: 'At most 5 wrong codes per reservation: the 5th releases it (the time is free again) and the citizen has to book anew.',
      request: { params: ManageTokenParam, ...body(z.object({ code: z.string().trim().min(1).max(20) })) },
      responses: {
        200: json(AppointmentResponse, 'Confirmed'),
        ...errors,
        409: json(
          ErrorSchema,
          'reservation_expired (not confirmed in time), too_many_codes (the 5th wrong code released the reservation: book again), invalid_state',
        ),
        422: json(
          ErrorSchema,
          'invalid_code (details.attemptsLeft: wrong codes left before the reservation is released), validation_failed',
        ),
      },
    }),
    async (c) => c.json({ appointment: await confirmAppointment(ctx, c.req.valid('param').manageToken, c.req.valid('json').code) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{manageToken}/cancel',
      tags: ['public'],
      summary: 'Cancel; the time becomes free for others',
      request: { params: ManageTokenParam },
      responses: { 200: json(AppointmentResponse, 'Cancelled'), ...errors },
    }),
    async (c) => c.json({ appointment: await cancelAppointment(ctx, c.req.valid('param').manageToken) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{manageToken}/reschedule',
      tags: ['public'],
      summary: 'Move to another time (atomic: the old time is kept if the new one cannot be had)',
      request: { params: ManageTokenParam, ...body(z.object({ start: IsoDateTime, officeId: z.string().min(1).max(64).optional() })) },
      responses: { 200: json(AppointmentResponse, 'Moved'), ...errors },
    }),
    async (c) => {
      const { start, officeId } = c.req.valid('json');
      return c.json(
        { appointment: await rescheduleAppointment(ctx, c.req.valid('param').manageToken, { start: epochMs(start), officeId }) },
        200,
      );
    },
  );

  return api;
}
