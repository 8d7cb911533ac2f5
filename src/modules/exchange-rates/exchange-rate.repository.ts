import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ExchangeRateRow } from './exchange-rate.table.js';

export async function listExchangeRates(db: Executor, merchantId: string): Promise<ExchangeRateRow[]> {
  return db
    .selectFrom('exchange_rates')
    .select(['merchant_id', 'currency', sql<string>`rate::text`.as('rate'), 'updated_at'])
    .where('merchant_id', '=', merchantId)
    .orderBy('currency')
    .execute();
}

export async function upsertExchangeRates(db: Executor, rows: ExchangeRateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('exchange_rates')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'currency'])
        .doUpdateSet((eb) => ({ rate: eb.ref('excluded.rate'), updated_at: eb.ref('excluded.updated_at') })),
    )
    .execute();
}
