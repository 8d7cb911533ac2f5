import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { BrandSettingsBody, BrandView } from './brand.schemas.js';
import { changeBrandSettings, getBrandView } from './brand.settings.js';

const errors = problemResponses(401, 403, 422);
const tags = ['Brand'];

export function brandRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
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
      '/brand/settings',
      {
        schema: {
          tags,
          operationId: 'updateBrandSettings',
          summary: "Change the brand's settings (owner, admin)",
          body: BrandSettingsBody,
          response: { 200: BrandView, ...errors },
        },
      },
      async (request) => changeBrandSettings(ctx, principalOf(request), request.body),
    );
  };
}
