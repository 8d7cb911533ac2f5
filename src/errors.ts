/** Every way a request can fail on purpose. The HTTP layer maps each code to a status (errors.http.ts). */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'customer_not_found'
  | 'api_key_not_found'
  | 'email_taken'
  | 'has_transactions'
  | 'idempotency_key_reused'
  | 'rotation_in_progress'
  | 'rotation_not_found'
  | 'master_key_outdated'
  | 'rate_limited'
  | 'invalid_credentials'
  | 'session_expired'
  | 'csrf_failed'
  | 'brand_not_found'
  | 'staff_not_found'
  | 'staff_exists'
  | 'owner_required'
  | 'payment_link_not_found'
  | 'checkout_not_found'
  | 'checkout_expired'
  | 'checkout_completed'
  | 'invoice_not_found'
  | 'invoice_not_payable'
  | 'invoice_state'
  | 'transaction_not_found'
  | 'not_refundable'
  | 'payment_in_progress'
  | 'card_declined'
  | 'payment_failed'
  | 'exchange_rate_missing'
  | 'slug_taken'
  | 'user_not_found'
  | 'user_linked'
  | 'order_not_found'
  | 'order_state'
  | 'currency_locked'
  | 'note_not_found'
  | 'image_not_found'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'customer_merged'
  | 'customer_erased'
  | 'merge_conflict'
  | 'import_not_found'
  | 'invalid_csv'
  | 'payment_refused'
  | 'tag_not_found'
  | 'tag_exists'
  | 'view_not_found'
  | 'bulk_job_not_found'
  | 'invitation_not_found'
  | 'invitation_expired'
  | 'password_reset_not_found'
  | 'password_reset_expired'
  | 'password_reset_self'
  | 'webhook_endpoint_not_found'
  | 'event_not_found'
  | 'delivery_not_found'
  | 'uri_too_long'
  | 'header_too_large'
  | 'database_unavailable'
  | 'internal';

export interface FieldError {
  /** The request field, as a dotted path (`email`, `metadata.order`). */
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function validationError(errors: FieldError[]): DomainError {
  const first = errors[0];
  const detail =
    errors.length === 1 && first ? `${first.field}: ${first.reason}` : `${errors.length} fields are invalid`;
  return new DomainError('validation_failed', detail, { errors });
}

export function fieldError(field: string, reason: string): DomainError {
  return validationError([{ field, reason }]);
}

/**
 * Runs each field check and reports every failing field at once, so a form can mark them all.
 * Returns the values in the same order.
 */
export function checkFields<T extends readonly (() => unknown)[]>(
  ...checks: T
): { [K in keyof T]: T[K] extends () => infer R ? R : never } {
  const errors: FieldError[] = [];
  const values = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed' && error.extra.errors) {
        errors.push(...error.extra.errors);
        return undefined;
      }
      throw error;
    }
  });
  if (errors.length > 0) throw validationError(errors);
  return values as { [K in keyof T]: T[K] extends () => infer R ? R : never };
}
