/**
 * Security requirements for route schemas whose callers differ from the document's default (an API key,
 * or the staff session cookie with the CSRF header; src/http/openapi.ts declares the schemes).
 * Kept apart from openapi.ts so route files can import them without importing the document's builder.
 */
type SecurityRequirements = { [scheme: string]: string[] }[];

/** Public endpoints (health, sign-in, the client pay pages): no credentials. */
export const NO_AUTH: SecurityRequirements = [];

/** A staff session only (API keys have none); reading needs no CSRF header. */
export const SESSION_READ: SecurityRequirements = [{ sessionCookie: [] }];

/** A staff session changing state: the cookie and the session's CSRF token. */
export const SESSION_WRITE: SecurityRequirements = [{ sessionCookie: [], csrfToken: [] }];

/** The default for reading /api/v1: a bearer key, or the session cookie alone. */
export const READ: SecurityRequirements = [{ apiKey: [] }, { sessionCookie: [] }];

/** The default for changing state in /api/v1: a bearer key, or the session cookie with the CSRF header. */
export const WRITE: SecurityRequirements = [{ apiKey: [] }, { sessionCookie: [], csrfToken: [] }];
