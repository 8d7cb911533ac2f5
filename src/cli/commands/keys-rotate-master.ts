import { parseConfig } from '../../config.js';
import { rotateMasterKey } from '../../modules/keys/index.js';
import { CliError, defineCommand } from '../command.js';
import { EXIT } from '../output.js';
import { cliActor, runLocalOrRemote } from '../run-local-or-remote.js';
import { KEYS_OPTIONS, keysArguments } from './keys-shared.js';

export const keysRotateMaster = defineCommand({
  name: 'keys rotate-master',
  summary:
    'Re-wraps every brand key under a new master key, in one transaction. The new key is PAYDESK_NEW_MASTER_KEY, ' +
    'or a new key file when the current key is the key file. Restart every server with the new key.',
  options: KEYS_OPTIONS,
  async run(values, io) {
    const { brand } = keysArguments(values);
    const config = parseConfig(io.env);
    return runLocalOrRemote(config, io, {
      remote: {
        refused:
          `A Paydesk server holds the embedded database in ${config.dataDir}. Stop it, run keys rotate-master, ` +
          'then start it again (it has to restart with the new master key anyway).',
      },
      local: async ({ ctx, master }) => {
        if (brand !== undefined) throw new CliError('keys rotate-master covers every brand; drop --brand', EXIT.usage);
        const result = await rotateMasterKey(ctx, { actor: cliActor() }, master, ctx.config.newMasterKey);
        const lines = [
          `Master key rotated: ${count(result.keys, 'key')} of ${count(result.brands, 'brand')} re-wrapped ` +
            `(fingerprint ${result.oldFingerprint} -> ${result.newFingerprint}).`,
        ];
        if (result.keyFile) {
          lines.push(`The new master key is in ${result.keyFile}; the old one is destroyed. Start Paydesk again.`);
        } else {
          lines.push(
            'Now restart every Paydesk server with PAYDESK_MASTER_KEY set to the new key (the value of PAYDESK_NEW_MASTER_KEY),',
            'and drop PAYDESK_NEW_MASTER_KEY. Servers still running on the old key keep serving with the keys they hold,',
            'but cannot load new ones, create brands or rotate keys until they are restarted.',
          );
        }
        io.out.write(lines.join('\n') + '\n');
        return EXIT.ok;
      },
    });
  },
});

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
