import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { checkFields, DomainError, type FieldError } from '../../errors.js';
import {
  checkMetadata,
  CustomerCreateBody,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  type PlainContact,
} from '../customers/index.js';
import type { RowValues } from './customer-import.columns.js';

/*
 * A row is checked exactly as POST /api/v1/customers checks a body: first the request schema (with
 * the validator settings of src/http/validation.ts), then the service's normalisation.
 */
const ajv = new Ajv.default({ removeAdditional: false, coerceTypes: false, allErrors: true, strict: false });
addFormats.default(ajv);
const checkBody = ajv.compile(CustomerCreateBody);

export type CheckedRow =
  { ok: true; contact: PlainContact; metadata: Record<string, string> } | { ok: false; errors: FieldError[] };

export function checkRow(values: RowValues, country: string): CheckedRow {
  const body: Record<string, unknown> = {};
  if (values.name !== undefined) body.name = values.name;
  if (values.email !== undefined) body.email = values.email;
  if (values.phone !== undefined) body.phone = values.phone;
  if (values.metadata !== undefined) body.metadata = values.metadata;
  const schemaErrors = checkBody(body) ? [] : (checkBody.errors ?? []).map(toFieldError);
  if (values.metadataProblem !== undefined) schemaErrors.push({ field: 'metadata', reason: values.metadataProblem });
  if (schemaErrors.length > 0) return { ok: false, errors: dedupe(schemaErrors) };
  try {
    const [name, email, phone] = checkFields(
      () => normalizeName(values.name!),
      () => normalizeEmail(values.email!),
      () => (values.phone === undefined ? null : normalizePhone(values.phone, country)),
      () => checkMetadata(values.metadata),
    );
    return { ok: true, contact: { name, email, phone }, metadata: values.metadata ?? {} };
  } catch (error) {
    if (error instanceof DomainError && error.extra.errors) return { ok: false, errors: error.extra.errors };
    throw error;
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

/** As the API's problem handler words them (src/http/problem.ts). */
function toFieldError(e: AjvError): FieldError {
  const path = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const join = (...parts: string[]) => parts.filter(Boolean).join('.');
  if (e.keyword === 'required') return { field: join(path, String(e.params.missingProperty)), reason: 'is required' };
  if (e.keyword === 'propertyNames') {
    return { field: join(path, String(e.params.propertyName ?? '')), reason: 'key must be 1–40 characters' };
  }
  return { field: path || 'body', reason: e.message ?? 'is invalid' };
}

/** Ajv reports a bad metadata key twice (propertyNames and its maxLength): once is enough. */
function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
