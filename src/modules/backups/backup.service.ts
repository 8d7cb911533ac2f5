import type { AppContext } from '../../context.js';
import { dumpEmbeddedDatabase } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { isValidBackupProof } from './backup.auth.js';

/**
 * A consistent copy of the embedded database this server holds (a gzip tarball of its data
 * directory), for `npm run paydesk -- backup` while the server runs. Every brand is in it, so it is
 * given only for a proof of the master key (backup.auth.ts). It holds no key: personal data in it
 * stays sealed without the master key.
 */
export async function takeServerBackup(ctx: AppContext, authorization: string | undefined): Promise<Buffer> {
  if (!isValidBackupProof(ctx.keyring, authorization, ctx.clock().getTime())) {
    throw new DomainError(
      'unauthenticated',
      'A backup holds every brand: it is given only to `npm run paydesk -- backup`, which proves it holds the master key',
    );
  }
  const tarball = await dumpEmbeddedDatabase(ctx.db);
  if (!tarball) {
    throw new DomainError(
      'invalid_request',
      'This server runs on PostgreSQL: `npm run paydesk -- backup FILE` runs pg_dump -Fc on DATABASE_URL itself',
    );
  }
  const bytes = Buffer.from(await tarball.arrayBuffer());
  ctx.logger.info({ bytes: bytes.length }, 'backup of the embedded database taken');
  return bytes;
}
