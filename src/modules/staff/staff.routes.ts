import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { changeStaffRole, listStaff, removeStaff } from './staff.service.js';
import { StaffIdParams, StaffList, StaffMember, StaffUpdateBody } from './staff.schemas.js';
import { inviteStaff, listInvitations, revokeStaffInvitation } from './staff-invitation.service.js';
import {
  StaffInvitationCreated,
  StaffInvitationIdParams,
  StaffInvitationList,
  StaffInviteBody,
} from './staff-invitation.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422);
const tags = ['Staff and sign-in'];

/** The people of the active brand and their roles: owners and admins manage them. */
export function staffRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff',
      {
        schema: {
          tags,
          operationId: 'listStaff',
          summary: "The brand's staff",
          response: { 200: StaffList, ...errors },
        },
      },
      async (request) => listStaff(ctx, principalOf(request)),
    );

    app.post(
      '/staff',
      {
        schema: {
          tags,
          operationId: 'inviteStaff',
          summary: 'Invite a staff member',
          description:
            'Creates an invitation, whatever the email: the answer is the same whether or not the email has a Paydesk ' +
            'account, and says nothing about one. The person joins by opening `accept_url` (shown only here; Paydesk ' +
            'sends no email yet, so pass it on yourself) within 7 days, and setting a password (a new account) or ' +
            "giving their account's password. Inviting the same email again replaces the pending invitation. " +
            'Only an owner may invite owners. 409 staff_exists when the email is already a member of this brand.',
          body: StaffInviteBody,
          response: { 201: StaffInvitationCreated, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await inviteStaff(ctx, principalOf(request), request.body, request.ip)),
    );

    app.get(
      '/staff-invitations',
      {
        schema: {
          tags,
          operationId: 'listStaffInvitations',
          summary: "The brand's pending invitations",
          description: 'Not yet accepted or revoked, oldest first; one past its 7 days shows as `expired`.',
          response: { 200: StaffInvitationList, ...errors },
        },
      },
      async (request) => listInvitations(ctx, principalOf(request)),
    );

    app.delete(
      '/staff-invitations/:id',
      {
        schema: {
          tags,
          operationId: 'revokeStaffInvitation',
          summary: 'Revoke an invitation',
          description: 'Its link stops working at once (410). Only an owner may revoke an invitation to be owner.',
          params: StaffInvitationIdParams,
          response: { 204: { type: 'null', description: 'Revoked' }, ...errors },
        },
      },
      async (request, reply) => {
        await revokeStaffInvitation(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send();
      },
    );

    app.patch(
      '/staff/:id',
      {
        schema: {
          tags,
          operationId: 'updateStaffRole',
          summary: "Change a staff member's role",
          description:
            "Only an owner may make owners or change an owner's role; the last owner cannot be demoted (409 owner_required).",
          params: StaffIdParams,
          body: StaffUpdateBody,
          response: { 200: StaffMember, ...errors },
        },
      },
      async (request) => changeStaffRole(ctx, principalOf(request), request.params.id, request.body.role, request.ip),
    );

    app.delete(
      '/staff/:id',
      {
        schema: {
          tags,
          operationId: 'removeStaff',
          summary: 'Remove a staff member from the brand',
          description: 'Only an owner may remove an owner; the last owner cannot be removed (409 owner_required).',
          params: StaffIdParams,
          response: { 204: { type: 'null', description: 'Removed' }, ...errors },
        },
      },
      async (request, reply) => {
        await removeStaff(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send();
      },
    );
  };
}
