import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The three headers of the Standard Webhooks specification, signed by the library its receivers
 * verify with. During a rotation's overlap both secrets sign: `webhook-signature` holds both
 * signatures, space-separated, and a receiver with either secret accepts.
 */
export function signedHeaders(
  p: { eventId: string; at: Date; body: string },
  secrets: readonly string[],
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': p.eventId,
    'webhook-timestamp': String(Math.floor(p.at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(p.eventId, p.at, p.body)).join(' '),
  };
}
