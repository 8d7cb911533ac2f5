import { useEffect, useState } from 'react';
import { useCustomerViews, useUpdateView } from '../../../api/customer-views';
import type { CustomerListParams, CustomerView } from '../../../api/types';
import { useToast } from '../../../components/Toasts';
import { isFiltered, sameParams } from './list-params';
import { DeleteViewDialog, SaveViewDialog } from './ViewDialogs';
import { ViewTabs } from './ViewTabs';

/**
 * The tabs above the table and what they do. An address with only `?view=…` (a link to the view rather
 * than to its list) opens with the view's parameters.
 */
export function SavedViews({
  viewId,
  params,
  setParams,
  summary,
  myId,
  canShare,
}: {
  viewId: string | null;
  params: CustomerListParams;
  setParams: (params: CustomerListParams, options: { view: string | null; replace?: boolean }) => void;
  summary: string[];
  myId: string | undefined;
  canShare: boolean;
}) {
  const views = useCustomerViews();
  const update = useUpdateView();
  const toast = useToast();
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<CustomerView | null>(null);
  const all = views.data?.data ?? [];
  const active = all.find((view) => view.id === viewId);

  useEffect(() => {
    if (active && !isFiltered(params) && !params.sort && !sameParams(active.params, params)) {
      setParams(active.params, { view: active.id, replace: true });
    }
    // Once per view opened, when it has loaded.
  }, [active?.id]);

  const mayChange = (view: CustomerView) => (view.shared ? canShare : view.owner === myId);
  return (
    <>
      <ViewTabs
        views={all}
        activeId={viewId}
        params={params}
        mayChange={mayChange}
        onSaveNew={() => setSaving(true)}
        onSaveChanges={(view) =>
          update.mutate({ id: view.id, params }, { onSuccess: () => toast(`Saved the changes to ${view.name}`) })
        }
        onDelete={setDeleting}
      />
      {saving && (
        <SaveViewDialog
          params={params}
          summary={summary}
          canShare={canShare}
          onClose={() => setSaving(false)}
          onSaved={(view) => {
            setSaving(false);
            setParams(params, { view: view.id });
          }}
        />
      )}
      {deleting && (
        <DeleteViewDialog
          view={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setParams(params, { view: null });
          }}
        />
      )}
    </>
  );
}
