import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/modules/access/permissions.js';
import type { SessionViewType } from '../../src/modules/staff/staff.schemas.js';

import type { TestBrand, TestPaydesk } from './harness.js';
import { auditEvents } from './keys.js';

/* Staff accounts and cookie sessions for tests (src/modules/staff). */

export interface TestStaff {
  id: string;
  email: string;
  password: string;
}

export interface TestSession {
  cookie: string;
  csrf: string;
  body: SessionJson;
}

export type SessionJson = SessionViewType;

let counter = 0;

/**
 * Adds a staff member to the brand through the API as a person would join: the brand's owner key
 * invites the email, then the link is accepted, with a name and password for a new account, or the
 * password of an existing one (give it in overrides).
 */
export async function newStaff(
  paydesk: TestPaydesk,
  brand: TestBrand,
  role: Role,
  overrides: Partial<TestStaff> = {},
): Promise<TestStaff> {
  counter++;
  const email = overrides.email ?? `staff.${Date.now().toString(36)}${counter}@example.com`;
  const password = overrides.password ?? `correct horse ${counter} battery`;
  const token = await inviteStaff(paydesk, brand, email, role);
  const preview = await paydesk.app.inject({ method: 'GET', url: `/api/public/invitations/${token}` });
  if (preview.statusCode !== 200) throw new Error(`invitation answered ${preview.statusCode}: ${preview.body}`);
  const isNew = preview.json<{ account: 'new' | 'existing' }>().account === 'new';
  const accepted = await acceptInvitationRequest(
    paydesk,
    token,
    isNew ? { name: `Staff ${counter}`, password } : { password },
  );
  if (accepted.statusCode !== 200) throw new Error(`accept answered ${accepted.statusCode}: ${accepted.body}`);
  const session = accepted.json<SessionJson>();
  // Leave no session behind: tests sign in themselves and count sessions.
  await asStaff(paydesk, { cookie: sessionCookieOf(accepted)!.value, csrf: session.csrf_token })('DELETE', '/session');
  return { id: session.staff.id, email, password };
}

/** Invites the email with the brand's owner key; returns the accept link's token. */
export async function inviteStaff(paydesk: TestPaydesk, brand: TestBrand, email: string, role: Role): Promise<string> {
  const response = await paydesk.request(brand.token, {
    method: 'POST',
    url: '/api/v1/staff',
    payload: { email, role },
  });
  if (response.statusCode !== 201) throw new Error(`invite answered ${response.statusCode}: ${response.body}`);
  return tokenOf(response.json<{ accept_url: string }>().accept_url);
}

export function tokenOf(acceptUrl: string): string {
  const match = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(acceptUrl);
  if (!match?.[1]) throw new Error(`not an accept link: ${acceptUrl}`);
  return match[1];
}

export function acceptInvitationRequest(
  paydesk: TestPaydesk,
  token: string,
  payload: { name?: string; password: string },
  remoteAddress = '127.0.0.1',
) {
  return paydesk.app.inject({
    method: 'POST',
    url: `/api/public/invitations/${token}/accept`,
    payload,
    remoteAddress,
  });
}

export function signInRequest(paydesk: TestPaydesk, email: string, password: string, remoteAddress = '127.0.0.1') {
  return paydesk.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress });
}

export function sessionCookieOf(response: LightMyRequestResponse) {
  return response.cookies.find((c) => c.name === 'paydesk_session');
}

export async function signIn(
  paydesk: TestPaydesk,
  staff: Pick<TestStaff, 'email' | 'password'>,
  remoteAddress?: string,
): Promise<TestSession> {
  const response = await signInRequest(paydesk, staff.email, staff.password, remoteAddress);
  if (response.statusCode !== 200) throw new Error(`sign-in answered ${response.statusCode}: ${response.body}`);
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const body = response.json<SessionJson>();
  return { cookie: cookie.value, csrf: body.csrf_token, body };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request with the session cookie; the CSRF header is sent unless csrf is false (or another value is given). */
export function asStaff(paydesk: TestPaydesk, session: Pick<TestSession, 'cookie' | 'csrf'>) {
  return (method: Method, url: string, payload?: Record<string, unknown>, options: { csrf?: string | false } = {}) => {
    const headers: Record<string, string> = {};
    const csrf = options.csrf === undefined ? session.csrf : options.csrf;
    if (csrf !== false) headers['x-csrf-token'] = csrf;
    return paydesk.app.inject({
      method,
      url: `/api/v1${url}`,
      cookies: { paydesk_session: session.cookie },
      headers,
      ...(payload ? { payload } : {}),
    });
  };
}

export async function staffAudit(paydesk: TestPaydesk, merchantId: string) {
  return (await auditEvents(paydesk, merchantId)).filter((event) => event.action.startsWith('staff.'));
}
