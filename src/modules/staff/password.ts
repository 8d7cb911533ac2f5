import { hash, verify } from '@node-rs/argon2';
import validator from 'validator';
import { fieldError } from '../../errors.js';

export const PASSWORD_MIN_LENGTH = 12;
// argon2 takes any length; the cap only keeps a megabyte "password" from costing a hash.
export const PASSWORD_MAX_LENGTH = 1024;

// OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): about 12 ms here, so sign-in stays cheap
// for people and a stolen table costs an attacker that much per guess per account. The algorithm is
// the package's default, argon2id (its Algorithm enum is a const enum, which verbatimModuleSyntax
// cannot import); password.test.ts checks the PHC prefix.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// An unknown email still costs one verification, so response time does not tell which emails exist.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('paydesk-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

/** Length in characters (code points), not UTF-16 units. */
export function checkNewPassword(password: string, field = 'password'): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw fieldError(field, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw fieldError(field, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
  return password;
}

/** Staff emails are login identifiers: trimmed and lower-cased before storing or looking up. */
export function normalizeStaffEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) throw fieldError(field, 'must not be empty');
  if (
    email.length > 254 ||
    !validator.isEmail(email, { allow_display_name: false, require_tld: true, allow_ip_domain: false })
  ) {
    throw fieldError(field, 'is not a valid email address');
  }
  return email;
}
