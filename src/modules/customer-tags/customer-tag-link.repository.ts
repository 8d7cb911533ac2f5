import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/*
 * Who has which tag. Callers hold the customers' row locks (requireLiveCustomer, lockCustomerStates)
 * and the tag's, so the foreign keys never fail under a concurrent delete.
 */

/** Sized so one statement stays far below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Links the customers to the tag; those who had it already are left alone. Returns the ids newly tagged. */
export async function insertTagLinks(
  trx: Transaction<DB>,
  merchantId: string,
  tagId: string,
  customerIds: string[],
  at: Date,
): Promise<string[]> {
  const tagged: string[] = [];
  for (const chunk of chunks(customerIds)) {
    const rows = await trx
      .insertInto('customer_tag_links')
      .values(
        chunk.map((customerId) => ({
          merchant_id: merchantId,
          tag_id: tagId,
          customer_id: customerId,
          created_at: at,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('customer_id')
      .execute();
    tagged.push(...rows.map((r) => r.customer_id));
  }
  return tagged;
}

/** Unlinks the customers from the tag. Returns the ids that had it. */
export async function deleteTagLinks(
  trx: Transaction<DB>,
  merchantId: string,
  tagId: string,
  customerIds: string[],
): Promise<string[]> {
  const untagged: string[] = [];
  for (const chunk of chunks(customerIds)) {
    const rows = await trx
      .deleteFrom('customer_tag_links')
      .where('merchant_id', '=', merchantId)
      .where('tag_id', '=', tagId)
      .where('customer_id', 'in', chunk)
      .returning('customer_id')
      .execute();
    untagged.push(...rows.map((r) => r.customer_id));
  }
  return untagged;
}

/**
 * A merge (customer-merge): the survivor gets the union of both customers' tags. The merged one's
 * links move; a tag both had stays once, with the survivor's own date. Runs in the merge's
 * transaction, under both customers' row locks. Returns the tags the survivor gained.
 */
export async function moveCustomerTags(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  // The merged customer's tags, FOR SHARE: a tag being deleted is waited for, and then gone from the
  // links this copies too (the next statement's snapshot), so its foreign key cannot fail.
  await trx
    .selectFrom('customer_tags')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('customer_tag_links')
        .select('tag_id')
        .where('merchant_id', '=', merchantId)
        .where('customer_id', '=', from),
    )
    .forShare()
    .execute();
  const gained = await trx
    .insertInto('customer_tag_links')
    .columns(['merchant_id', 'tag_id', 'customer_id', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('customer_tag_links')
        .select(['merchant_id', 'tag_id', sql<string>`${to}::text`.as('customer_id'), 'created_at'])
        .where('merchant_id', '=', merchantId)
        .where('customer_id', '=', from),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  await trx
    .deleteFrom('customer_tag_links')
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', from)
    .execute();
  return Number(gained.numInsertedOrUpdatedRows ?? 0);
}
