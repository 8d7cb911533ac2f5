import type { Executor } from '../../db/database.js';

/** The next number of a per-brand sequence (invoice numbers): gap-free within committed rows. */
export async function nextCounterValue(db: Executor, merchantId: string, name: string): Promise<number> {
  const row = await db
    .insertInto('brand_counters')
    .values({ merchant_id: merchantId, name, value: 1 })
    .onConflict((oc) =>
      oc.columns(['merchant_id', 'name']).doUpdateSet((eb) => ({ value: eb(eb.ref('brand_counters.value'), '+', 1) })),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
