/** Deterministic synthetic customers for benchmarks: realistic enough for trigram statistics. */
import type { CustomerSource } from '../src/modules/customers/customer.table.js';

const FIRST = [
  'Ayesha',
  'Tanvir',
  'Nusrat',
  'Farhan',
  'Sadia',
  'Rahim',
  'Karim',
  'Fatema',
  'Sumaiya',
  'Mahmud',
  'Rafiq',
  'Shirin',
  'Arif',
  'Nasrin',
  'Imran',
  'Jannat',
  'Habib',
  'Rubina',
  'Sakib',
  'Tasnim',
  'José',
  'María',
  'Zoë',
  'Renée',
  'Jürgen',
  'François',
  'Chloé',
  'Søren',
  'Ana',
  'Luis',
  'John',
  'Mary',
  'James',
  'Linda',
  'Robert',
  'Emma',
  'Olivia',
  'Noah',
  'Liam',
  'Sophia',
  'Mohammed',
  'Aisha',
  'Omar',
  'Layla',
  'Yusuf',
  'Priya',
  'Arjun',
  'Ravi',
  'Ananya',
  'Wei',
  'Mei',
  'Hiroshi',
  'Yuki',
  'Ivan',
  'Olga',
  'Pedro',
  'Lucía',
  'Mateo',
  'Inés',
  'Ahmed',
];
const LAST = [
  'Rahman',
  'Hasan',
  'Jahan',
  'Chowdhury',
  'Islam',
  'Hossain',
  'Ahmed',
  'Khan',
  'Uddin',
  'Akter',
  'Begum',
  'Sarkar',
  'Das',
  'Roy',
  'Saha',
  'Miah',
  'Sheikh',
  'Talukder',
  'Bhuiyan',
  'Mollah',
  'Martínez',
  'García',
  'López',
  'Müller',
  'Schäfer',
  'Dubois',
  'Lefèvre',
  'Nørgaard',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Taylor',
  'Anderson',
  'Thomas',
  'Moore',
  'Patel',
  'Sharma',
  'Singh',
  'Gupta',
  'Kumar',
  'Wang',
  'Li',
  'Zhang',
  'Tanaka',
  'Sato',
  'Ivanov',
  'Petrova',
  'Silva',
  'Santos',
  'Costa',
  'Rossi',
  'Russo',
  'Kowalski',
  'Nowak',
  'Novak',
];
const DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'example.com',
  'mail.com',
  'proton.me',
  'icloud.com',
  'bdmail.net',
  'shop.com.bd',
  'company.org',
  'corp.io',
];
const BD_PREFIXES = ['013', '014', '015', '016', '017', '018', '019'];

/** mulberry32: small, fast, seeded; quality is plenty for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticCustomer {
  name: string;
  email: string;
  /** E.164 or null. */
  phone: string | null;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ø/g, 'o').toLowerCase();
}

export function syntheticCustomer(random: () => number, serial: number): SyntheticCustomer {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const style = random();
  const local =
    style < 0.4
      ? `${ascii(first)}.${ascii(last)}${serial}`
      : style < 0.7
        ? `${ascii(first)}${ascii(last)}${serial}`
        : `${ascii(first)[0]}${ascii(last)}.${serial}`;
  let phone: string | null = null;
  if (random() < 0.9) {
    const digits = String(Math.floor(random() * 1e8)).padStart(8, '0');
    phone = `+880${pick(random, BD_PREFIXES).slice(1)}${digits}`;
  }
  return { name: `${first} ${last}`, email: `${local}@${pick(random, DOMAINS)}`, phone };
}

/** Sources as a brand meets them: many imports and checkouts, a few of the rest. */
const SOURCES: Array<[CustomerSource, number]> = [
  ['import', 0.3],
  ['checkout', 0.2],
  ['payment_link', 0.15],
  ['api', 0.1],
  ['dashboard', 0.08],
  ['invoice', 0.07],
  ['registration', 0.05],
  ['order', 0.04],
  ['demo', 0.01],
];

export function pickSource(u: number): CustomerSource {
  for (const [source, share] of SOURCES) {
    if (u < share) return source;
    u -= share;
  }
  return 'import';
}
