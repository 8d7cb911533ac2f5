import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { DomainError, fieldError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { mayGrantRole, type Principal, requirePermission, type Role } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import type { ApiKeyListView, ApiKeyView, NewApiKeyView } from './api-key.schemas.js';
import {
  apiKeyTokenExists,
  findApiKeyForUpdate,
  findLiveApiKeyByTokenHash,
  insertApiKey,
  listApiKeyRows,
  markApiKeyRevoked,
  touchApiKey,
} from './api-key.repository.js';

/** last_used_at is written at most this often per key, so authentication stays a read. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

export function generateApiToken(): string {
  return `pdk_${crypto.randomBytes(32).toString('base64url')}`;
}

/**
 * Stores a key for a brand; the token is returned to be shown once and is not kept. No checks:
 * first start and tests call it directly, the API through issueApiKey.
 */
export async function createApiKey(
  ctx: AppContext,
  input: { merchantId: string; name: string; role: Role; token?: string; createdAt?: Date },
  db: Executor = ctx.db,
): Promise<{ id: string; token: string }> {
  const token = input.token ?? generateApiToken();
  const id = newId('key');
  await insertApiKey(db, {
    merchant_id: input.merchantId,
    id,
    name: input.name,
    role: input.role,
    token_hash: hashApiToken(token),
    token_hint: token.slice(-4),
    ...(input.createdAt ? { created_at: input.createdAt } : {}),
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
  const now = ctx.clock();
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!key.last_used_at || key.last_used_at < staleBefore)
    await touchApiKey(ctx.db, key.merchant_id, key.id, now, staleBefore);
  return { merchantId: key.merchant_id, role: key.role, actor: { type: 'api_key', id: key.id } };
}

export type { ApiKeyView };

export async function listApiKeys(ctx: AppContext, principal: Principal): Promise<ApiKeyListView> {
  requirePermission(principal, 'api_keys.manage');
  const rows = await listApiKeyRows(ctx.db, principal.merchantId);
  return { object: 'list', data: rows.map(toApiKeyView) };
}

/**
 * POST /api-keys: a new key of the caller's brand, its token returned this once. The role may not
 * grant more than the caller's own (access/grants.ts).
 */
export async function issueApiKey(
  ctx: AppContext,
  principal: Principal,
  input: { name: string; role: Role },
  ip: string | undefined,
): Promise<NewApiKeyView> {
  requirePermission(principal, 'api_keys.manage');
  const name = checkKeyName(input.name);
  requireGrantable(principal, input.role);
  const now = ctx.clock();
  const { id, token } = await ctx.db.transaction().execute(async (trx) => {
    const key = await createApiKey(
      ctx,
      { merchantId: principal.merchantId, name, role: input.role, createdAt: now },
      trx,
    );
    await recordAudit(trx, {
      merchantId: principal.merchantId,
      actor: actorOf(principal),
      action: 'api_key.create',
      target: { type: 'api_key', id: key.id },
      ip,
      details: { role: input.role },
    });
    return key;
  });
  const view = toApiKeyView({
    id,
    name,
    role: input.role,
    token_hint: token.slice(-4),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  });
  return { ...view, token };
}

/**
 * DELETE /api-keys/{id}: the key stops working with the next request (authentication reads the
 * database every time). Revoking a revoked key changes nothing. A caller may revoke only keys it
 * could have made, so a developer cannot cut off the owner's integration.
 */
export async function revokeApiKey(
  ctx: AppContext,
  principal: Principal,
  id: string,
  ip: string | undefined,
): Promise<void> {
  requirePermission(principal, 'api_keys.manage');
  const { merchantId } = principal;
  if (!isId('key', id)) throw apiKeyNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    const key = await findApiKeyForUpdate(trx, merchantId, id);
    if (!key) throw apiKeyNotFound(id);
    requireGrantable(principal, key.role);
    if (key.revoked_at) return;
    await markApiKeyRevoked(trx, merchantId, id, ctx.clock());
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'api_key.revoke',
      target: { type: 'api_key', id },
      ip,
      details: { role: key.role },
    });
  });
}

function requireGrantable(principal: Principal, role: Role): void {
  if (!mayGrantRole(principal.role, role)) {
    throw new DomainError('forbidden', `The ${principal.role} role may not manage ${role} keys`, {
      permission: 'api_keys.manage',
      role,
    });
  }
}

function checkKeyName(raw: string): string {
  const name = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(name)) throw fieldError('name', 'must not contain control characters');
  if (name.length < 1 || name.length > 100) throw fieldError('name', 'must be 1–100 characters');
  return name;
}

function apiKeyNotFound(id: string): DomainError {
  return new DomainError('api_key_not_found', `No API key ${id} in this brand`, { api_key_id: id });
}

function toApiKeyView(row: {
  id: string;
  name: string;
  role: Role;
  token_hint: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiKeyView {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    role: row.role,
    hint: row.token_hint,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
