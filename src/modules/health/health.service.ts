import type { AppContext } from '../../context.js';
import { pingDatabase } from './health.repository.js';

export async function checkHealth(ctx: AppContext): Promise<{ status: 'ok'; database: string }> {
  await pingDatabase(ctx.db);
  return { status: 'ok', database: ctx.databaseKind === 'postgres' ? 'postgresql' : 'pglite' };
}
