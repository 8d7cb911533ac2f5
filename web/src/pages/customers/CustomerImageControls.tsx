import { useRef, useState, type ChangeEvent } from 'react';
import { ImageUp, Trash2 } from 'lucide-react';
import { IMAGE_MAX_BYTES, IMAGE_TYPES, useRemoveCustomerImage, useSetCustomerImage } from '../../api/customers';
import type { Customer } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';

/**
 * Upload, replace or remove the customer's image (customers.edit). The file goes up as it is; the
 * server checks it again, re-encodes it and strips its metadata, and says why when it refuses.
 */
export function CustomerImageControls({ customer }: { customer: Customer }) {
  const input = useRef<HTMLInputElement>(null);
  const upload = useSetCustomerImage(customer.id);
  const remove = useRemoveCustomerImage(customer.id);
  const toast = useToast();
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const hasImage = customer.image_url !== null;

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // The same file chosen again must still fire change.
    event.target.value = '';
    if (!file) return;
    // Refused here without sending 2 MB for nothing; the server says the same (415, 413).
    if (file.type && !IMAGE_TYPES.includes(file.type)) return setProblem('Choose a PNG, JPEG or WebP image.');
    if (file.size > IMAGE_MAX_BYTES) return setProblem('The image is larger than 2 MB. Choose a smaller one.');
    setProblem(null);
    upload.mutate(file, {
      onSuccess: () => toast(hasImage ? 'Image replaced' : 'Image added'),
      onError: (error) => setProblem(error.message),
    });
  };

  return (
    <div className="image-controls">
      <input ref={input} type="file" accept={IMAGE_TYPES.join(',')} hidden onChange={pick} />
      <button
        type="button"
        className="btn btn-ghost btn-small"
        disabled={upload.isPending}
        onClick={() => input.current?.click()}
      >
        <ImageUp size={15} aria-hidden="true" />
        {upload.isPending ? 'Uploading…' : hasImage ? 'Replace image' : 'Upload image'}
      </button>
      {hasImage && (
        <button
          type="button"
          className="btn btn-ghost btn-small btn-danger-text"
          disabled={upload.isPending || remove.isPending}
          onClick={() => setConfirming(true)}
        >
          <Trash2 size={15} aria-hidden="true" /> Remove image
        </button>
      )}
      {problem && (
        <p className="field-error image-problem" role="alert">
          {problem}
        </p>
      )}
      {confirming && (
        <Dialog
          title="Remove the image?"
          size="small"
          onClose={() => setConfirming(false)}
          initialFocus="[data-autofocus]"
          footer={
            <>
              <button type="button" className="btn btn-secondary" onClick={() => setConfirming(false)} data-autofocus>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(undefined, {
                    onSuccess: () => {
                      setProblem(null);
                      setConfirming(false);
                      toast('Image removed');
                    },
                    onError: (error) => {
                      setProblem(error.message);
                      setConfirming(false);
                    },
                  })
                }
              >
                {remove.isPending ? 'Removing…' : 'Remove image'}
              </button>
            </>
          }
        >
          <p>{customer.name}'s initials take its place. Paydesk keeps no copy: to have it back, upload it again.</p>
        </Dialog>
      )}
    </div>
  );
}
