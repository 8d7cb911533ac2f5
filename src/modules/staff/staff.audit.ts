import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { type AuditAction, type AuditEvent, recordAudit } from '../audit/index.js';

/** What this module records (all listed in AUDIT_ACTIONS). */
export type StaffAuditAction = Extract<AuditAction, `staff.${string}`>;

export type StaffAuditEvent = Omit<AuditEvent, 'action'> & { action: StaffAuditAction };

export function recordStaffAudit(db: Executor, events: StaffAuditEvent | StaffAuditEvent[]): Promise<void> {
  return recordAudit(db, events);
}

/**
 * A keyed hash of an email that matches no account, so repeated attempts on one address can be
 * correlated in the trail without the address being in it. Keyed by a master-key subkey (it
 * changes with a master rotation, which only breaks correlation across the rotation).
 */
export function emailAuditHash(ctx: AppContext, normalizedEmail: string): string {
  return crypto
    .createHmac('sha256', ctx.keyring.systemSubkey('audit-email-hash'))
    .update(normalizedEmail)
    .digest('hex')
    .slice(0, 32);
}
