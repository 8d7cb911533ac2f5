import { useState } from 'react';
import {
  useDeleteWebhookEndpoint,
  useRotateWebhookSecret,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from '../../api/webhooks';
import { Dialog } from '../../components/Dialog';
import { Notice } from '../../components/States';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { SecretOnce } from './SecretOnce';

/** Asks first; then shows the new secret once and until when the old one still signs. */
export function RotateSecretDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const rotate = useRotateWebhookSecret();
  const [rotated, setRotated] = useState<WebhookEndpointWithSecret | null>(null);

  if (rotated) {
    return (
      <Dialog
        title="New signing secret"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <SecretOnce secret={rotated.secret}>
          <p>
            The old secret keeps working for 24 hours, until {formatDateTime(rotated.secret_rotation_ends_at)}: each
            delivery is signed with both until then. Update your receiver before that.
          </p>
        </SecretOnce>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Rotate the signing secret?"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate(endpoint.id, { onSuccess: setRotated })}
          >
            {rotate.isPending ? 'Rotating…' : 'Rotate secret'}
          </button>
        </>
      }
    >
      <p>
        Paydesk makes a new secret for <span className="mono break-anywhere">{endpoint.url}</span> and shows it once.
      </p>
      <p>
        The old secret keeps working for 24 hours: every delivery carries a signature made with each, so the receiver
        keeps accepting them while you change its setting.
      </p>
      {rotate.isError && <Notice tone="danger">{rotate.error.message}</Notice>}
    </Dialog>
  );
}

export function DeleteEndpointDialog({
  endpoint,
  onClose,
  onDeleted,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteWebhookEndpoint();
  const toast = useToast();
  return (
    <Dialog
      title="Delete this endpoint?"
      size="small"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.isPending}
            onClick={() =>
              remove.mutate(endpoint.id, {
                onSuccess: () => {
                  toast('Endpoint deleted');
                  onDeleted();
                  onClose();
                },
              })
            }
          >
            Delete endpoint
          </button>
        </>
      }
    >
      <p>
        Paydesk stops sending to <span className="mono break-anywhere">{endpoint.url}</span> at once and forgets its
        deliveries, including any still waiting. This cannot be undone.
      </p>
      {remove.isError && <Notice tone="danger">{remove.error.message}</Notice>}
    </Dialog>
  );
}
