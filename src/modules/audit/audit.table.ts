import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type AuditActorType = 'api_key' | 'staff' | 'system' | 'cli';

/** A JSON value for details: identifiers, counts, states. Never names, emails, phones or notes. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
export type AuditDetails = Record<string, AuditValue>;

export interface AuditEventTable {
  /** The brand, or SYSTEM_MERCHANT_ID for events that belong to no brand. */
  merchant_id: string;
  id: string;
  occurred_at: Generated<Date>;
  actor_type: AuditActorType;
  actor_id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: ColumnType<AuditDetails, string, never>;
}

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEventRow = Insertable<AuditEventTable>;
