import type { Selectable } from 'kysely';
import type { Role } from '../access/index.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

/** One invitation of an email to a brand (migration 0014). */
export interface StaffInvitationTable {
  merchant_id: string;
  id: string;
  /** Normalised like staff emails (trimmed, lower case). */
  email: string;
  role: Role;
  /** SHA-256 of the accept link's token. */
  token_hash: Buffer;
  status: InvitationStatus;
  invited_by_type: string;
  invited_by_id: string;
  created_at: Date;
  expires_at: Date;
  /** When it was accepted or revoked. */
  ended_at: Date | null;
  /** The staff account that accepted it. */
  accepted_by: string | null;
}

export type StaffInvitationRow = Selectable<StaffInvitationTable>;
