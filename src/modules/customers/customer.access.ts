import { DomainError } from '../../errors.js';

export function customerNotFound(id: string): DomainError {
  return new DomainError('customer_not_found', `No customer ${id} in this brand`, { customer_id: id });
}

export function emailTaken(existingId: string): DomainError {
  return new DomainError('email_taken', `A customer with this email already exists: ${existingId}`, {
    field: 'email',
    customer_id: existingId,
  });
}
