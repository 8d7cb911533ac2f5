import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Role } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import { apiKeyTokenExists, findLiveApiKeyByTokenHash, insertApiKey } from './api-key.repository.js';

export function hashApiToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

export function generateApiToken(): string {
  return `pdk_${crypto.randomBytes(32).toString('base64url')}`;
}

/** Stores a key for a brand; the token is returned to be shown once and is not kept. */
export async function createApiKey(
  ctx: AppContext,
  input: { merchantId: string; name: string; role: Role; token?: string },
): Promise<{ id: string; token: string }> {
  const token = input.token ?? generateApiToken();
  const id = newId('key');
  await insertApiKey(ctx.db, {
    merchant_id: input.merchantId,
    id,
    name: input.name,
    role: input.role,
    token_hash: hashApiToken(token),
    token_hint: token.slice(-4),
  });
  return { id, token };
}

/** Ensures a fixed token (PAYDESK_API_KEY) exists for the brand; returns false when it already did. */
export async function ensureApiKey(
  ctx: AppContext,
  input: { merchantId: string; name: string; role: Role; token: string },
): Promise<boolean> {
  if (await apiKeyTokenExists(ctx.db, hashApiToken(input.token))) return false;
  await createApiKey(ctx, input);
  return true;
}

/** Resolves `Authorization: Bearer pdk_…` to the brand and role the key carries. */
export async function authenticateApiKey(ctx: AppContext, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) {
    throw new DomainError('unauthenticated', 'Send an API key as "Authorization: Bearer pdk_…"');
  }
  const key = await findLiveApiKeyByTokenHash(ctx.db, hashApiToken(match[1]));
  if (!key) throw new DomainError('unauthenticated', 'The API key is unknown or revoked');
  return { merchantId: key.merchant_id, role: key.role, actor: { type: 'api_key', id: key.id } };
}
