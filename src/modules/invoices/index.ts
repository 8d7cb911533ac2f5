/** Invoices. */
export { createInvoice, finalizeInvoice, invoiceLines, invoiceNumber } from './invoice.service.js';
export { countCustomerInvoices } from './invoice.repository.js';
export { InvoiceLineItem } from './invoice.schemas.js';
export { invoiceRoutes } from './invoice.routes.js';
