import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './connection-errors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it.each([
    ['a reset socket', withCode('ECONNRESET')],
    ['a refused connection', withCode('ECONNREFUSED')],
    ['node-postgres on a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a client the pool should have dropped',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['the server shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a connection failure (08006)', withCode('08006')],
    ['a lost connection as the cause', new Error('rollback failed', { cause: withCode('EPIPE') })],
    ['one of several errors', new AggregateError([new Error('a'), withCode('ECONNREFUSED')])],
  ])('is true for %s', (_name, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a query cancelled by statement_timeout (57014)', withCode('57014')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'Connection terminated'],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});
