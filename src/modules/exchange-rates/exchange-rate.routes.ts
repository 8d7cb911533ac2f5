import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { problemResponses } from '../../http/problem.js';
import { ExchangeRates, ExchangeRatesBody } from './exchange-rate.schemas.js';
import { getExchangeRates, setExchangeRates } from './exchange-rate.service.js';

const errors = problemResponses(400, 401, 403, 422);
const tags = ['Exchange rates'];

export function exchangeRateRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/exchange-rates',
      {
        schema: {
          tags,
          operationId: 'getExchangeRates',
          summary: "The brand's exchange rates to its base currency",
          response: { 200: ExchangeRates, ...errors },
        },
      },
      async (request) => getExchangeRates(ctx, principalOf(request)),
    );
    app.put(
      '/exchange-rates',
      {
        schema: {
          tags,
          operationId: 'setExchangeRates',
          summary: 'Set exchange rates (owner, admin)',
          description:
            'Used when a payment in that currency succeeds. A payment in a currency without a rate is refused (422 exchange_rate_missing).',
          body: ExchangeRatesBody,
          response: { 200: ExchangeRates, ...errors },
        },
      },
      async (request) => setExchangeRates(ctx, principalOf(request), request.body),
    );
  };
}
