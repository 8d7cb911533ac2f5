import { useState } from 'react';
import type { Customer } from '../../../api/types';

/**
 * The rows picked for a bulk action: some customers by id (kept across pages), or everything the list
 * matches (`all`: the action then names the list's parameters, not ids, so it reaches past the loaded page).
 */
export function useSelection() {
  const [picked, setPicked] = useState<ReadonlyMap<string, string>>(new Map());
  const [all, setAll] = useState(false);

  const setMany = (customers: Customer[], on: boolean) => {
    setAll(false);
    setPicked((current) => {
      const next = new Map(all ? [] : current);
      for (const customer of customers) {
        if (on) next.set(customer.id, customer.name);
        else next.delete(customer.id);
      }
      return next;
    });
  };

  return {
    all,
    ids: [...picked.keys()],
    /** Names of the picked customers (refusals name them). */
    names: picked,
    size: picked.size,
    has: (id: string) => all || picked.has(id),
    toggle: (customer: Customer, page: Customer[]) => {
      if (all) {
        // Leaving "everything" by unticking one: the page's other rows stay picked.
        setAll(false);
        setPicked(new Map(page.filter((c) => c.id !== customer.id).map((c) => [c.id, c.name])));
        return;
      }
      setMany([customer], !picked.has(customer.id));
    },
    setPage: setMany,
    selectAll: () => setAll(true),
    clear: () => {
      setAll(false);
      setPicked(new Map());
    },
  };
}

export type Selection = ReturnType<typeof useSelection>;
