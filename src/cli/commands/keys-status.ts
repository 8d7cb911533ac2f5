import { parseConfig } from '../../config.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import { brandKeyStatus } from '../../modules/keys/index.js';
import { defineCommand } from '../command.js';
import { EXIT, formatCount } from '../output.js';
import { brandsOf, runLocalOrRemote } from '../run-local-or-remote.js';
import { KEYS_OPTIONS, keysArguments, remoteBrandStatus } from './keys-shared.js';

interface StatusShape {
  merchantId: string;
  keys: Array<{
    keyId: number;
    purpose: KeyPurpose;
    state: string;
    createdAt: string;
    retiredAt: string | null;
    rows: number;
  }>;
  unfinished: KeyPurpose[];
}

export const keysStatus = defineCommand({
  name: 'keys status',
  summary: "Each brand's keys, their states and how many customers use each.",
  options: KEYS_OPTIONS,
  async run(values, io) {
    const { brand } = keysArguments(values);
    const json = values.json ?? false;
    const shapes = await runLocalOrRemote(parseConfig(io.env), io, {
      server: values.server,
      local: async (paydesk) => {
        const shapes: StatusShape[] = [];
        for (const merchantId of await brandsOf(paydesk, brand)) {
          const s = await brandKeyStatus(paydesk.ctx, merchantId);
          shapes.push({
            merchantId,
            unfinished: s.unfinished,
            keys: s.keys.map((k) => ({
              ...k,
              createdAt: k.createdAt.toISOString(),
              retiredAt: k.retiredAt?.toISOString() ?? null,
            })),
          });
        }
        return shapes;
      },
      remote: async (client) => {
        const s = await remoteBrandStatus(client, brand);
        const shape: StatusShape = {
          merchantId: s.merchant_id,
          unfinished: s.unfinished,
          keys: s.keys.map((k) => ({
            keyId: k.key_id,
            purpose: k.purpose,
            state: k.state,
            createdAt: k.created_at,
            retiredAt: k.retired_at,
            rows: k.rows,
          })),
        };
        return [shape];
      },
    });
    if (shapes.length === 0) {
      io.out.write(json ? '[]\n' : 'No brands yet: the server creates the first one when it first starts.\n');
    } else {
      io.out.write(json ? JSON.stringify(shapes, null, 2) + '\n' : shapes.map(statusText).join('\n'));
    }
    return EXIT.ok;
  },
});

function statusText(s: StatusShape): string {
  const header = ['key', 'purpose', 'state', 'rows', 'created', 'retired'];
  const rows = s.keys.map((k) => [
    String(k.keyId),
    k.purpose,
    k.state,
    formatCount(k.rows),
    k.createdAt.slice(0, 19).replace('T', ' '),
    k.retiredAt ? k.retiredAt.slice(0, 19).replace('T', ' ') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [s.merchantId, line(header), ...rows.map(line)];
  for (const purpose of s.unfinished) {
    const command = purpose === 'data' ? 'rotate' : 'rotate-index';
    out.push(`  unfinished ${purpose} key rotation: npm run paydesk -- keys ${command} --brand ${s.merchantId}`);
  }
  return out.join('\n') + '\n';
}
