import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { editAppointmentByStaff } from '../../app/appointments/edit-appointment.ts';
import { resendConfirmationByStaff } from '../../app/appointments/resend-confirmation.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { StaffEnv } from '../staff/auth.ts';
import { body, json } from './openapi-helpers.ts';
import { AppointmentSchema, ErrorSchema } from './schemas.ts';
import { AppointmentIdParam, StaffAppointmentEditedSchema, StaffAppointmentEditSchema } from './staff-schemas.ts';

// What a clerk does to one appointment beyond booking, moving and cancelling it (#22, appointment
// handling): correct contact, services and the staff note; send the confirmation again. Scoped like every appointment route
// (findAppointmentForStaff: another office's or town's appointment is not_found).

const errors = {
  400: json(ErrorSchema, 'Malformed request'),
  401: json(ErrorSchema, 'No or invalid credentials (unauthenticated)'),
  403: json(ErrorSchema, 'Missing X-CSRF-Token with a session cookie (csrf_failed), or personal_data_not_granted'),
  404: json(ErrorSchema, "Not found — also for appointments outside the caller's offices"),
  409: json(ErrorSchema, 'invalid_state, too_late, services_do_not_fit (the appointment stays as it was), no_email_address'),
  422: json(ErrorSchema, 'Invalid values: validation_failed, contact_required, unknown_service, service_not_offered, too_many_persons'),
};
const staff = { tags: ['staff'], security: [{ bearer: [] }] };

export function registerStaffAppointmentRoutes(api: OpenAPIHono<StaffEnv>, ctx: AppContext): void {
  api.openapi(
    createRoute({
      method: 'patch',
      path: '/appointments/{id}',
      ...staff,
      summary: 'Correct an appointment: contact data, services, staff note',
      description:
        'Only the fields sent change; each change is audited with before and after (appointment.edit). The citizen is not mailed: send the confirmation again for that.',
      request: { params: AppointmentIdParam, ...body(StaffAppointmentEditSchema) },
      responses: { 200: json(StaffAppointmentEditedSchema, 'The appointment as it is now'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const edited = await editAppointmentByStaff(ctx, c.get('principal'), {
        appointmentId: c.req.valid('param').id,
        citizen: b.citizen ? { name: b.citizen.name, email: b.citizen.email ?? null, phone: b.citizen.phone ?? null } : undefined,
        staffNote: b.staffNote,
        services: b.services,
      });
      return c.json({ ...edited, changed: edited.changed as z.infer<typeof StaffAppointmentEditedSchema>['changed'] }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/appointments/{id}/resend-confirmation',
      ...staff,
      summary: 'Send the booking confirmation again („Bestätigung erneut senden“)',
      description:
        'Queues the confirmation mail again with a fresh manage link (the old link stops working); it shows in the messages like every mail. A second call within the minute queues nothing more (queued: false). 409 no_email_address without an address.',
      request: { params: AppointmentIdParam },
      responses: { 200: json(z.object({ appointment: AppointmentSchema, queued: z.boolean() }), 'Queued'), ...errors },
    }),
    async (c) => c.json(await resendConfirmationByStaff(ctx, c.get('principal'), { appointmentId: c.req.valid('param').id }), 200),
  );
}
