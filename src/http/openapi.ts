import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI 3.1 generated from the route schemas: JSON at /api/docs/json, a browsable UI at /api/docs. */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Paydesk API',
        version: '1.0.0',
        description:
          'Customers of one brand. Authenticate with `Authorization: Bearer pdk_…`; the key decides the brand and role. ' +
          'Errors are RFC 9457 `application/problem+json` with a stable `code` and, for invalid fields, `errors[].field`.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A pdk_… API key' } },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
}
