/** Invoices. */
export { createInvoice, finalizeInvoice, invoiceLines, invoiceNumber } from './invoice.service.js';
export { InvoiceLineItem } from './invoice.schemas.js';
export { invoiceRoutes } from './invoice.routes.js';
export { getInvoice, listCustomerInvoices } from './invoice.service.js';
export { Invoice } from './invoice.schemas.js';
export { moveCustomerInvoices } from './invoice-merge.repository.js';
