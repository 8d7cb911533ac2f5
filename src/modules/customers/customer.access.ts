import { DomainError } from '../../errors.js';
import { roleAllows, type Permission } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!roleAllows(principal.role, permission)) {
    throw new DomainError('forbidden', `The ${principal.role} role may not do this (${permission})`, {
      permission,
    });
  }
}

export function customerNotFound(id: string): DomainError {
  return new DomainError('customer_not_found', `No customer ${id} in this brand`, { customer_id: id });
}

export function emailTaken(existingId: string): DomainError {
  return new DomainError('email_taken', `A customer with this email already exists: ${existingId}`, {
    field: 'email',
    customer_id: existingId,
  });
}
