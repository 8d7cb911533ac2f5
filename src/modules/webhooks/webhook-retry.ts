const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The wait after each failed attempt: the first retry within a minute, then doubling or so, eleven
 * retries over about three days (70 h 42 min), twelve attempts in all. Then the delivery is failed
 * and waits for a manual resend.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  30_000,
  2 * MINUTE_MS,
  10 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  4 * HOUR_MS,
  8 * HOUR_MS,
  12 * HOUR_MS,
  18 * HOUR_MS,
  24 * HOUR_MS,
];

/** When to try again: the delay, less up to a tenth at random so a receiver's many failures spread out. */
export function retryAt(at: Date, delayMs: number, random: () => number = Math.random): Date {
  return new Date(at.getTime() + delayMs - Math.floor(delayMs * 0.1 * random()));
}
