import { describe, expect, it } from 'vitest';
import { loggedPath } from '../app.js';

describe('loggedPath', () => {
  it('drops the query string and checkout/invoice tokens, keeps everything else', () => {
    expect(loggedPath('/api/v1/customers?q=ayesha')).toBe('/api/v1/customers');
    expect(loggedPath('/checkout/Jt0abcDEF')).toBe('/checkout/…');
    expect(loggedPath('/api/public/invoice/Jt0abcDEF?x=1')).toBe('/api/public/invoice/…');
    expect(loggedPath('/api/public/checkout/tok')).toBe('/api/public/checkout/…');
    expect(loggedPath('/pay/yoga-monthly')).toBe('/pay/yoga-monthly');
    expect(loggedPath('/api/v1/checkout-sessions/cs_1')).toBe('/api/v1/checkout-sessions/cs_1');
  });
});
