import type { AppContext } from '../../context.js';
import { fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { type Principal, requirePermission } from '../access/index.js';
import { listBrandAudit, type AuditAction } from './audit.service.js';
import type { AuditEventRow } from './audit.table.js';
import type { AuditEventView, AuditListView } from './audit.schemas.js';

export type { AuditEventView };

/**
 * GET /audit: the caller's brand's trail, newest first. The cursor is the last event id shown:
 * ids are time-ordered, so "older than it" is a keyset on the primary key.
 */
export async function listAuditLog(
  ctx: AppContext,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined; action?: AuditAction | undefined },
): Promise<AuditListView> {
  requirePermission(principal, 'audit.read');
  if (page.cursor !== undefined && !isId('aud', page.cursor))
    throw fieldError('cursor', 'is not a cursor from this list');
  const rows = await listBrandAudit(ctx.db, principal.merchantId, {
    limit: page.limit + 1,
    ...(page.cursor ? { beforeId: page.cursor } : {}),
    ...(page.action ? { action: page.action } : {}),
  });
  const shown = rows.slice(0, page.limit);
  const hasMore = rows.length > page.limit;
  return {
    object: 'list',
    data: shown.map(toAuditEventView),
    has_more: hasMore,
    next_cursor: hasMore ? (shown.at(-1)?.id ?? null) : null,
  };
}

function toAuditEventView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    object: 'audit_event',
    occurred_at: row.occurred_at.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    ip: row.ip,
    details: row.details,
  };
}
