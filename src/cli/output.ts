/** Where the CLI writes: process.stdout/stderr, or buffers in tests. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** Every command's exit status (the help lists them). */
export const EXIT = { ok: 0, error: 1, usage: 2, needsAttention: 3, stopped: 130 } as const;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
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

  update(text: string, phase: string | null): void {
    if (text === this.lastText) return;
    if (this.err.isTTY) {
      this.err.write(`\r\x1b[2K${text}`);
    } else if (phase !== this.lastPhase || this.now() - this.lastAt >= 2_000) {
      this.err.write(`${text}\n`);
      this.lastAt = this.now();
    }
    this.lastText = text;
    this.lastPhase = phase;
  }

  /** Ends the in-place line before other output. */
  done(): void {
    if (this.err.isTTY && this.lastText) this.err.write('\n');
    this.lastText = '';
    this.lastPhase = null;
  }
}
