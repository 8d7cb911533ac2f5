import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CheckCircle2 } from 'lucide-react';
import { isApiError } from '../../api/client';
import {
  useCreateWebhookEndpoint,
  type WebhookContactData,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
} from '../../api/webhooks';
import { Dialog } from '../../components/Dialog';
import { InputField, SelectField, TextareaField } from '../../components/Field';
import { Notice } from '../../components/States';
import { EVENT_GROUPS, EVENT_TYPE_HELP } from './event-types';
import { SecretOnce } from './SecretOnce';

const FORM_FIELDS = ['url', 'events', 'contact_data', 'description'] as const;
type FormField = (typeof FORM_FIELDS)[number];
type FieldErrors = Partial<Record<FormField, string>>;

/**
 * The server's reasons by form field (`events.0` belongs to events). A 403 about contact_data (an
 * admin asking for full) is a field error too.
 */
function serverErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (isApiError(error, 422)) {
    for (const [path, reason] of Object.entries(error.fieldErrors())) {
      const field = FORM_FIELDS.find((name) => name === path.split(/[.[/]/)[0]);
      // A reason about no field of this form is said above it instead.
      if (field) errors[field] ??= reason;
    }
  } else if (isApiError(error, 403) && error.problem.field === 'contact_data') {
    errors.contact_data = error.message;
  }
  return errors;
}

export function AddEndpointDialog({
  mayChooseFull,
  onClose,
  onCreated,
}: {
  mayChooseFull: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const create = useCreateWebhookEndpoint();
  const form = useRef<HTMLFormElement>(null);
  const [url, setUrl] = useState('');
  const [allEvents, setAllEvents] = useState(true);
  const [events, setEvents] = useState<Set<WebhookEventType>>(new Set());
  const [contactData, setContactData] = useState<WebhookContactData>('masked');
  const [description, setDescription] = useState('');
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [created, setCreated] = useState<WebhookEndpointWithSecret | null>(null);

  const errors: FieldErrors = { ...serverErrors(create.error), ...localErrors };
  const otherError = create.error && Object.keys(errors).length === 0 ? create.error.message : null;

  // After a refused submit, focus goes to the first field the server (or the form) named.
  useEffect(() => {
    if (attempt > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: FieldErrors = {};
    if (!allEvents && events.size === 0) local.events = 'Choose at least one event, or All events.';
    setLocalErrors(local);
    if (Object.keys(local).length > 0) {
      create.reset();
      setAttempt((n) => n + 1);
      return;
    }
    create.mutate(
      {
        url: url.trim(),
        events: allEvents ? ['*'] : [...events],
        contact_data: contactData,
        description: description.trim() || null,
      },
      { onSuccess: setCreated, onError: () => setAttempt((n) => n + 1) },
    );
  };

  if (created) {
    const done = () => {
      onCreated(created.id);
      onClose();
    };
    return (
      <Dialog
        title="Endpoint added"
        onClose={done}
        footer={
          <button type="button" className="btn btn-primary" onClick={done}>
            Done
          </button>
        }
      >
        <div className="success-panel">
          <CheckCircle2 size={28} aria-hidden="true" className="success-icon" />
          <p>
            Paydesk sends events to <span className="mono break-anywhere">{created.url}</span> from now on.
          </p>
          <SecretOnce secret={created.secret} />
        </div>
      </Dialog>
    );
  }

  const toggle = (type: WebhookEventType, on: boolean) => {
    const next = new Set(events);
    if (on) next.add(type);
    else next.delete(type);
    setEvents(next);
    setLocalErrors({});
  };
  const eventsInvalid = Boolean(errors.events);

  return (
    <Dialog
      title="Add webhook endpoint"
      size="large"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="webhook-form" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add endpoint'}
          </button>
        </>
      }
    >
      {otherError && <Notice tone="danger">{otherError}</Notice>}
      <form id="webhook-form" ref={form} onSubmit={submit} noValidate>
        <InputField
          label="Endpoint URL"
          type="url"
          inputMode="url"
          placeholder="https://shop.example.com/paydesk/webhooks"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          autoComplete="off"
          spellCheck={false}
          hint="An https address on the public internet; Paydesk POSTs each event there, signed."
        />
        <fieldset className="fieldset" aria-describedby={eventsInvalid ? 'webhook-events-error' : undefined}>
          <legend>Events to send</legend>
          <div className="radio-row">
            <label className="radio">
              <input
                type="radio"
                name="events-mode"
                checked={allEvents}
                onChange={() => {
                  setAllEvents(true);
                  setLocalErrors({});
                }}
                aria-invalid={eventsInvalid}
              />
              All events
            </label>
            <label className="radio">
              <input
                type="radio"
                name="events-mode"
                checked={!allEvents}
                onChange={() => setAllEvents(false)}
                aria-invalid={eventsInvalid}
              />
              Only the ones I choose
            </label>
          </div>
          {allEvents ? (
            <p className="field-hint">Every event, including kinds Paydesk adds later.</p>
          ) : (
            <div className="event-groups">
              {EVENT_GROUPS.map((group) => (
                <div key={group.title} className="event-group" role="group" aria-label={group.title}>
                  <p className="event-group-title" aria-hidden="true">
                    {group.title}
                  </p>
                  {group.types.map((type) => (
                    <label key={type} className="radio event-check">
                      <input
                        type="checkbox"
                        checked={events.has(type)}
                        onChange={(e) => toggle(type, e.target.checked)}
                        aria-invalid={eventsInvalid}
                      />
                      <span>
                        <span className="mono">{type}</span>
                        <span className="event-help">{EVENT_TYPE_HELP[type]}</span>
                      </span>
                    </label>
                  ))}
                </div>
              ))}
            </div>
          )}
          {errors.events && (
            <p className="field-error" id="webhook-events-error">
              {errors.events}
            </p>
          )}
        </fieldset>
        <SelectField
          label="Email and phone in payloads"
          value={contactData}
          onChange={(e) => setContactData(e.target.value as WebhookContactData)}
          error={errors.contact_data}
          hint={
            contactData === 'full'
              ? 'Raw email and phone leave Paydesk in every customer event: choose it only for a receiver you trust with them.'
              : mayChooseFull
                ? 'Masked (j•••@example.com), as a support role sees them.'
                : 'Masked (j•••@example.com), as a support role sees them. Only an owner may choose full.'
          }
        >
          <option value="masked">Masked</option>
          {mayChooseFull && <option value="full">Full (owners only)</option>}
        </SelectField>
        <TextareaField
          label="Description"
          optional
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
          rows={2}
          placeholder="What receives these events, who looks after it"
        />
      </form>
    </Dialog>
  );
}
