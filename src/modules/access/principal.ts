import type { Role } from './permissions.js';

/** Who is calling, for one brand. Staff sessions (later) produce the same shape as API keys. */
export interface Principal {
  merchantId: string;
  role: Role;
  actor: { type: 'api_key' | 'staff' | 'system' | 'cli'; id: string };
}
