import crypto from 'node:crypto';

/** 128 random bits, URL-safe: the bearer token of a checkout session or an open invoice. */
export function newPublicToken(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** A readable slug for a payment link: from the title, plus 6 random characters so it is unique. */
export function slugFromTitle(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const suffix = crypto.randomBytes(4).toString('hex').slice(0, 6);
  return base ? `${base}-${suffix}` : `pay-${suffix}`;
}

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$';
