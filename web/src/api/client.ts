import { fieldPathWords, fieldSentence } from '../lib/field-message';
import type { FieldError, Problem } from './types';

/**
 * The one way the UI talks to the server. The session cookie goes along by itself (same origin); every
 * state-changing call also carries the session's CSRF token, which the session endpoints hand out.
 */

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(messageOf(problem));
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /**
   * Field errors of a 422, keyed by field path (`email`, `card.number`): the server's fragments ("must not
   * be empty"), which the Field components make sentences of with the field's label.
   */
  fieldErrors(): Record<string, string> {
    const errors: FieldError[] = this.problem.errors ?? [];
    const byField: Record<string, string> = {};
    for (const error of errors) byField[error.field] ??= error.reason;
    return byField;
  }
}

/**
 * What a notice shows when no field of the form takes the error: a 422's field errors as sentences
 * ("Currency must be …."), not the server's `currency: must be …` detail.
 */
function messageOf(problem: Problem): string {
  const errors = problem.errors ?? [];
  if (problem.code !== 'validation_failed' || errors.length === 0) return problem.detail;
  return errors.map((error) => fieldSentence(fieldPathWords(error.field), error.reason)).join(' ');
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A body as it goes on the wire, with its Content-Type. */
interface Payload {
  body: BodyInit;
  type: string;
}

function request<T>(method: Method, url: string, body?: unknown): Promise<T> {
  return send<T>(
    method,
    url,
    body === undefined ? undefined : { body: JSON.stringify(body), type: 'application/json' },
  );
}

async function send<T>(method: Method, url: string, payload?: Payload): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload) headers['content-type'] = payload.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(payload ? { body: payload.body } : {}),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      detail: 'Paydesk could not be reached. Check the connection and try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const problem = isProblem(json)
      ? json
      : {
          status: response.status,
          code: `http_${response.status}`,
          detail: `The server answered ${response.status} ${response.statusText}`.trim(),
        };
    throw new ApiError(problem);
  }
  return json as T;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).code === 'string';
}

/** `path` starts with a slash; query values that are undefined or '' are left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The authenticated API (`/api/v1`), as the signed-in staff member. */
export const api = {
  get: <T>(path: string) => request<T>('GET', `/api/v1${path}`),
  post: <T>(path: string, body?: unknown) => request<T>('POST', `/api/v1${path}`, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', `/api/v1${path}`, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', `/api/v1${path}`, body),
  delete: (path: string) => request<void>('DELETE', `/api/v1${path}`),
  /** A file as the raw body (an image upload), sent with its own Content-Type instead of JSON. */
  putFile: <T>(path: string, file: Blob) =>
    send<T>('PUT', `/api/v1${path}`, { body: file, type: file.type || 'application/octet-stream' }),
  /** A file as the raw body of a POST (a CSV import), with the Content-Type the endpoint reads. */
  postFile: <T>(path: string, file: Blob, type: string) => send<T>('POST', `/api/v1${path}`, { body: file, type }),
};

/** What the public client pages call (`/api/public`): no session, no CSRF token. */
export const publicApi = {
  get: <T>(path: string) => request<T>('GET', `/api/public${path}`),
  post: <T>(path: string, body: unknown) => request<T>('POST', `/api/public${path}`, body),
};
