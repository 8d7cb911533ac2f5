/**
 * The customers the embedded bench creates: names from short lists (so a first name matches about
 * one customer in forty, as a common name does), unique emails, Bangladeshi mobile numbers spread
 * over the whole range (the first brand's country is BD by default).
 */
const FIRST = [
  'Ayesha',
  'Tanvir',
  'Nusrat',
  'Farhan',
  'Sadia',
  'Rahim',
  'Karim',
  'Fatema',
  'Imran',
  'Shirin',
  'Arif',
  'Mitu',
  'Sohel',
  'Jannat',
  'Rubel',
  'Tania',
  'Masud',
  'Ruma',
  'Habib',
  'Lipi',
  'Jose',
  'Maria',
  'Chen',
  'Priya',
  'Omar',
  'Leila',
  'Kenji',
  'Anna',
  'Lucas',
  'Sofia',
  'David',
  'Emma',
  'Ahmed',
  'Zara',
  'Ivan',
  'Olga',
  'Ravi',
  'Meera',
  'Hugo',
  'Clara',
];
const LAST = [
  'Rahman',
  'Hasan',
  'Jahan',
  'Chowdhury',
  'Islam',
  'Uddin',
  'Begum',
  'Hossain',
  'Akter',
  'Sarkar',
  'Khan',
  'Ahmed',
  'Kabir',
  'Sultana',
  'Martinez',
  'Wang',
  'Sharma',
  'Haddad',
  'Tanaka',
  'Novak',
];
const DOMAINS = ['mail.example', 'inbox.example', 'shop.example', 'post.example', 'web.example'];

export interface BenchCustomer {
  name: string;
  email: string;
  phone: string;
}

/** The n-th customer (n from 0); the same n gives the same customer, so search terms can be picked from it. */
export function benchCustomer(n: number): BenchCustomer {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[(n * 7 + Math.floor(n / FIRST.length)) % LAST.length]!;
  // 7919 is prime and shares no factor with 10^8: every n below 10^8 gets its own eight digits.
  const digits = String((n * 7919 + 12_345) % 100_000_000).padStart(8, '0');
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}.${n}@${DOMAINS[n % DOMAINS.length]}`.toLowerCase(),
    phone: `+8801${7 + (n % 3)}${digits}`,
  };
}

/** The search mix: a common first name, a piece of one email, a digit run from one phone, nothing. */
export function searchTerms(created: number): Array<{ label: string; q: string }> {
  const someone = benchCustomer(Math.floor(created * 0.37));
  const [local = ''] = someone.email.split('@');
  return [
    { label: 'first name', q: FIRST[3]! },
    { label: 'email piece', q: local.slice(0, Math.max(6, local.length - 2)) },
    { label: 'phone digits', q: someone.phone.slice(-7, -1) },
    { label: 'nothing', q: 'qzxjvw' },
  ];
}
