import { describe, expect, it } from 'vitest';
import { problemBody } from './problem.js';

describe('problemBody', () => {
  it('keeps the standard members whatever the extras are called', () => {
    const body = problemBody('order_state', 'This order was cancelled', {
      status: 'cancelled',
      code: 'x',
      order_id: 'ord_1',
    });
    expect(body).toMatchObject({
      type: 'urn:paydesk:problem:order_state',
      status: 409,
      code: 'order_state',
      detail: 'This order was cancelled',
      order_id: 'ord_1',
    });
  });
});
