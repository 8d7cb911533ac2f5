import type { AppContext } from '../../context.js';
import { newId } from '../../ids.js';
import type { Principal } from '../access/index.js';
import type { ImportTally } from './customer-import.batch.js';
import { failInterrupted, type LiveImports } from './customer-import.queries.js';
import type { CustomerImportView } from './customer-import.schemas.js';
import { prepareImport, type ImportRequest } from './customer-import.service.js';

/** The body is fed to the parser in pieces, as a file would be, so progress moves and memory stays flat. */
const CHUNK_BYTES = 64 * 1024;

interface Entry {
  controller: AbortController;
  progress: ImportTally | undefined;
  finished: Promise<unknown>;
}

/**
 * Imports a server runs in the background, started by an upload (POST /customer-imports). Built
 * once in app.ts. The durable state is the job row; the progress here runs ahead of it (on PGlite an
 * all-or-nothing import cannot write it while its transaction holds the one connection).
 */
export class CustomerImportJobs implements LiveImports {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ctx: AppContext) {}

  /** Checks the file (422 when it is not readable CSV) and starts the import; the job as created. */
  async start(principal: Principal, body: Buffer, request: ImportRequest): Promise<CustomerImportView> {
    const id = newId('imp');
    const entry: Entry = { controller: new AbortController(), progress: undefined, finished: Promise.resolve() };
    // Known here before its row exists, so no reader takes the new row for one lost with its process.
    this.entries.set(id, entry);
    try {
      const prepared = await prepareImport(this.ctx, principal, () => chunksOf(body), request, { id });
      entry.finished = prepared
        .run({
          signal: entry.controller.signal,
          onProgress: (tally) => {
            entry.progress = { ...tally };
          },
        })
        .catch((error: unknown) => this.ctx.logger.error({ err: error, importId: id }, 'customer import failed'))
        .finally(() => this.entries.delete(id));
      return prepared.job;
    } catch (error) {
      this.entries.delete(id);
      throw error;
    }
  }

  progress(id: string): ImportTally | undefined {
    const entry = this.entries.get(id);
    return entry && (entry.progress ?? { rows_done: 0, imported: 0, updated: 0, skipped: 0, failed: 0 });
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** At start: jobs left unfinished by a stopped process are marked failed (rerunning them is safe). */
  async failInterrupted(): Promise<void> {
    await failInterrupted(this.ctx, this);
  }

  /** Server shutdown: each import stops after its batch (all-or-nothing keeps nothing) and says so. */
  async close(): Promise<void> {
    for (const entry of this.entries.values()) entry.controller.abort();
    await Promise.all([...this.entries.values()].map((e) => e.finished));
  }
}

function* chunksOf(body: Buffer): Generator<Uint8Array> {
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) yield body.subarray(offset, offset + CHUNK_BYTES);
}
