import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { addStaff, changeStaffRole, listStaff, removeStaff } from './staff.service.js';
import {
  StaffCreateBody,
  StaffCreated,
  StaffIdParams,
  StaffList,
  StaffMember,
  StaffUpdateBody,
} from './staff.schemas.js';

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
          operationId: 'addStaff',
          summary: 'Add a staff member',
          description:
            'Only an owner may add owners. An email that already has an account (in another brand) is added as it is.',
          body: StaffCreateBody,
          response: { 201: StaffCreated, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await addStaff(ctx, principalOf(request), request.body, request.ip)),
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
