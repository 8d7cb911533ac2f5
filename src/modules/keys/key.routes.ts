import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import type { RotationJobs } from './key-rotation.jobs.js';
import { currentKeyRotation, getKeyStatus, startKeyRotation, stopKeyRotation } from './key-admin.service.js';
import { KeyStatus, RotationJob, RotationStartBody } from './key.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 409, 422, 503);
const tags = ['Key management'];

/**
 * Key status and rotations of the caller's brand, for owners and admins. With the embedded
 * database `npm run paydesk -- keys …` goes through these, because the server holds PGlite.
 * The jobs are the server's (built in app.ts, which stops them on close).
 */
export function keyRoutes(ctx: AppContext, { jobs }: { jobs: RotationJobs }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/keys',
      {
        schema: {
          tags,
          operationId: 'getKeyStatus',
          summary: "The brand's keys, rows per key and the latest rotation",
          response: { 200: KeyStatus, ...errors },
        },
      },
      async (request) => getKeyStatus(ctx, jobs, principalOf(request)),
    );

    app.post(
      '/keys/rotations',
      {
        schema: {
          tags,
          operationId: 'startKeyRotation',
          summary: 'Start or resume a key rotation',
          description:
            '`data`: a new data key encrypts new writes and rows are re-encrypted in batches; `index`: the search index is ' +
            'rebuilt under a new index key. An unfinished rotation of the purpose is resumed instead of starting another. ' +
            'The old key is destroyed once no row uses it. Runs in the background: follow it with GET /keys/rotations/current.',
          body: RotationStartBody,
          response: { 202: RotationJob, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await startKeyRotation(jobs, principalOf(request), request.body, request.ip)),
    );

    app.get(
      '/keys/rotations/current',
      {
        schema: {
          tags,
          operationId: 'getCurrentKeyRotation',
          summary: 'Progress of the latest rotation',
          response: { 200: RotationJob, ...errors },
        },
      },
      async (request) => currentKeyRotation(jobs, principalOf(request)),
    );

    app.delete(
      '/keys/rotations/current',
      {
        schema: {
          tags,
          operationId: 'stopKeyRotation',
          summary: 'Stop the running rotation after its current batch',
          description: 'Nothing done is lost; POST /keys/rotations resumes it.',
          response: { 202: RotationJob, ...errors },
        },
      },
      async (request, reply) => reply.code(202).send(stopKeyRotation(jobs, principalOf(request))),
    );
  };
}
