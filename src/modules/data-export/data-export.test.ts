import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { imagesApi, sampleImage } from '../../../test/support/images.js';
import { byKey, newNote, type NoteJson } from '../../../test/support/notes.js';
import { newOrder, type OrderJson } from '../../../test/support/orders.js';
import {
  createPaymentLink,
  openInvoice,
  paid,
  pay,
  payer,
  type InvoiceJson,
  type PayResultJson,
} from '../../../test/support/payments.js';
import { newUser, type SiteUserJson } from '../../../test/support/users.js';
import type { CustomerDataExportView } from './data-export.schemas.js';

// The access request: one document with everything held about a customer, raw, for roles that see
// contact data raw; audited before it is answered, and refused (with no audit row) to everyone else.
describeBackends('customer data export (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let customer: CustomerJson;
  let user: SiteUserJson;
  let payment: PayResultJson;
  let invoice: InvoiceJson;
  let order: OrderJson;
  let notes: NoteJson[];

  const exportOf = (token: string, id: string) =>
    pd.request(token, { method: 'GET', url: `/api/v1/customers/${id}/data-export` });
  const auditRows = () =>
    pd.rawQuery(
      `SELECT actor_id, target_type, target_id, ip FROM audit_events
        WHERE merchant_id = $1 AND action = 'customer.data_export'`,
      [brand.id],
    );

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Export Brand' });
    customer = await newCustomer(pd, brand, { phone: '01712345678', metadata: { crm_id: 'C-77' } });
    // A verified email of a customer links the new user to it.
    user = await newUser(pd, brand, { email: customer.email });
    expect(user.customer).toBe(customer.id);
    payment = paid(await pay(pd, (await createPaymentLink(pd, brand)).url, payer({ email: customer.email })));
    invoice = await openInvoice(pd, brand, { customer_id: customer.id });
    order = await newOrder(pd, brand, { customer: customer.id, customer_details: undefined });
    const call = byKey(pd, brand.token);
    notes = [
      await newNote(call, customer.id, 'First call: asked for invoices by post.'),
      await newNote(call, customer.id, 'Second note'),
    ];
    const put = await imagesApi(pd, brand.token).put(customer.id, await sampleImage('png'), 'image/png');
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(() => pd.close());

  it('holds every record of the customer, decrypted, as a download, and audits it once', async () => {
    const response = await exportOf(brand.token, customer.id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="customer-${customer.id}.json"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const doc = response.json<CustomerDataExportView>();

    expect(doc).toMatchObject({ object: 'customer_data_export', brand: { id: brand.id, name: 'Export Brand' } });
    expect(Number.isNaN(Date.parse(doc.generated_at))).toBe(false);
    expect(doc.customer).toMatchObject({
      id: customer.id,
      email: customer.email,
      phone: '+8801712345678',
      contact_masked: false,
      metadata: { crm_id: 'C-77' },
      user: user.id,
    });
    expect(doc.site_user).toMatchObject({ id: user.id, email: user.email, contact_masked: false });
    expect(doc.notes.map((n) => n.body).sort()).toEqual(notes.map((n) => n.body).sort());
    expect(doc.transactions.map((t) => t.id)).toContain(payment.transaction_id);
    expect(doc.invoices.map((i) => i.id)).toEqual([invoice.id]);
    expect(doc.orders.map((o) => o.id)).toEqual([order.id]);
    const types = doc.timeline.map((e) => e.type);
    for (const type of ['customer.created', 'customer.user_linked', 'payment.succeeded', 'invoice.issued']) {
      expect(types).toContain(type);
    }
    expect(types.filter((t) => t === 'note.added')).toHaveLength(2);
    expect(types).toContain('order.created');
    expect(types).toContain('image.updated');

    expect(doc.image?.content_type).toBe('image/webp');
    const bytes = Buffer.from(doc.image!.data_base64, 'base64');
    expect((await sharp(bytes).metadata()).format).toBe('webp');
    expect(bytes.equals((await imagesApi(pd, brand.token).get(customer.id)).rawPayload)).toBe(true);

    const rows = (await auditRows()).filter((row) => row.target_id === customer.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: brand.principal.actor.id,
      target_type: 'customer',
      target_id: customer.id,
    });
  });

  it('answers null for a customer without a site user or an image, and empty lists', async () => {
    const bare = await newCustomer(pd, brand);
    const response = await exportOf(brand.token, bare.id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<CustomerDataExportView>()).toMatchObject({
      site_user: null,
      image: null,
      notes: [],
      transactions: [],
      invoices: [],
      orders: [],
    });
  });

  it.each(['support', 'viewer', 'developer'] as const)(
    'refuses a %s key (403) and writes no audit row',
    async (role) => {
      const before = (await auditRows()).length;
      expectProblem(await exportOf(await pd.keyFor(brand, role), customer.id), 403, 'forbidden');
      expect(await auditRows()).toHaveLength(before);
    },
  );

  it('answers another brand 404 customer_not_found, and an unknown id the same, with no audit row', async () => {
    const before = (await auditRows()).length;
    const other = await pd.newBrand({ name: 'Other Brand' });
    expectProblem(await exportOf(other.token, customer.id), 404, 'customer_not_found');
    expectProblem(await exportOf(brand.token, 'cus_nope'), 404, 'customer_not_found');
    expect(await auditRows()).toHaveLength(before);
    const [otherRows] = await pd.rawQuery(
      "SELECT count(*)::int AS n FROM audit_events WHERE merchant_id = $1 AND action = 'customer.data_export'",
      [other.id],
    );
    expect(Number(otherRows?.n)).toBe(0);
  });
});
