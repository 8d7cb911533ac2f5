/** A reveal of one customer's contact to one actor, until expires_at (migration 0017). */
export interface CustomerContactRevealTable {
  merchant_id: string;
  customer_id: string;
  /** The audit actor: staff or api_key, and its id. */
  actor_type: string;
  actor_id: string;
  revealed_at: Date;
  expires_at: Date;
}
