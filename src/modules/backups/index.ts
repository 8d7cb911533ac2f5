/** Backups: the running server's copy of the embedded database, and what the CLI needs to take and restore one. */
export { backupRoutes } from './backup.routes.js';
export { backupProof, readMasterKey } from './backup.auth.js';
export {
  backupFormat,
  dumpStoppedDataDir,
  restoreIntoDataDir,
  dataDirRestoreProblem,
  type BackupFormat,
} from './backup.embedded.js';
export { pgDump, pgRestore, isDatabaseEmpty, PgToolError } from './backup.postgres.js';
