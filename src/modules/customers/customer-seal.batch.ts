import type { BrandKeys } from '../../crypto/keyring.js';
import type { AppContext } from '../../context.js';
import { siblingModuleUrl } from '../../workers/worker-pool.js';
import { sealContact, type SealedContact } from './customer.seal.js';
import type { PlainContact } from './customer.view.js';

/** Contacts to seal for new rows of one brand (a bulk import's batch). */
export interface SealContactsTask {
  keys: BrandKeys;
  merchantId: string;
  rows: Array<{ id: string; contact: PlainContact }>;
}

const SEAL_WORKER_URL = siblingModuleUrl(import.meta.url, 'customer-seal.worker');

/**
 * Sealing workers collect their garbage (a cipher and a few buffers a field) as fast with a 16 MB
 * young generation as with the pools' 64 MB: 100,000 imported rows at the same speed, the server's
 * peak RSS 549 → 470 MB (npm run bench -- import).
 */
const SEAL_YOUNG_GENERATION_MB = 16;

/** Below this many rows a batch is sealed on the calling thread: a worker's round trip costs more. */
const POOLED_FROM = 200;

/** In a worker: seals each contact (sealContact). */
export function sealContactsTask(task: SealContactsTask): SealedContact[] {
  const keys = withBuffers(task.keys);
  return task.rows.map(({ id, contact }) => sealContact(keys, task.merchantId, id, contact));
}

/**
 * Seals many contacts at once, spread over the worker pool: sealing (three AES-GCM fields, three
 * blind indexes, some forty search tokens) is most of a bulk import's CPU, and it needs nothing
 * but the brand's keys.
 */
export async function sealContacts(
  ctx: AppContext,
  keys: BrandKeys,
  merchantId: string,
  rows: Array<{ id: string; contact: PlainContact }>,
): Promise<SealedContact[]> {
  if (rows.length < POOLED_FROM) return rows.map(({ id, contact }) => sealContact(keys, merchantId, id, contact));
  const pool = ctx.workers.pool<SealContactsTask, SealedContact[]>(SEAL_WORKER_URL, {
    youngGenerationMb: SEAL_YOUNG_GENERATION_MB,
  });
  const size = Math.ceil(rows.length / pool.size);
  const parts = await Promise.all(
    Array.from({ length: pool.size }, (_, i) =>
      pool.run({ keys, merchantId, rows: rows.slice(i * size, (i + 1) * size) }),
    ),
  );
  return parts.flat().map(withBufferColumns);
}

// Buffers cross a thread as plain Uint8Arrays; node-postgres and the crypto helpers want Buffers.
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function withBufferColumns(sealed: SealedContact): SealedContact {
  return {
    ...sealed,
    name_enc: asBuffer(sealed.name_enc),
    email_enc: asBuffer(sealed.email_enc),
    phone_enc: sealed.phone_enc && asBuffer(sealed.phone_enc),
    email_bidx: asBuffer(sealed.email_bidx),
    phone_bidx: sealed.phone_bidx && asBuffer(sealed.phone_bidx),
    name_bidx: sealed.name_bidx && asBuffer(sealed.name_bidx),
  };
}

function withBuffers(keys: BrandKeys): BrandKeys {
  const index = (k: BrandKeys['index']): BrandKeys['index'] =>
    Object.fromEntries(
      Object.entries(k).map(([name, value]) => [name, value instanceof Uint8Array ? asBuffer(value) : value]),
    ) as BrandKeys['index'];
  return {
    ...keys,
    dataKeys: new Map([...keys.dataKeys].map(([id, key]) => [id, asBuffer(key)])),
    index: index(keys.index),
    retiringIndex: keys.retiringIndex && index(keys.retiringIndex),
  };
}
