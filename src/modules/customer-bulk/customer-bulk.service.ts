import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { DomainError, fieldError, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { requirePermission, type Permission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { requireTag } from '../customer-tags/index.js';
import { parseCustomerListParams, type CustomerListParams } from '../customers/index.js';
import { normalizeNoteBody } from '../notes/index.js';
import type { BulkWork } from './customer-bulk.actions.js';
import { insertBulkJob } from './customer-bulk.repository.js';
import type { BulkBody, CustomerBulkJobView } from './customer-bulk.schemas.js';
import { toBulkJobView, type StoredSelection } from './customer-bulk.view.js';
import type { BulkAction, CustomerBulkJobRow } from './customer-bulk-job.table.js';

/** Selections up to this size run in the request (200, finished); larger ones and views run as a job (202). */
export const INLINE_LIMIT = 100;

const PERMISSION: Record<BulkAction, Permission> = {
  tag: 'customers.tag',
  untag: 'customers.tag',
  delete: 'customers.delete',
  suspend: 'customers.suspend',
  resume: 'customers.suspend',
  export: 'customers.read',
};

/** What to run: the customers (ids, or the view with its search text, in memory) and the work. */
export interface BulkPlan {
  selection: { ids: string[] } | { view: CustomerListParams };
  work: BulkWork;
  /** Runs in the request: an ids selection of at most INLINE_LIMIT. */
  inline: boolean;
}

export interface PreparedBulk {
  row: CustomerBulkJobRow;
  /** Null for export: nothing to run, the job is finished as created. */
  plan: BulkPlan | null;
  view: CustomerBulkJobView;
}

/**
 * POST /customers/bulk, before anything runs: who may (the action's own permission), what was
 * asked (422 naming the field), the tag (404 tag_not_found), then the job row. An export is finished
 * here (its URL is the work) and audited; the others are audited when they end (customer-bulk.run.ts).
 */
export async function prepareBulk(ctx: AppContext, principal: Principal, body: BulkBody): Promise<PreparedBulk> {
  requirePermission(principal, PERMISSION[body.action]);
  const selection = checkSelection(body);
  const work = await checkWork(ctx, principal, body);
  const { merchantId } = principal;
  const now = ctx.clock();
  const isExport = body.action === 'export';
  const stored: StoredSelection =
    'ids' in selection ? selection : { view: withoutSearch(selection.view), searched: selection.view.q !== undefined };
  const ids = 'ids' in selection ? selection.ids : undefined;
  const row: CustomerBulkJobRow = {
    merchant_id: merchantId,
    id: newId('bulk'),
    action: body.action,
    params: {
      ...(work?.tag !== undefined ? { tag: work.tag } : {}),
      ...(work?.reason !== undefined ? { reason: work.reason } : {}),
    },
    selection: stored,
    status: isExport ? 'succeeded' : 'queued',
    total: ids?.length ?? null,
    done: 0,
    succeeded: 0,
    refused: 0,
    refusals: [],
    error: null,
    actor_type: principal.actor.type,
    actor_id: principal.actor.id,
    created_at: now,
    updated_at: now,
    finished_at: isExport ? now : null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertBulkJob(trx, {
      ...row,
      params: JSON.stringify(row.params),
      selection: JSON.stringify(row.selection),
      refusals: '[]',
    });
    if (isExport) await auditBulk(trx, principal, row);
  });
  const plan = work && { selection, work, inline: ids !== undefined && ids.length <= INLINE_LIMIT };
  return { row, plan, view: toBulkJobView(row, selection) };
}

/** Exactly one of ids and view; a view's parameters checked as the list checks them (named view.…). */
function checkSelection(body: BulkBody): BulkPlan['selection'] {
  if (body.ids !== undefined && body.view !== undefined) throw fieldError('view', 'give ids or view, not both');
  if (body.ids !== undefined) return { ids: body.ids };
  if (body.view === undefined) {
    throw fieldError('ids', 'give ids (the selected customers) or view (everything the list matches)');
  }
  try {
    parseCustomerListParams(body.view);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed' && error.extra.errors) {
      throw validationError(error.extra.errors.map((e) => ({ field: `view.${e.field}`, reason: e.reason })));
    }
    throw error;
  }
  return { view: body.view };
}

/** The action's own parameters: tag for tag and untag, reason (and note) for suspend, nothing else. */
async function checkWork(ctx: AppContext, principal: Principal, body: BulkBody): Promise<BulkWork | null> {
  const { action } = body;
  const takesTag = action === 'tag' || action === 'untag';
  if (!takesTag && body.tag !== undefined) throw fieldError('tag', 'only for tag and untag');
  if (action !== 'suspend' && body.reason !== undefined) throw fieldError('reason', 'only for suspend');
  if (action !== 'suspend' && body.note !== undefined) throw fieldError('note', 'only for suspend');
  if (action === 'export') return null;
  if (takesTag) {
    if (body.tag === undefined) throw fieldError('tag', `is required to ${action}`);
    await requireTag(ctx, principal.merchantId, body.tag);
    return { action, tag: body.tag };
  }
  if (action === 'suspend') {
    if (body.reason === undefined) throw fieldError('reason', 'is required to suspend');
    const note = body.note?.trim() ? normalizeNoteBody(body.note, 'note') : undefined;
    return { action, reason: body.reason, note };
  }
  return { action };
}

function withoutSearch(view: CustomerListParams): CustomerListParams {
  const { q: _q, ...rest } = view;
  return rest;
}

/** Once per job: what was done to how many, and how they were chosen; never who (no ids, no search text). */
export async function auditBulk(db: Executor, principal: Principal, row: CustomerBulkJobRow): Promise<void> {
  await recordAudit(db, {
    merchantId: row.merchant_id,
    actor: actorOf(principal),
    action: 'customers.bulk',
    target: { type: 'customer_bulk_job', id: row.id },
    details: {
      action: row.action,
      selection: 'ids' in (row.selection as StoredSelection) ? 'ids' : 'view',
      status: row.status,
      total: row.total,
      done: row.done,
      succeeded: row.succeeded,
      refused: row.refused,
      ...(row.params.tag ? { tag: row.params.tag } : {}),
      ...(row.params.reason ? { reason: row.params.reason } : {}),
    },
  });
}
