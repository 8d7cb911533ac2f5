import { describe, expect, it } from 'vitest';
import { redactReason } from './customer.reveal-reason.js';

const contact = { name: 'Nadia Rahman', email: 'nadia.rahman@example.com', phone: '+8801712345678' };

describe('redactReason', () => {
  it('keeps a reason without contact data as written', () => {
    expect(redactReason('Refund ticket 4711, customer called', contact)).toEqual({
      text: 'Refund ticket 4711, customer called',
      redacted: false,
    });
  });

  it.each([
    ['mail from nadia.rahman@example.com', 'mail from n•••@example.com'],
    ['mail from Nadia.Rahman@Example.com today', 'mail from N•••@Example.com today'],
    ['other address x.y@other.org', 'other address x•••@other.org'],
    ['called from +880 1712-345678', 'called from +••• ••••-•••678'],
    ['called from 01712345678.', 'called from ••••••••678.'],
    ['called from (017) 1234 5678', 'called from (•••) •••• •678'],
    ['Nadia Rahman asked for a receipt', 'N••• asked for a receipt'],
    ['user nadia.rahman on the phone', 'user n••• on the phone'],
  ])('%s → %s', (reason, text) => {
    expect(redactReason(reason, contact)).toEqual({ text, redacted: true });
  });

  it('leaves no form of the email or phone behind', () => {
    const { text } = redactReason(
      'NADIA.RAHMAN@EXAMPLE.COM +8801712345678 8801712345678 01712345678 1712345678 017-1234-5678 nadia.rahman',
      contact,
    );
    for (const needle of ['nadia.rahman', '1712345678', '12345678', '2345'])
      expect(text.toLowerCase()).not.toContain(needle);
  });
});
