import type { KeyPurpose } from '../crypto/keyring.js';

/** Where the CLI writes: process.stdout/stderr, or buffers in tests. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

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

export const EXIT = { ok: 0, error: 1, usage: 2, needsAttention: 3, stopped: 130 } as const;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
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

/**
 * Progress on stderr: one line rewritten in place on a terminal, otherwise a line when the phase
 * changes and at most one every two seconds, so a log file stays readable.
 */
export class ProgressPrinter {
  private lastText = '';
  private lastPhase: string | null = null;
  private lastAt = 0;

  constructor(
    private readonly err: Output,
    private readonly now: () => number = Date.now,
  ) {}

  update(p: Parameters<typeof progressText>[0]): void {
    const text = progressText(p);
    if (text === this.lastText) return;
    if (this.err.isTTY) {
      this.err.write(`\r\x1b[2K${text}`);
    } else if (p.phase !== this.lastPhase || this.now() - this.lastAt >= 2_000) {
      this.err.write(`${text}\n`);
      this.lastAt = this.now();
    }
    this.lastText = text;
    this.lastPhase = p.phase;
  }

  /** Ends the in-place line before other output. */
  done(): void {
    if (this.err.isTTY && this.lastText) this.err.write('\n');
    this.lastText = '';
    this.lastPhase = null;
  }
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

export interface StatusShape {
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

export function statusText(s: StatusShape): string {
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
