import crypto from 'node:crypto';

export const SESSION_COOKIE = 'paydesk_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Idle and absolute lifetimes of a staff session. */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;
// last_seen_at is written at most this often, so reading a page is not a write per request.
export const SESSION_TOUCH_MS = 60_000;

/** 256 random bits for the cookie; only its SHA-256 is stored. */
export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

/**
 * The session's synchronizer token, derived from the cookie token: stable for the session, unknown to
 * anyone without the cookie (and not stored, so a database reader cannot forge one), and useless
 * without the cookie. A cross-site page can send the cookie but cannot read this value.
 */
export function csrfTokenFor(sessionToken: string): string {
  return crypto.createHmac('sha256', sessionToken).update('paydesk csrf v1').digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(given);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
