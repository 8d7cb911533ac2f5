import { fieldError } from '../../errors.js';
import { invalidCsv } from './customer-import.csv.js';

/*
 * Which column feeds which field, by header. Headers compare case-, space- and punctuation-
 * insensitively ("First Name" = "first_name" = "firstname"), so the customer exports of Stripe
 * (`id`, `Email`, `Name`, `Phone`, `Description`), Shopify (`First Name`, `Last Name`, `Email`,
 * `Phone`, `Default Address Phone`) and WooCommerce (`first_name`, `last_name`, `email`,
 * `billing_phone`) are read as they come; an explicit mapping names any other header.
 */

/** A contact field, metadata (`metadata.<key>`, or `metadata`: a JSON object as Paydesk exports it), or ignore. */
export type ColumnTarget =
  'name' | 'first_name' | 'last_name' | 'email' | 'phone' | 'metadata' | 'ignore' | `metadata.${string}`;

/** Recognised headers (folded) → field, and the rank among columns feeding one field (0 first). */
const KNOWN_HEADERS: Record<string, { target: ColumnTarget; rank: number }> = {
  email: { target: 'email', rank: 0 },
  emailaddress: { target: 'email', rank: 0 },
  customeremail: { target: 'email', rank: 1 },
  billingemail: { target: 'email', rank: 2 },
  name: { target: 'name', rank: 0 },
  fullname: { target: 'name', rank: 0 },
  customername: { target: 'name', rank: 1 },
  contactname: { target: 'name', rank: 1 },
  firstname: { target: 'first_name', rank: 0 },
  givenname: { target: 'first_name', rank: 0 },
  billingfirstname: { target: 'first_name', rank: 1 },
  lastname: { target: 'last_name', rank: 0 },
  surname: { target: 'last_name', rank: 0 },
  familyname: { target: 'last_name', rank: 0 },
  billinglastname: { target: 'last_name', rank: 1 },
  phone: { target: 'phone', rank: 0 },
  phonenumber: { target: 'phone', rank: 0 },
  mobile: { target: 'phone', rank: 0 },
  mobilephone: { target: 'phone', rank: 0 },
  mobilenumber: { target: 'phone', rank: 0 },
  telephone: { target: 'phone', rank: 0 },
  billingphone: { target: 'phone', rank: 1 },
  defaultaddressphone: { target: 'phone', rank: 2 },
  shippingphone: { target: 'phone', rank: 3 },
  // Stripe's customer id: kept, where it can be found again, as metadata.
  id: { target: 'metadata.stripe_id', rank: 0 },
  // Paydesk's own export: metadata as one JSON object.
  metadata: { target: 'metadata', rank: 0 },
};

const CONTACT_TARGETS = ['name', 'first_name', 'last_name', 'email', 'phone', 'metadata', 'ignore'] as const;

