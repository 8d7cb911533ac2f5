import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { SESSION_WRITE } from '../../http/openapi-security.js';
import { problemResponses } from '../../http/problem.js';
import { BrandCreateBody, BrandList, BrandSettingsBody, BrandUpdateBody, BrandView } from './brand.schemas.js';
import { createBrandAsStaff, listBrands, updateBrand, type BrandCaller } from './brand.profile.js';
import { changeBrandSettings, getBrandView } from './brand.settings.js';

const errors = problemResponses(401, 403, 409, 422);
const tags = ['Brand'];

/** A staff session speaks for the person (all their brands); an API key for its one brand. */
function callerOf(request: FastifyRequest): BrandCaller {
  const session = request.staffSession;
  return session ? { kind: 'staff', staffId: session.staffId } : { kind: 'api_key', principal: principalOf(request) };
}

export function brandRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/brands',
      {
        schema: {
          tags,
          operationId: 'listBrands',
          summary: 'The brands the caller may act for',
          description: "A staff session lists every brand of the person's; an API key, its own brand.",
          response: { 200: BrandList, ...errors },
        },
      },
      async (request) => listBrands(ctx, callerOf(request)),
    );
    app.post(
      '/brands',
      {
        schema: {
          tags,
          operationId: 'createBrand',
          summary: 'Create a brand (a signed-in owner of any brand)',
          description:
            'The caller becomes its owner; switch to it with POST /session/active-brand. The brand has its own ' +
            'data and index keys. API keys act for one brand and answer 403.',
          security: SESSION_WRITE,
          body: BrandCreateBody,
          response: { 201: BrandView, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await createBrandAsStaff(ctx, callerOf(request), request.body)),
    );
    app.get(
      '/brand',
      {
        schema: {
          tags,
          operationId: 'getBrand',
          summary: 'The brand the caller acts for',
          response: { 200: BrandView, ...errors },
        },
      },
      async (request) => getBrandView(ctx, principalOf(request)),
    );
    app.patch(
      '/brand',
      {
        schema: {
          tags,
          operationId: 'updateBrand',
          summary: "Change the brand's profile (owner, admin)",
          description:
            'Name, country, base currency, logo. The base currency is refused (409 `currency_locked`) once the ' +
            "brand has a transaction; changing it before then clears the brand's exchange rates, which are kept against it.",
          body: BrandUpdateBody,
          response: { 200: BrandView, ...errors },
        },
      },
      async (request) => updateBrand(ctx, principalOf(request), request.body),
    );
    app.patch(
      '/brand/settings',
      {
        schema: {
          tags,
          operationId: 'updateBrandSettings',
          summary: "Change the brand's settings (owner, admin)",
          description:
            'auto_create_customers turns automatic creation of customers off or on per source; when off, a known ' +
            'email is still linked and nothing new is created.',
          body: BrandSettingsBody,
          response: { 200: BrandView, ...errors },
        },
      },
      async (request) => changeBrandSettings(ctx, principalOf(request), request.body),
    );
  };
}
