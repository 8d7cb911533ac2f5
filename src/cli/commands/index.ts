import type { CliCommand } from '../command.js';
import { backupCommand } from './backup.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { keysRotate } from './keys-rotate.js';
import { keysRotateIndex } from './keys-rotate-index.js';
import { keysRotateMaster } from './keys-rotate-master.js';
import { keysStatus } from './keys-status.js';
import { reconcile } from './reconcile.js';
import { restoreCommand } from './restore.js';
import { settlePending } from './settle-pending.js';

/** Every `paydesk` command, in the order the help lists them. A new command is one file and one line here. */
export const COMMANDS: readonly CliCommand[] = [
  keysStatus,
  keysRotate,
  keysRotateIndex,
  keysRotateMaster,
  reconcile,
  settlePending,
  exportCommand,
  importCommand,
  backupCommand,
  restoreCommand,
];
