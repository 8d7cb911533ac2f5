import type { KeyPurpose } from '../../crypto/keyring.js';
import { EXIT, formatCount } from '../output.js';

/** One brand's rotation as the CLI reports it, whether it ran here or in the server. */
export interface RotationSummary {
  merchantId: string;
  purpose: KeyPurpose;
  status: 'completed' | 'stopped' | 'needs_attention' | 'failed';
  resumed: boolean;
  activeKeyId: number | null;
  done: number;
  total: number;
  retiredKeyIds: number[];
  pendingKeyIds: number[];
  problems: Array<{ customerId: string; reason: string; otherCustomerId?: string | null | undefined }>;
  error?: string | null | undefined;
}

const VERB: Record<KeyPurpose, string> = { data: 're-encrypted', index: 're-indexed' };

export function progressText(p: {
  merchantId: string;
  purpose: KeyPurpose;
  phase: string | null;
  done: number;
  total: number;
}): string {
  const rows = `${p.merchantId}: ${formatCount(p.done)} / ${formatCount(p.total)} rows ${VERB[p.purpose]}`;
  if (p.phase === 'settling') return `${rows}; waiting for every server to pick up the new ${p.purpose} key`;
  if (p.phase === 'retiring') return `${rows}; retiring the old key`;
  return rows;
}

export function summaryText(s: RotationSummary, resumeCommand: string): string {
  const what = s.purpose === 'data' ? 'data key' : 'index key';
  const rows = `${formatCount(s.done)} rows ${VERB[s.purpose]}`;
  switch (s.status) {
    case 'completed': {
      const retired = s.retiredKeyIds.length
        ? `; retired ${plural('key', s.retiredKeyIds)} (key material destroyed)`
        : '';
      return `${s.merchantId}: done. ${cap(what)} ${s.activeKeyId} is active${retired}; ${rows}.\n`;
    }
    case 'stopped':
      return (
        `${s.merchantId}: stopped after ${formatCount(s.done)} of ${formatCount(s.total)} rows. Nothing is lost and every row ` +
        `stays readable; resume with:\n  ${resumeCommand}\n`
      );
    case 'needs_attention': {
      const lines = [
        `${s.merchantId}: ${rows}, but ${plural('key', s.pendingKeyIds)} still in use, so kept (decrypt-only).`,
      ];
      for (const p of s.problems) {
        lines.push(
          p.reason === 'duplicate_email'
            ? `  ${p.customerId} has the same email as ${p.otherCustomerId ?? 'another customer'}: merge them`
            : `  ${p.customerId} does not decrypt (damaged or copied ciphertext): restore or delete it`,
        );
      }
      if (s.problems.length === 0) lines.push('  rows were being written under the old key meanwhile');
      lines.push(`Then finish with:\n  ${resumeCommand}`);
      return lines.join('\n') + '\n';
    }
    case 'failed':
      return `${s.merchantId}: ${s.error ?? 'the rotation failed'}\n`;
  }
}

export function exitCodeOf(summaries: RotationSummary[]): number {
  if (summaries.some((s) => s.status === 'failed')) return EXIT.error;
  if (summaries.some((s) => s.status === 'stopped')) return EXIT.stopped;
  if (summaries.some((s) => s.status === 'needs_attention')) return EXIT.needsAttention;
  return EXIT.ok;
}

function plural(noun: string, ids: number[]): string {
  return `${noun}${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
