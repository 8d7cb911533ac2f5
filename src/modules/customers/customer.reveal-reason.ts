import { maskEmail } from '../../crypto/masking.js';
import type { PlainContact } from './customer.view.js';

/*
 * A reveal's reason is staff-written text, kept in the audit log. People paste what they are
 * looking at ("jane@example.com called about +880 1712-345678"), and the audit log holds no
 * personal data (DESIGN.md), so contact data is masked out of the reason before it is stored.
 */

const DOT = '•';
const EMAIL_LIKE = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+/gu;
/** A run of at least six digits, with the separators people write phone numbers with. */
const DIGIT_RUN = /\+?\d(?:[\s().-]*\d){5,}/g;

export interface RedactedReason {
  text: string;
  /** True when anything was masked, so an auditor knows the text is not verbatim. */
  redacted: boolean;
}

/**
 * Masks every email address (as maskEmail does), every run of six or more digits (all but the last
 * three: a phone number in any format, at the price of also masking long order numbers), and this
 * customer's name and email local part wherever they appear on their own.
 */
export function redactReason(reason: string, contact: PlainContact): RedactedReason {
  let text = reason.replace(EMAIL_LIKE, (email) => maskEmail(email));
  text = text.replace(DIGIT_RUN, (run) => maskDigits(run));
  const local = contact.email.slice(0, contact.email.lastIndexOf('@'));
  for (const term of [contact.name, local]) {
    if ([...term].length < 3) continue;
    text = text.replace(new RegExp(escapeRegExp(term), 'giu'), (found) => `${[...found][0] ?? ''}${DOT.repeat(3)}`);
  }
  return { text, redacted: text !== reason };
}

function maskDigits(run: string): string {
  const total = run.replace(/\D/g, '').length;
  let seen = 0;
  return run.replace(/\d/g, (digit) => (++seen > total - 3 ? digit : DOT));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
