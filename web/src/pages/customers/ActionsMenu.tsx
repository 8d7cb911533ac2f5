import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuAction {
  label: string;
  icon?: ReactNode;
  /** Set when the action may not be taken: the item stays in the menu, greyed, with this reason under it. */
  disabledReason?: string | null;
  danger?: boolean;
  onSelect: () => void;
}

/**
 * A menu button (WAI-ARIA APG "menu button"): the button says whether its menu is open; in the menu the
 * arrow keys, Home and End move between items, Escape closes it and focus goes back to the button. A
 * disabled item keeps focus (so its reason is read) but does nothing. The menu is fixed to the viewport,
 * so a table that scrolls sideways does not clip it.
 */
export function ActionsMenu({
  label,
  actions,
  children,
  className = 'icon-button',
}: {
  /** The button's accessible name, e.g. "Actions for Rahim Uddin". */
  label: string;
  actions: MenuAction[];
  /** What the button shows (an icon, or an icon and a word). */
  children: ReactNode;
  className?: string;
}) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useLayoutEffect(() => {
    if (!open || !button.current || !menu.current) return;
    const anchor = button.current.getBoundingClientRect();
    // Measured at the viewport's corner, where it has its own width (at the button's own place, beside the
    // screen's edge, it would be squeezed and taller).
    menu.current.style.top = '0px';
    menu.current.style.left = '0px';
    const { offsetWidth: width, offsetHeight: height } = menu.current;
    const viewport = document.documentElement.clientWidth;
    const left = Math.max(8, Math.min(anchor.right - width, viewport - width - 8));
    const below = anchor.bottom + 4;
    const top =
      below + height > window.innerHeight - 8 && anchor.top - height - 4 > 8 ? anchor.top - height - 4 : below;
    // Placed before the browser paints, so it never shows at the corner first.
    menu.current.style.top = `${top}px`;
    menu.current.style.left = `${left}px`;
    const list = items();
    (open === 'last' ? list[list.length - 1] : list[0])?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    // Fixed to where the button was: a scroll or resize would leave it behind.
    const away = (event: Event) => {
      if (!menu.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', outside);
    window.addEventListener('scroll', away, true);
    window.addEventListener('resize', away);
    return () => {
      document.removeEventListener('pointerdown', outside);
      window.removeEventListener('scroll', away, true);
      window.removeEventListener('resize', away);
    };
  }, [open]);

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const go = (index: number) => {
      event.preventDefault();
      list[(index + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') go(at + 1);
    else if (event.key === 'ArrowUp') go(at - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(list.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      // Focus goes back to the button, and Tab's own move then takes it on from there.
      close(true);
    }
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open !== false}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen('first'))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(event.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        {children}
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" aria-label={label} className="actions-menu" onKeyDown={onMenuKey}>
          {actions.map((action) => (
            <MenuItem
              key={action.label}
              action={action}
              onChoose={() => {
                // The button has focus again before the action opens a dialog, which hands focus back to it.
                close(true);
                action.onSelect();
              }}
            />
          ))}
        </div>
      )}
    </>
  );
}

function MenuItem({ action, onChoose }: { action: MenuAction; onChoose: () => void }) {
  const reasonId = useId();
  const disabled = Boolean(action.disabledReason);
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className={`actions-menu-item${action.danger ? ' danger' : ''}`}
      aria-disabled={disabled || undefined}
      aria-describedby={disabled ? reasonId : undefined}
      onClick={() => {
        if (!disabled) onChoose();
      }}
    >
      <span className="actions-menu-label">
        {action.icon}
        {action.label}
      </span>
      {disabled && (
        <span id={reasonId} className="actions-menu-reason">
          {action.disabledReason}
        </span>
      )}
    </button>
  );
}
