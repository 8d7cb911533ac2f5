import { useState } from 'react';
import type { Customer } from '../../api/types';
import { initials } from '../../lib/format';

/**
 * The customer's image where there is one, their initials otherwise (or when the image does not load).
 * Decorative: the name is always written next to it.
 */
export function CustomerAvatar({
  customer,
  size,
}: {
  customer: Pick<Customer, 'name' | 'image_url'>;
  size: 'small' | 'large';
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const url = customer.image_url;
  if (url && failed !== url) {
    return (
      <img
        className={`avatar avatar-${size} avatar-image`}
        src={url}
        alt=""
        data-testid="customer-image"
        onError={() => setFailed(url)}
      />
    );
  }
  return (
    <span className={`avatar avatar-${size}`} aria-hidden="true" data-testid="customer-initials">
      {initials(customer.name)}
    </span>
  );
}
