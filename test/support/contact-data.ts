import { expect } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

let counter = 0;

/** A unique customer body with a phone, whose email local part appears nowhere else (not in the name). */
export function contactBody(overrides: Record<string, unknown> = {}): { name: string; email: string; phone: string } {
  counter++;
  const tag = `${Date.now().toString(36).slice(-5)}${counter}`;
  const subscriber = ((Date.now() + counter * 7919) % 90_000_000) + 10_000_000;
  return {
    name: `Nadia Zq${tag}`,
    email: `nr.${tag}.x@example.com`,
    phone: `+88017${subscriber}`,
    ...overrides,
  } as { name: string; email: string; phone: string };
}

/** Every form in which an email or phone could leak: whole, local part, E.164 with and without +, national digits. */
export function contactNeedles(contact: { email: string; phone: string | null }): string[] {
  const needles = [contact.email, contact.email.slice(0, contact.email.lastIndexOf('@'))];
  if (contact.phone) {
    const parsed = parsePhoneNumberFromString(contact.phone);
    needles.push(contact.phone, contact.phone.slice(1));
    if (parsed) needles.push(parsed.formatNational().replace(/\D/g, ''), String(parsed.nationalNumber));
  }
  return needles;
}

/** Asserts that a raw response body (JSON text) carries no form of the contact data. */
export function expectNoRawContact(body: string, contact: { email: string; phone: string | null }, label = ''): void {
  const lower = body.toLowerCase();
  for (const needle of contactNeedles(contact)) {
    expect(lower.includes(needle.toLowerCase()), `${label} body contains ${needle}: ${body.slice(0, 300)}`).toBe(false);
  }
}
