import type { KeyStatusView } from '../../modules/keys/index.js';
import { CliError, UsageError } from '../command.js';
import type { ServerClient } from '../server-client.js';

/** The options every `keys …` command takes. */
export const KEYS_OPTIONS = {
  brand: { type: 'string' },
  batch: { type: 'string' },
  json: { type: 'boolean' },
  server: { type: 'string' },
} as const;

/** --brand and --batch, checked before anything is opened. */
export function keysArguments(values: { brand?: string | undefined; batch?: string | undefined }): {
  brand: string | undefined;
  batchSize: number | undefined;
} {
  let batchSize: number | undefined;
  if (values.batch !== undefined) {
    batchSize = Number(values.batch);
    if (!/^\d+$/.test(values.batch) || batchSize < 1 || batchSize > 5000)
      throw new UsageError('--batch must be a whole number from 1 to 5000');
  }
  if (values.brand !== undefined && !/^brd_[0-9a-z]{26}$/.test(values.brand))
    throw new UsageError(`--brand ${values.brand} is not a brand id (brd_…)`);
  return { brand: values.brand, batchSize };
}

/** Through the server: the status of the API key's brand, checked against --brand. */
export async function remoteBrandStatus(client: ServerClient, brand: string | undefined): Promise<KeyStatusView> {
  const { body } = await client.call<KeyStatusView>('GET', '/api/v1/keys');
  if (brand !== undefined && brand !== body.merchant_id) {
    throw new CliError(
      `PAYDESK_API_KEY belongs to brand ${body.merchant_id}, not ${brand}; through the server a command works on the key's own brand`,
    );
  }
  return body;
}
