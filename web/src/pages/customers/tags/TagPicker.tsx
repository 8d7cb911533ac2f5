import { useId, useState } from 'react';
import { isApiError } from '../../../api/client';
import { TAG_COLORS, useCreateTag, useCustomerTags } from '../../../api/customer-tags';
import type { CustomerTag, TagColor } from '../../../api/types';
import { Spinner } from '../../../components/States';
import { plural } from '../../../lib/format';
import { fieldSentence } from '../../../lib/field-message';
import { TagChip } from './TagChip';

/**
 * Choose one of the brand's tags (radio buttons: arrows move, Space picks), found by name; with canCreate,
 * make a new one (name and colour) and pick it.
 */
export function TagPicker({
  value,
  onChange,
  canCreate,
  exclude = [],
  legend = 'Tag',
}: {
  value: string | null;
  onChange: (tag: CustomerTag) => void;
  canCreate: boolean;
  exclude?: string[];
  legend?: string;
}) {
  const id = useId();
  const tags = useCustomerTags();
  const [find, setFind] = useState('');
  const all = (tags.data?.data ?? []).filter((tag) => !exclude.includes(tag.id));
  const needle = find.trim().toLowerCase();
  const shown = needle ? all.filter((tag) => tag.name.toLowerCase().includes(needle)) : all;
  const exact = all.some((tag) => tag.name.toLowerCase() === needle);

  return (
    <fieldset className="fieldset tag-picker">
      <legend>{legend}</legend>
      {tags.isPending ? (
        <Spinner label="Loading tags…" />
      ) : tags.isError ? (
        <p className="field-error">The tags could not be loaded.</p>
      ) : (
        <>
          {all.length > 6 && (
            <div className="field">
              <label htmlFor={`${id}-find`}>Find a tag</label>
              <input
                id={`${id}-find`}
                className="input"
                type="search"
                autoComplete="off"
                value={find}
                onChange={(event) => setFind(event.target.value)}
              />
            </div>
          )}
          {shown.length > 0 ? (
            <div className="tag-options">
              {shown.map((tag) => (
                <label key={tag.id} className="tag-option">
                  <input
                    type="radio"
                    name={`${id}-tag`}
                    value={tag.id}
                    checked={value === tag.id}
                    onChange={() => onChange(tag)}
                  />
                  <TagChip tag={tag} />
                  <span className="muted small">{plural(tag.customers, 'customer')}</span>
                </label>
              ))}
            </div>
          ) : (
            <p className="muted small">{all.length === 0 ? 'This brand has no tags yet.' : 'No tag has that name.'}</p>
          )}
          {canCreate && <NewTag initialName={exact ? '' : find.trim()} onCreated={onChange} />}
        </>
      )}
    </fieldset>
  );
}

function NewTag({ initialName, onCreated }: { initialName: string; onCreated: (tag: CustomerTag) => void }) {
  const id = useId();
  const create = useCreateTag();
  const [name, setName] = useState<string | null>(null);
  const [color, setColor] = useState<TagColor>('blue');
  const shownName = name ?? initialName;
  const error = isApiError(create.error)
    ? (create.error.fieldErrors().name ?? create.error.message)
    : create.error
      ? 'The tag could not be created.'
      : undefined;
  const submit = () => {
    if (!shownName.trim()) return;
    create.mutate(
      { name: shownName.trim(), color },
      {
        onSuccess: (tag) => {
          setName('');
          onCreated(tag);
        },
      },
    );
  };
  return (
    <div className="tag-create" role="group" aria-labelledby={`${id}-title`}>
      <p className="tag-create-title" id={`${id}-title`}>
        New tag
      </p>
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-name`}>Tag name</label>
        <input
          id={`${id}-name`}
          className="input"
          maxLength={40}
          autoComplete="off"
          value={shownName}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            // Enter makes the tag here rather than submitting the dialog around the picker.
            if (event.key === 'Enter') {
              event.preventDefault();
              submit();
            }
          }}
        />
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {fieldSentence('Tag name', error)}
          </p>
        )}
      </div>
      <div className="swatches" role="radiogroup" aria-label="Colour">
        {TAG_COLORS.map((c) => (
          <label key={c} className={`swatch tag-${c}`} title={colorName(c)}>
            <input type="radio" name={`${id}-color`} value={c} checked={color === c} onChange={() => setColor(c)} />
            <span className="visually-hidden">{colorName(c)}</span>
          </label>
        ))}
      </div>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={submit}
        disabled={!shownName.trim() || create.isPending}
      >
        {create.isPending ? 'Creating…' : 'Create tag'}
      </button>
    </div>
  );
}

const colorName = (color: TagColor) => color[0]!.toUpperCase() + color.slice(1);
