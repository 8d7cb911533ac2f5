import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/common.schemas.js';
import { Customer } from '../customers/index.js';
import { Invoice } from '../invoices/index.js';
import { Note } from '../notes/index.js';
import { Order } from '../orders/index.js';
import { SiteUser } from '../site-users/index.js';
import { CustomerEventSchema } from '../timeline/index.js';
import { Transaction } from '../transactions/index.js';

export const ExportedImage = Type.Object(
  {
    content_type: Type.String({ examples: ['image/webp'] }),
    data_base64: Type.String({ contentEncoding: 'base64', description: 'The image bytes as stored, base64' }),
  },
  { title: 'ExportedImage' },
);

/** Everything held about one customer, decrypted: the answer to an access request. */
export const CustomerDataExport = Type.Object(
  {
    object: Type.Literal('customer_data_export'),
    generated_at: Timestamp,
    brand: Type.Object({ id: Type.String(), name: Type.String() }),
    customer: Customer,
    site_user: Nullable(SiteUser, { description: 'The linked storefront account; null when none' }),
    notes: Type.Array(Note, { description: 'Newest first' }),
    timeline: Type.Array(CustomerEventSchema, { description: 'Newest first' }),
    transactions: Type.Array(Transaction, { description: 'Payments and refunds, newest first' }),
    invoices: Type.Array(Invoice, { description: 'Newest first' }),
    orders: Type.Array(Order, { description: 'Newest first' }),
    image: Nullable(ExportedImage, { description: 'Null when the customer has no image' }),
  },
  { title: 'CustomerDataExport' },
);
export type CustomerDataExportView = Static<typeof CustomerDataExport>;
