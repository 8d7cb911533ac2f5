import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, type ErrorCode, type FieldError } from '../errors.js';
import { DATABASE_RETRY_AFTER_SECONDS, isConnectionLost } from '../db/connection-errors.js';
import { NOT_SINGLE_LINE_REASON, SINGLE_LINE_PATTERN } from './text-rule.js';

/** The one place codes become statuses; the compiler insists every code is here. */
const STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  invalid_json: 400,
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  customer_not_found: 404,
  api_key_not_found: 404,
  email_taken: 409,
  has_transactions: 409,
  idempotency_key_reused: 422,
  rotation_in_progress: 409,
  rotation_not_found: 404,
  master_key_outdated: 503,
  rate_limited: 429,
  invalid_credentials: 401,
  session_expired: 401,
  csrf_failed: 403,
  brand_not_found: 404,
  staff_not_found: 404,
  staff_exists: 409,
  owner_required: 409,
  payment_link_not_found: 404,
  checkout_not_found: 404,
  checkout_expired: 410,
  checkout_completed: 409,
  invoice_not_found: 404,
  invoice_not_payable: 409,
  invoice_state: 409,
  transaction_not_found: 404,
  not_refundable: 409,
  payment_in_progress: 409,
  card_declined: 402,
  payment_failed: 402,
  exchange_rate_missing: 422,
  slug_taken: 409,
  user_not_found: 404,
  user_linked: 409,
  order_not_found: 404,
  order_state: 409,
  currency_locked: 409,
  note_not_found: 404,
  image_not_found: 404,
  unsupported_media_type: 415,
  payload_too_large: 413,
  customer_merged: 409,
  customer_erased: 409,
  merge_conflict: 409,
  import_not_found: 404,
  invalid_csv: 422,
  payment_refused: 402,
  tag_not_found: 404,
  tag_exists: 409,
  view_not_found: 404,
  bulk_job_not_found: 404,
  invitation_not_found: 404,
  invitation_expired: 410,
  password_reset_not_found: 404,
  password_reset_expired: 410,
  password_reset_self: 409,
  webhook_endpoint_not_found: 404,
  event_not_found: 404,
  delivery_not_found: 404,
  uri_too_long: 414,
  header_too_large: 431,
  database_unavailable: 503,
  internal: 500,
};

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Some fields are invalid',
  invalid_json: 'The body is not valid JSON',
  invalid_request: 'The request cannot be processed',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed for this role',
  not_found: 'Not found',
  customer_not_found: 'Customer not found',
  api_key_not_found: 'API key not found',
  email_taken: 'Email already in use',
  has_transactions: 'Customer has payment history',
  idempotency_key_reused: 'Idempotency-Key reused with other parameters',
  rotation_in_progress: 'A key rotation is already running',
  rotation_not_found: 'No key rotation',
  master_key_outdated: 'This server holds an outdated master key',
  rate_limited: 'Too many requests',
  invalid_credentials: 'Wrong email or password',
  session_expired: 'Session expired',
  csrf_failed: 'CSRF token missing or wrong',
  brand_not_found: 'Brand not found',
  staff_not_found: 'Staff member not found',
  staff_exists: 'Already a member of this brand',
  owner_required: 'A brand needs an owner',
  payment_link_not_found: 'Payment link not found',
  checkout_not_found: 'Checkout session not found',
  checkout_expired: 'Checkout session expired',
  checkout_completed: 'Checkout session already paid',
  invoice_not_found: 'Invoice not found',
  invoice_not_payable: 'Invoice cannot be paid',
  invoice_state: 'Not possible in the current invoice status',
  transaction_not_found: 'Transaction not found',
  not_refundable: 'Transaction cannot be refunded',
  payment_in_progress: 'A payment for this is already in progress',
  card_declined: 'Card declined',
  payment_failed: 'Payment failed',
  exchange_rate_missing: 'No exchange rate for this currency',
  slug_taken: 'Slug already in use',
  user_not_found: 'Site user not found',
  user_linked: 'Already linked to another customer',
  order_not_found: 'Order not found',
  order_state: 'Not possible in the current order status',
  currency_locked: 'Base currency cannot change',
  note_not_found: 'Note not found',
  image_not_found: 'No image',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'Payload too large',
  customer_merged: 'Customer was merged into another',
  customer_erased: 'Customer was erased',
  merge_conflict: 'These customers cannot be merged',
  import_not_found: 'Import not found',
  invalid_csv: 'The file is not a CSV this import can read',
  payment_refused: 'This payment cannot be accepted',
  tag_not_found: 'Tag not found',
  tag_exists: 'A tag with this name exists',
  view_not_found: 'Saved view not found',
  bulk_job_not_found: 'Bulk action not found',
  invitation_not_found: 'Invitation not found',
  invitation_expired: 'Invitation expired or already used',
  password_reset_not_found: 'Password reset link not found',
  password_reset_expired: 'Password reset link expired or already used',
  password_reset_self: 'Change your own password instead',
  webhook_endpoint_not_found: 'Webhook endpoint not found',
  event_not_found: 'Event not found',
  delivery_not_found: 'Webhook delivery not found',
  uri_too_long: 'URL too long',
  header_too_large: 'Request headers too large',
  database_unavailable: 'The database is unreachable; try again',
  internal: 'Internal error',
};

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:paydesk:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          { field: Type.String({ examples: ['email'] }), reason: Type.String({ examples: ['is required'] }) },
          { title: 'FieldError' },
        ),
      ),
    ),
  },
  { title: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

/**
 * Route response entries for error statuses, documented with their real media type and, as examples,
 * every code that status can carry (the route's own rules decide which of them it answers).
 */
export function problemResponses<S extends number>(...statuses: S[]) {
  const response = (status: number) => {
    const codes = (Object.keys(STATUS) as ErrorCode[]).filter((code) => STATUS[code] === status);
    const examples = Object.fromEntries(codes.map((code) => [code, { value: problemBody(code, `${TITLES[code]}.`) }]));
    return {
      description: `Problem details (RFC 9457): ${codes.map((code) => `\`${code}\``).join(', ') || 'invalid_request'}`,
      content: { 'application/problem+json': { schema: Problem, examples } },
    };
  };
  return Object.fromEntries(statuses.map((status) => [status, response(status)])) as Record<
    S,
    ReturnType<typeof response>
  >;
}

export function problemBody(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  // The standard members come last: an extra named like one (`status`) must never replace it.
  return { ...extra, type: `urn:paydesk:problem:${code}`, title: TITLES[code], status: STATUS[code], code, detail };
}

export function sendProblem(reply: FastifyReply, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(STATUS[code])
    .type('application/problem+json')
    .send(problemBody(code, detail, extra));
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      'not_found',
      `No route ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    ),
  );

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) {
      if (typeof error.extra.retry_after === 'number') reply.header('retry-after', String(error.extra.retry_after));
      return sendProblem(reply, error.code, error.message, error.extra);
    }
    if (error.validation) {
      const errors = error.validation.map((e) => toFieldError(e, error.validationContext));
      const first = errors[0];
      const detail =
        errors.length === 1 && first ? `${first.field}: ${first.reason}` : `${errors.length} fields are invalid`;
      return sendProblem(reply, 'validation_failed', detail, { errors });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(
        reply,
        'unsupported_media_type',
        `Content-Type ${String(request.headers['content-type'] ?? '(none)').slice(0, 100)} is not accepted here: send JSON as application/json`,
      );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, 'payload_too_large', error.message);
    }
    if (
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error instanceof SyntaxError
    ) {
      return sendProblem(reply, 'invalid_json', 'The request body must be a JSON object');
    }
    if (isConnectionLost(error)) {
      // Not a bug of ours: the client may retry once the pool has a new connection (db/connection-errors.ts).
      request.log.warn({ code: error.code, reason: error.message }, 'database connection lost');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(
        reply,
        'database_unavailable',
        'The database could not be reached; try again in a few seconds',
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .type('application/problem+json')
        .send({ ...problemBody('invalid_request', error.message), status });
    }
    // Details of unexpected failures stay in the log, under the request id the client is given.
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, 'internal', `Something went wrong on our side (request ${request.id})`);
  });
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

