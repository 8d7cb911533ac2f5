import { describe, expect, it } from 'vitest';
import { serializeError } from './log-serializers.js';

/** A database error as PGlite and pg build them: the statement's values ride along. */
function databaseError(message: string, code: string) {
  return Object.assign(new Error(message), {
    code,
    table: 'staff',
    constraint: 'staff_email_index_key',
    detail: 'Key (email)=(owner@example.com) already exists.',
    where: 'SQL statement "INSERT … owner@example.com"',
    query: 'insert into "staff" ("email", "password_hash") values ($1, $2)',
    params: ['owner@example.com', '$argon2id$v=19$secret-hash'],
  });
}

describe('serializeError', () => {
  it('keeps the type, message, stack and schema names of a database error, drops its values', () => {
    const logged = serializeError(databaseError('duplicate key value violates unique constraint', '23505'));
    expect(logged).toMatchObject({ type: 'Error', code: '23505', table: 'staff', constraint: 'staff_email_index_key' });
    expect(logged.stack).toMatch(/^Error: duplicate key value[^\n]*\n\s+at /);
    const text = JSON.stringify(logged);
    for (const secret of ['owner@example.com', 'argon2id', 'insert into', 'Key (email)'])
      expect(text).not.toContain(secret);
    expect(Object.keys(logged).sort()).toEqual(['code', 'constraint', 'message', 'stack', 'table', 'type']);
  });

  it('hides the values a data exception or a JSON syntax error quotes, in the message and the stack', () => {
    const invalid = serializeError(databaseError('invalid input syntax for type uuid: "ayesha@example.com"', '22P02'));
    expect(invalid.message).toBe('invalid input syntax for type uuid: "…"');
    expect(JSON.stringify(invalid)).not.toContain('ayesha');
    let syntax: unknown;
    try {
      JSON.parse('{"email": "ayesha@example.com"');
    } catch (error) {
      syntax = error;
    }
    expect(JSON.stringify(serializeError(syntax))).not.toContain('ayesha');
  });

  it('follows a cause, and logs only the kind of a thrown non-Error', () => {
    const wrapped = new Error('could not record', { cause: databaseError('boom', '57P01') });
    expect(serializeError(wrapped).cause).toMatchObject({ message: 'boom', code: '57P01' });
    expect(JSON.stringify(serializeError(wrapped))).not.toContain('owner@example.com');
    expect(serializeError({ password: 'hunter2' })).toEqual({
      type: 'object',
      message: 'a value that is not an Error was thrown',
      stack: '',
    });
  });
});
