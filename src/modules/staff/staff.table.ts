import type { Selectable } from 'kysely';
import type { Role } from '../access/index.js';

export interface StaffTable {
  id: string;
  /** Normalised (trimmed, lower case): the login identifier. Kept in clear, see README "Staff and sign-in". */
  email: string;
  name: string;
  /** argon2id PHC string. */
  password_hash: string;
  password_changed_at: Date;
  created_at: Date;
}

export interface StaffMembershipTable {
  merchant_id: string;
  staff_id: string;
  role: Role;
  created_at: Date;
}

export interface StaffSessionTable {
  staff_id: string;
  id: string;
  /** SHA-256 of the cookie token. */
  token_hash: Buffer;
  active_merchant_id: string | null;
  ip: string | null;
  created_at: Date;
  last_seen_at: Date;
  /** Absolute end of the session, whatever the activity. */
  expires_at: Date;
}

export type StaffRow = Selectable<StaffTable>;
