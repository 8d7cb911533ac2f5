import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { NewWebhookEndpointRow, WebhookEndpointTable } from './webhook.table.js';

/** Every column but the sealed secrets: what views and updates need. */
const PUBLIC_COLUMNS = [
  'merchant_id',
  'id',
  'url',
  'description',
  'events',
  'contact_data',
  'enabled',
  'disabled_reason',
  'disabled_at',
  'previous_secret_expires_at',
  'failing_since',
  'consecutive_failures',
  'created_at',
  'updated_at',
] as const;

export async function insertWebhookEndpoint(db: Executor, row: NewWebhookEndpointRow) {
  return db.insertInto('webhook_endpoints').values(row).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
}

export async function listWebhookEndpoints(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined },
) {
  return newestFirstPage(
    db.selectFrom('webhook_endpoints').select(PUBLIC_COLUMNS).where('merchant_id', '=', merchantId),
    page,
  ).execute();
}

export async function findWebhookEndpoint(db: Executor, merchantId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(PUBLIC_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The endpoint with its sealed secrets, for signing; locked when a rotation is about to replace them. */
export async function findEndpointSecrets(db: Executor, merchantId: string, id: string, lock = false) {
  const query = db
    .selectFrom('webhook_endpoints')
    .select([...PUBLIC_COLUMNS, 'secret_enc', 'previous_secret_enc', 'previous_secret_expires_at', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The endpoints (with their sealed secrets) of one brand a claimed batch goes to, in one statement. */
export async function findEndpointsSecrets(db: Executor, merchantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('webhook_endpoints')
    .select([...PUBLIC_COLUMNS, 'secret_enc', 'previous_secret_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...ids])
    .execute();
}

export type EndpointChanges = Partial<
  Pick<
    WebhookEndpointTable,
    | 'url'
    | 'description'
    | 'events'
    | 'contact_data'
    | 'enabled'
    | 'disabled_reason'
    | 'disabled_at'
    | 'failing_since'
    | 'secret_enc'
    | 'previous_secret_enc'
    | 'previous_secret_expires_at'
    | 'data_key_id'
  >
> & { consecutive_failures?: number; updated_at: Date };

export async function updateWebhookEndpoint(db: Executor, merchantId: string, id: string, changes: EndpointChanges) {
  return db
    .updateTable('webhook_endpoints')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

export async function deleteWebhookEndpoint(db: Executor, merchantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type WebhookEndpointRecord = NonNullable<Awaited<ReturnType<typeof findWebhookEndpoint>>>;
export type WebhookEndpointSecrets = NonNullable<Awaited<ReturnType<typeof findEndpointSecrets>>>;
