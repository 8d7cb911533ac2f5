/** Exchange rates into a brand's base currency. */
export { getExchangeRates, setExchangeRates } from './exchange-rate.service.js';
export { exchangeRateRoutes } from './exchange-rate.routes.js';
