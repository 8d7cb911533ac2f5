import { expect } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { LightMyRequestResponse } from 'fastify';
import type { Problem } from '../../src/http/problem.js';
import type { CustomerListView, CustomerView } from '../../src/modules/customers/customer.schemas.js';
import { customerBody, type TestBrand, type TestPaydesk } from './harness.js';

/** A customer as the API returns it (the response schema's type). */
export type CustomerJson = CustomerView;
export type CustomerListJson = CustomerListView;
/** Problem allows extra members (customer_id, counts, …), which tests read. */
export type ProblemJson = Static<typeof Problem> & { [extra: string]: unknown };

type Body = Record<string, unknown>;

/** The customers API as one caller (an API key, or none) sees it. */
export function customersApi(paydesk: TestPaydesk, token: string | undefined) {
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: Body,
    headers?: Record<string, string>,
  ) =>
    paydesk.request(token, {
      method,
      url: `/api/v1${url}`,
      ...(payload === undefined ? {} : { payload }),
      ...(headers ? { headers } : {}),
    });
  return {
    create: (body: Body, headers?: Record<string, string>) => call('POST', '/customers', body, headers),
    upsert: (body: Body) => call('PUT', '/customers', body),
    get: (id: string) => call('GET', `/customers/${id}`),
    update: (id: string, body: Body) => call('PATCH', `/customers/${id}`, body),
    remove: (id: string) => call('DELETE', `/customers/${id}`),
    list: (query = '') => call('GET', `/customers${query ? `?${query}` : ''}`),
    stats: () => call('GET', '/customers/stats'),
  };
}

/** Creates a customer through the API (a unique valid body, overridable) and returns it. */
export async function newCustomer(paydesk: TestPaydesk, brand: TestBrand, overrides: Body = {}): Promise<CustomerJson> {
  const response = await customersApi(paydesk, brand.token).create(customerBody(overrides));
  if (response.statusCode !== 201) throw new Error(`newCustomer answered ${response.statusCode}: ${response.body}`);
  return response.json<CustomerJson>();
}

export async function totalCustomers(paydesk: TestPaydesk, brand: TestBrand): Promise<number> {
  const response = await customersApi(paydesk, brand.token).stats();
  expect(response.statusCode).toBe(200);
  return response.json<{ total_customers: number }>().total_customers;
}

/** Asserts an RFC 9457 problem with this status and code, and returns it. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string): ProblemJson {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json<ProblemJson>();
  expect(problem).toMatchObject({ status, code, type: `urn:paydesk:problem:${code}` });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  return problem;
}

/** Asserts a 422 validation problem whose errors name exactly these fields (in any order, repeats allowed). */
export function expectInvalidFields(response: LightMyRequestResponse, fields: string[]): ProblemJson {
  const problem = expectProblem(response, 422, 'validation_failed');
  expect(problem.errors).toBeDefined();
  const named = [...new Set(problem.errors!.map((e) => e.field))].sort();
  expect(named).toEqual([...new Set(fields)].sort());
  for (const error of problem.errors!) expect(error.reason).toMatch(/\S/);
  return problem;
}
