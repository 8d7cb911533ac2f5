import type { Executor } from '../../db/database.js';

export interface RevealGrant {
  merchantId: string;
  customerId: string;
  actor: { type: string; id: string };
}

/** Starts the actor's reveal of the customer, or moves the end of the one running. */
export async function saveReveal(db: Executor, grant: RevealGrant, at: Date, until: Date): Promise<void> {
  await db
    .insertInto('customer_contact_reveals')
    .values({
      merchant_id: grant.merchantId,
      customer_id: grant.customerId,
      actor_type: grant.actor.type,
      actor_id: grant.actor.id,
      revealed_at: at,
      expires_at: until,
    })
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'customer_id', 'actor_type', 'actor_id'])
        .doUpdateSet({ revealed_at: at, expires_at: until }),
    )
    .execute();
}

/** When the actor's running reveal of the customer ends, or null when none runs at `now`. */
export async function findRevealEnd(db: Executor, grant: RevealGrant, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('customer_contact_reveals')
    .select('expires_at')
    .where('merchant_id', '=', grant.merchantId)
    .where('customer_id', '=', grant.customerId)
    .where('actor_type', '=', grant.actor.type)
    .where('actor_id', '=', grant.actor.id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.expires_at ?? null;
}