function toFieldError(e: AjvError, context: string | undefined): FieldError {
  const path = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const prefix = context === 'body' || !context ? '' : context === 'querystring' ? '' : `${context}.`;
  if (e.keyword === 'required')
    return { field: join(prefix, path, String(e.params.missingProperty)), reason: 'is required' };
  if (e.keyword === 'additionalProperties') {
    return { field: join(prefix, path, String(e.params.additionalProperty)), reason: 'is not a known field' };
  }
  if (e.keyword === 'pattern' && e.params.pattern === SINGLE_LINE_PATTERN)
    return { field: join(prefix, path) || context || 'body', reason: NOT_SINGLE_LINE_REASON };
  // Ajv's own words ("must NOT have fewer than 1 characters") as the fragments the services write.
  if (e.keyword === 'minLength' || e.keyword === 'maxLength') {
    const limit = Number(e.params.limit);
    const reason =
      e.keyword === 'maxLength'
        ? `must be at most ${limit} characters`
        : limit === 1
          ? 'must not be empty'
          : `must be at least ${limit} characters`;
    return { field: join(prefix, path) || context || 'body', reason };
  }
  if (e.keyword === 'propertyNames')
    return { field: join(prefix, path, String(e.params.propertyName ?? '')), reason: 'key must be 1–40 characters' };
  return { field: join(prefix, path) || context || 'body', reason: e.message ?? 'is invalid' };
}

function join(...parts: string[]): string {
  return parts
    .filter(Boolean)
    .join('.')
    .replace(/\.\./g, '.')
    .replace(/^\.|\.$/g, '');
}

/** Router-level failures (a malformed percent-encoding in the path) as problem documents too. */
export function frameworkProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(reply, 'invalid_request', `The request URL cannot be read: ${error.message}`);
}
