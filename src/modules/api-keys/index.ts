/** Per-brand API keys with a role. */
export { authenticateApiKey, createApiKey, ensureApiKey } from './api-key.service.js';
export { apiKeyRoutes } from './api-key.routes.js';
