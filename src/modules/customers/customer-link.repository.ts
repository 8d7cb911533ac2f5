import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { PaymentCustomer } from './customer-aggregates.repository.js';

/*
 * The customer ↔ site-user link lives on the customer row (customers.user_id, unique per brand).
 * These statements read site_users too: a link is decided here, by the customers module, so the
 * site-users module can call it without the two importing each other.
 */

/**
 * Whether the brand has a site user with this email blind index, as an expression for a statement
 * that writes a new customer: the link step after it runs only then. Planned on each call by the
 * database function (migration 0020), so a prepared statement's cached plan never decides it.
 */
export function siteUserWithEmail(merchantId: string, emailBidx: Buffer): RawBuilder<boolean> {
  return sql<boolean>`paydesk_site_user_with_email(${merchantId}, ${emailBidx})`;
}

/**
 * For a payment's statement: whether the link step after it has anything to look at, that is the
 * payment registered its payer (`inserted`, from the statement's customer CTE) and a site user has
 * their email. During an index rebuild only the step's own look can tell, so it runs.
 */
export function registeredPayerMayLink(customer: PaymentCustomer, inserted: RawBuilder<unknown>): RawBuilder<boolean> {
  if (customer.kind !== 'register') return sql<boolean>`false`;
  if (customer.retiringIndex) return sql<boolean>`COALESCE(${inserted}, false)`;
  const { merchant_id: merchantId, email_bidx: emailBidx } = customer.row;
  return sql<boolean>`CASE WHEN ${inserted} THEN ${siteUserWithEmail(merchantId, emailBidx)} ELSE false END`;
}

/** Locks the site user for the rest of the transaction; undefined when the brand has no such user. */
export async function lockSiteUser(
  trx: Transaction<DB>,
  merchantId: string,
  userId: string,
): Promise<{ id: string; suggested_customer_id: string | null } | undefined> {
  return trx
    .selectFrom('site_users')
    .select(['id', 'suggested_customer_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** The customer linked to this user, if any. */
export async function findCustomerIdOfUser(
  db: Executor,
  merchantId: string,
  userId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.id;
}

/** The customer's linked user, locking the customer row; undefined when the customer does not exist. */
export async function lockCustomerLink(
  trx: Transaction<DB>,
  merchantId: string,
  customerId: string,
): Promise<{ user_id: string | null } | undefined> {
  return trx
    .selectFrom('customers')
    .select('user_id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setCustomerUser(
  db: Executor,
  merchantId: string,
  customerId: string,
  userId: string | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable('customers')
    .set({ user_id: userId, updated_at: at })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .execute();
}

/**
 * Links only when both sides are free: the customer has no user and the user no customer. Returns
 * whether it linked. A concurrent link of the same customer waits on its row lock and then finds it taken.
 */
export async function linkIfBothFree(
  db: Executor,
  merchantId: string,
  customerId: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('customers')
    .set({ user_id: userId, updated_at: at })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .where('user_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('customers as other')
            .select('other.id')
            .where('other.merchant_id', '=', merchantId)
            .where('other.user_id', '=', userId),
        ),
      ),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setUserSuggestion(
  db: Executor,
  merchantId: string,
  userId: string,
  customerId: string | null,
): Promise<void> {
  await db
    .updateTable('site_users')
    .set({ suggested_customer_id: customerId })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .execute();
}

/**
 * Site users with this email (blind-index values) who are linked to no customer: verified ones
 * first, then the oldest. What a new customer may link to, or suggest. Planned on each call, not
 * prepared: a generic plan made while the brand had no site users reads them by primary key and
 * keeps doing so as they grow, since nothing invalidates it without ANALYZE (51 ms a call at
 * 200,000 users, measured).
 */
export async function findUnlinkedUsersByEmail(
  db: Executor,
  merchantId: string,
  emailBidx: Buffer[],
): Promise<Array<{ id: string; email_verified: boolean; suggested_customer_id: string | null }>> {
  const query = db
    .selectFrom('site_users as u')
    .select(['u.id', 'u.email_verified', 'u.suggested_customer_id'])
    .where('u.merchant_id', '=', merchantId)
    .where('u.email_bidx', 'in', emailBidx)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('customers as c')
            .select('c.id')
            .where('c.merchant_id', '=', merchantId)
            .whereRef('c.user_id', '=', 'u.id'),
        ),
      ),
    )
    .orderBy('u.email_verified', 'desc')
    .orderBy('u.created_at')
    .orderBy('u.id')
    .limit(10);
  return query.execute();
}
