import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { getBrand } from '../brands/index.js';
import { getCustomer } from '../customers/index.js';
import { getCustomerImage } from '../images/index.js';
import { listCustomerInvoices } from '../invoices/index.js';
import { listNotes } from '../notes/index.js';
import { listCustomerOrders } from '../orders/index.js';
import { listUsers } from '../site-users/index.js';
import { customerTimeline } from '../timeline/index.js';
import { listCustomerTransactions } from '../transactions/index.js';
import type { CustomerDataExportView } from './data-export.schemas.js';

/** The largest page every list allows (PageQuery): an export reads each list to its end. */
const PAGE = 100;

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * GET /customers/{id}/data-export: everything held about the customer, decrypted, for roles that see
 * contact data raw. Each part is read through its own module, with the caller's principal, so every
 * module's rules still apply. The audit row is written before the document is returned: no trail, no
 * data.
 */
export async function exportCustomerData(
  ctx: AppContext,
  principal: Principal,
  id: string,
  request: { ip?: string | undefined },
): Promise<CustomerDataExportView> {
  requirePermission(principal, 'customers.read_raw_contact');
  const { merchantId } = principal;
  const customer = await getCustomer(ctx, principal, id);
  const generatedAt = ctx.clock();
  const [brand, siteUser, notes, timeline, transactions, invoices, orders, image] = await Promise.all([
    getBrand(ctx, merchantId),
    listUsers(ctx, principal, { limit: 1, customer: id }).then((page) => page.data[0] ?? null),
    allPages((cursor) => listNotes(ctx, principal, id, { limit: PAGE, cursor })),
    allPages((cursor) => customerTimeline(ctx, merchantId, id, { limit: PAGE, cursor })),
    allPages((cursor) => listCustomerTransactions(ctx, principal, id, { limit: PAGE, cursor })),
    allPages((cursor) => listCustomerInvoices(ctx, principal, id, { limit: PAGE, cursor })),
    allPages((cursor) => listCustomerOrders(ctx, principal, id, { limit: PAGE, cursor })),
    customer.image_url === null ? null : exportedImage(ctx, principal, id),
  ]);
  await recordAudit(ctx.db, {
    merchantId,
    actor: actorOf(principal),
    action: 'customer.data_export',
    target: { type: 'customer', id },
    ip: request.ip,
  });
  return {
    object: 'customer_data_export',
    generated_at: generatedAt.toISOString(),
    brand: { id: brand.id, name: brand.name },
    customer,
    site_user: siteUser,
    notes,
    timeline,
    transactions,
    invoices,
    orders,
    image,
  };
}

async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    all.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

/** The image as base64; null when it was removed since the customer was read. */
async function exportedImage(ctx: AppContext, principal: Principal, id: string) {
  try {
    const image = await getCustomerImage(ctx, principal, id);
    return { content_type: image.contentType, data_base64: image.bytes.toString('base64') };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'image_not_found') return null;
    throw error;
  }
}
