import type { SiteUserListView, SiteUserView } from '../../src/modules/site-users/user.schemas.js';
import type { TestBrand, TestPaydesk } from './harness.js';

/* Site users for tests (src/modules/site-users): the merchant's backend registering accounts. */

export type SiteUserJson = SiteUserView;
export type SiteUserListJson = SiteUserListView;

let counter = 0;

/** A unique registration body (verified email unless overridden). */
export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const tag = `${Date.now().toString(36)}${counter}`;
  return {
    external_id: `site-${tag}`,
    email: `user.${tag}@example.com`,
    email_verified: true,
    given_name: 'Nusrat',
    family_name: `Jahan ${tag}`,
    ...overrides,
  };
}

export function registerUser(pd: TestPaydesk, token: string, body: Record<string, unknown>) {
  return pd.request(token, { method: 'POST', url: '/api/v1/users', payload: body });
}

/** Registers a user that must be created (201) and returns it. */
export async function newUser(pd: TestPaydesk, brand: TestBrand, overrides: Record<string, unknown> = {}) {
  const response = await registerUser(pd, brand.token, registration(overrides));
  if (response.statusCode !== 201) throw new Error(`register: ${response.statusCode} ${response.body}`);
  return response.json<SiteUserJson>();
}
