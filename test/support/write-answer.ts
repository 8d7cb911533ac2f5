import type { LightMyRequestResponse } from 'fastify';

/**
 * What is wrong with an answer to a write request, or undefined when it is a success (2xx) or a
 * problem document a client can act on: a 4xx, `application/problem+json`, a `code`, a `detail`
 * and the same `status`. A 5xx, a redirect or a bare 4xx is wrong.
 */
export function answerFault(
  response: Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'body'>,
): string | undefined {
  const status = response.statusCode;
  if (status >= 200 && status < 300) return undefined;
  if (status < 400 || status >= 500) return `answered ${status}: ${response.body.slice(0, 300)}`;
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `${status} with content-type ${type || '(none)'}`;
  let body: { code?: unknown; detail?: unknown; status?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    return `${status} with a body that is not JSON: ${response.body.slice(0, 200)}`;
  }
  if (typeof body.code !== 'string' || typeof body.detail !== 'string' || body.status !== status) {
    return `${status} problem without a code, a detail or the same status: ${response.body.slice(0, 300)}`;
  }
  return undefined;
}
