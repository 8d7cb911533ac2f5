import type { Selectable } from 'kysely';

export type PasswordResetStatus = 'pending' | 'used' | 'replaced';

/** A one-time link to set a staff member's password, started by an owner or admin (migration 0016). */
export interface StaffPasswordResetTable {
  staff_id: string;
  id: string;
  /** The brand it was started from: audited there, and the brand the person lands on. */
  merchant_id: string;
  /** SHA-256 of the link's token. */
  token_hash: Buffer;
  status: PasswordResetStatus;
  started_by_type: string;
  started_by_id: string;
  created_at: Date;
  expires_at: Date;
  /** When it was used or replaced. */
  ended_at: Date | null;
}

export type StaffPasswordResetRow = Selectable<StaffPasswordResetTable>;
