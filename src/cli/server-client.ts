import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError } from './command.js';

/** The running server, asked over its API (authenticated with an API key) when it holds the embedded database. */
export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  /** The answer's status and body; 409 is an answer (the caller decides), any other 4xx/5xx a CliError. */
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.send(method, path, body);
    const parsed = (await response.json().catch(() => ({}))) as T & { detail?: string; code?: string };
    if (response.status >= 400 && response.status !== 409) throw refused(response, parsed);
    return { status: response.status, body: parsed };
  }

  /** A GET whose answer is not JSON (a CSV export): its body as a stream, read as it arrives; any 4xx/5xx a CliError. */
  async download(path: string): Promise<Readable> {
    const response = await this.send('GET', path);
    if (response.status >= 400) {
      throw refused(response, (await response.json().catch(() => ({}))) as { detail?: string; code?: string });
    }
    if (!response.body) return Readable.from([]);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  /** A POST whose body is a file (a CSV import), sent as is with its content type; answered like call(). */
  async upload<T>(path: string, bytes: Buffer, contentType: string): Promise<{ status: number; body: T }> {
    const response = await this.send('POST', path, undefined, { bytes, contentType });
    const parsed = (await response.json().catch(() => ({}))) as T & { detail?: string; code?: string };
    if (response.status >= 400) throw refused(response, parsed);
    return { status: response.status, body: parsed };
  }

  private async send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    file?: { bytes: Buffer; contentType: string },
  ): Promise<Response> {
    try {
      return await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(file
            ? { 'content-type': file.contentType }
            : body === undefined
              ? {}
              : { 'content-type': 'application/json' }),
        },
        ...(file ? { body: new Uint8Array(file.bytes) } : body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(
        `Another process holds the embedded database, and no Paydesk server answers at ${this.baseUrl} ` +
          `(${(error as Error).message}). If another paydesk command is running, wait for it; if a server crashed, ` +
          'its lock expires within 30 seconds; then run this again (or pass --server URL).',
      );
    }
  }
}

function refused(response: Response, problem: { detail?: string; code?: string }): CliError {
  return new CliError(
    `The server refused: ${problem.detail ?? response.statusText} (${problem.code ?? response.status})`,
  );
}
