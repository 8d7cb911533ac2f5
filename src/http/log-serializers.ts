/**
 * What of an error goes into a log line. Pino's default serializer copies every property, and a
 * database error carries the whole statement: PGlite's its `query` and `params` (an email, a password
 * hash, a checkout token), PostgreSQL's its `detail` (`Key (email_index)=(…)`) and `where`. So only
 * these are kept: the type, message and stack, and the database fields that name a place in the schema
 * but quote no value. A cause is followed a few levels.
 */
const SAFE_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'routine', 'statusCode'] as const;

const MAX_CAUSE_DEPTH = 3;

export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  cause?: LoggedError;
  [field: string]: unknown;
}

export function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) {
    // A thrown string or object could be anything, a secret included: its kind only.
    return { type: typeof error, message: 'a value that is not an Error was thrown', stack: '' };
  }
  const fields = error as unknown as Record<string, unknown>;
  const type = error.constructor?.name || error.name;
  const message = quotesValues(error) ? redactQuoted(error.message) : error.message;
  const logged: LoggedError = { type, message, stack: framesOnly(error.stack ?? '', `${error.name}: ${message}`) };
  for (const name of SAFE_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string' || typeof value === 'number') logged[name] = value;
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) logged.cause = serializeError(error.cause, depth + 1);
  return logged;
}

/**
 * Messages that quote the input: PostgreSQL's data exceptions (SQLSTATE class 22: `invalid input
 * syntax for type uuid: "…"`) and JSON.parse's syntax errors (`"abc@exa"... is not valid JSON`).
 */
function quotesValues(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return error instanceof SyntaxError || (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code));
}

function redactQuoted(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"?/g, '"…"');
}

/** The stack's first line repeats the message: replaced by the (possibly redacted) one, frames kept. */
function framesOnly(stack: string, head: string): string {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames].join('\n');
}
