import { useBrand, useUpdateBrandSettings } from '../../api/brands';
import type { AutoCreateCustomers } from '../../api/types';
import { Switch } from '../../components/Bits';
import { ErrorState, Notice, Spinner } from '../../components/States';
import { useToast } from '../../components/Toasts';

const SOURCES: { key: keyof AutoCreateCustomers; title: string; label: string; help: string }[] = [
  {
    key: 'registrations',
    title: 'Site registrations',
    label: 'Create customers from site registrations',
    help: 'When your site registers an account with a new email, add it to Customers.',
  },
  {
    key: 'orders',
    title: 'Orders',
    label: 'Create customers from orders',
    help: 'When an order is placed for a new email, add the buyer to Customers.',
  },
  {
    key: 'payments',
    title: 'Payments',
    label: 'Create customers from payments',
    help: 'When a client pays a payment link, checkout or invoice with a new email, add them to Customers.',
  },
];

/** One switch per way a new person reaches the brand; a known email is matched whatever the switches say. */
export function AutoCreateCard({ manage }: { manage: boolean }) {
  const brand = useBrand();
  const update = useUpdateBrandSettings();
  const toast = useToast();
  return (
    <section className="card" aria-labelledby="auto-create-title">
      <div className="card-header">
        <h2 id="auto-create-title">Automatic customer creation</h2>
      </div>
      {brand.isPending ? (
        <Spinner />
      ) : brand.isError ? (
        <ErrorState error={brand.error} retry={() => void brand.refetch()} title="Settings could not be loaded" />
      ) : (
        <>
          <p className="muted small">
            With a switch off, nobody new is added from that source. An email that already belongs to a customer is
            still linked to them (a site account only when your site has verified the email).
          </p>
          {SOURCES.map((source) => (
            <div className="setting-row" key={source.key}>
              <div>
                <strong>{source.title}</strong>
                <p className="muted small">{source.help}</p>
              </div>
              <Switch
                checked={brand.data.settings.auto_create_customers[source.key]}
                disabled={!manage || update.isPending}
                label={source.label}
                onChange={(value) =>
                  update.mutate(
                    { auto_create_customers: { [source.key]: value } },
                    {
                      onSuccess: () =>
                        toast(
                          value ? `${source.title} now create customers` : `${source.title} no longer create customers`,
                        ),
                    },
                  )
                }
              />
            </div>
          ))}
          {!manage && <p className="muted small setting-note">Only owners and admins change these settings.</p>}
          {update.isError && <Notice tone="danger">{update.error.message}</Notice>}
        </>
      )}
    </section>
  );
}
