/** The dashboard's static files and SPA paths. */
export { NOT_BUILT_MESSAGE, SPA_PATHS, WEB_DIST_DIR, webRoutes, type WebRoutesOptions } from './web.routes.js';
