/** How a customer came to be, as a phrase after "Added" or "Created" (the customer's and events' `source`). */
export const CUSTOMER_SOURCES: Record<string, string> = {
  api: 'through the API',
  dashboard: 'in the dashboard',
  demo: 'as demo data',
  checkout: 'at a checkout',
  payment_link: 'by paying a payment link',
  invoice: 'by paying an invoice',
  import: 'by an import',
  registration: 'when they registered on your site',
  order: 'with an order',
};

export function sourcePhrase(source: string | undefined): string {
  if (!source) return '';
  return CUSTOMER_SOURCES[source] ?? `via ${source.replace(/_/g, ' ')}`;
}