export function foldHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** `metadata.crm_id`, `metadata[crm_id]` (Stripe API style) and `crm_id (metadata)` (Stripe's export) → `crm_id`. */
function metadataKeyOf(header: string): string | null {
  const text = header.trim();
  const match =
    /^metadata\.(.+)$/i.exec(text) ?? /^metadata\[(.+)\]$/i.exec(text) ?? /^(.+?)\s*\(metadata\)$/i.exec(text);
  const key = match?.[1]?.trim();
  return key ? key : null;
}

export interface ColumnPlan {
  /** Per target, the columns that feed it, in rank order: the first non-empty cell wins. */
  sources: Map<ColumnTarget, number[]>;
  /** Header → target, as the job reports it. */
  mapping: Record<string, string>;
  unknown: string[];
  width: number;
}

/** Checks an explicit mapping's targets; its keys are headers, matched like recognised ones. */
export function checkMapping(mapping: Record<string, string>, field = 'mapping'): Map<string, ColumnTarget> {
  const checked = new Map<string, ColumnTarget>();
  for (const [header, rawTarget] of Object.entries(mapping)) {
    const target = rawTarget.trim();
    const ok =
      (CONTACT_TARGETS as readonly string[]).includes(target) ||
      (target.startsWith('metadata.') && target.length > 'metadata.'.length);
    if (!ok) {
      throw fieldError(
        `${field}.${header}`,
        'must be name, first_name, last_name, email, phone, metadata, metadata.<key> or ignore',
      );
    }
    checked.set(foldHeader(header), target as ColumnTarget);
  }
  return checked;
}

/** The plan for a header row; refuses a file with no email column (it cannot be a customer list). */
export function planColumns(header: string[], explicit: Map<string, ColumnTarget>): ColumnPlan {
  const ranked: Array<{ index: number; target: ColumnTarget; rank: number }> = [];
  const mapping: Record<string, string> = {};
  const unknown: string[] = [];
  const used = new Set<string>();
  header.forEach((raw, index) => {
    const folded = foldHeader(raw);
    const metadataKey = metadataKeyOf(raw);
    const found =
      explicit.get(folded) !== undefined
        ? { target: explicit.get(folded)!, rank: -1 }
        : metadataKey !== null
          ? { target: `metadata.${metadataKey}` as ColumnTarget, rank: 0 }
          : KNOWN_HEADERS[folded];
    // A second column for the same single-valued target of the same rank (two "Email" columns) is not guessed at.
    const slot = found ? `${found.target}#${found.rank}` : '';
    if (!found || (found.target.startsWith('metadata.') && used.has(slot))) {
      unknown.push(raw.trim().slice(0, 100) || `(column ${index + 1}, no header)`);
      return;
    }
    used.add(slot);
    mapping[raw.trim()] = found.target;
    if (found.target !== 'ignore') ranked.push({ index, ...found });
  });
  for (const folded of explicit.keys()) {
    if (!header.some((h) => foldHeader(h) === folded)) {
      throw fieldError(`mapping.${folded}`, 'names no column of the file');
    }
  }
  const sources = new Map<ColumnTarget, number[]>();
  for (const { index, target } of ranked.sort((a, b) => a.rank - b.rank || a.index - b.index)) {
    sources.set(target, [...(sources.get(target) ?? []), index]);
  }
  if (!sources.has('email')) {
    const shown = header
      .slice(0, 20)
      .map((h) => h.trim().slice(0, 40))
      .join(', ');
    throw invalidCsv(
      `No email column in the header (${shown}); name one with a mapping (e.g. {"E-mail address":"email"})`,
    );
  }
  return { sources, mapping, unknown, width: header.length };
}

/** A record's raw values, as the API's customer body would carry them (empty cells left out). */
export interface RowValues {
  name?: string;
  email?: string;
  phone?: string;
  metadata?: Record<string, string>;
  /** A `metadata` JSON cell that is not an object of strings. */
  metadataProblem?: string;
}

export function rowValues(plan: ColumnPlan, fields: string[]): RowValues {
  const first = (target: ColumnTarget): string | undefined => {
    for (const index of plan.sources.get(target) ?? []) {
      const value = fields[index]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const values: RowValues = {};
  const name = first('name') ?? ([first('first_name'), first('last_name')].filter(Boolean).join(' ') || undefined);
  if (name !== undefined) values.name = name;
  const email = first('email');
  if (email !== undefined) values.email = email;
  const phone = first('phone');
  if (phone !== undefined) values.phone = phone;
  const metadata: Record<string, string> = {};
  const json = first('metadata');
  if (json !== undefined) {
    const parsed = parseMetadataJson(json);
    if (typeof parsed === 'string') values.metadataProblem = parsed;
    else Object.assign(metadata, parsed);
  }
  for (const [target, indexes] of plan.sources) {
    if (!target.startsWith('metadata.')) continue;
    const value = indexes.map((i) => fields[i]?.trim()).find(Boolean);
    if (value) metadata[target.slice('metadata.'.length)] = value;
  }
  if (Object.keys(metadata).length > 0) values.metadata = metadata;
  return values;
}

function parseMetadataJson(text: string): Record<string, string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not a JSON object';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'is not a JSON object';
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v !== 'string')) return 'values must be strings';
  return Object.fromEntries(entries.filter(([, v]) => v !== '')) as Record<string, string>;
}
