import { prng, syntheticCustomer } from '../dataset.js';

/**
 * The customers the embedded bench creates: the benchmarks' synthetic people (dataset.ts), the n-th
 * always the same, so search terms can be picked from them.
 */
export interface BenchCustomer {
  name: string;
  email: string;
  phone?: string;
}

/** The n-th customer (n from 0); one in ten has no phone, as in the other benchmarks' data. */
export function benchCustomer(n: number): BenchCustomer {
  const { name, email, phone } = syntheticCustomer(prng(n + 1), n);
  return { name, email, ...(phone ? { phone } : {}) };
}

/** The search mix: a common first name, a piece of one email, a digit run from one phone, nothing. */
export function searchTerms(created: number): Array<{ label: string; q: string }> {
  let n = Math.floor(created * 0.37);
  let someone = benchCustomer(n);
  while (!someone.phone) someone = benchCustomer(++n);
  const [local = ''] = someone.email.split('@');
  return [
    { label: 'first name', q: someone.name.split(' ')[0]! },
    { label: 'email piece', q: local.slice(0, Math.max(6, local.length - 2)) },
    { label: 'phone digits', q: someone.phone!.slice(-7, -1) },
    { label: 'nothing', q: 'qzxjvw' },
  ];
}
