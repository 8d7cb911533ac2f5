import { X } from 'lucide-react';
import type { CustomerTagRef } from '../../../api/types';

/** A tag in its colour; with onRemove, a button that takes it off (named for screen readers). */
export function TagChip({
  tag,
  onRemove,
  removing,
}: {
  tag: Pick<CustomerTagRef, 'name' | 'color'>;
  onRemove?: () => void;
  removing?: boolean;
}) {
  return (
    <span className={`tag tag-${tag.color}`}>
      <span className="tag-dot" aria-hidden="true" />
      {tag.name}
      {onRemove && (
        <button
          type="button"
          className="tag-remove"
          aria-label={`Remove tag ${tag.name}`}
          onClick={onRemove}
          disabled={removing}
        >
          <X size={12} aria-hidden="true" />
        </button>
      )}
    </span>
  );
}

/** A row of tags; nothing when there are none. */
export function TagList({ tags, label }: { tags: CustomerTagRef[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label={label ?? 'Tags'}>
      {tags.map((tag) => (
        <li key={tag.id}>
          <TagChip tag={tag} />
        </li>
      ))}
    </ul>
  );
}
