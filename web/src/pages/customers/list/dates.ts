/*
 * The filters pick calendar days in the person's own time zone; the API takes instants. A range's upper
 * bound is exclusive, so "until 31 Jan" is sent as "before 1 Feb 00:00".
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function localMidnight(day: string): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-01-31" → the instant that day starts here; undefined for an empty or bad day. */
export function dayStart(day: string): string | undefined {
  return localMidnight(day)?.toISOString();
}

/** "2026-01-31" → the instant the next day starts (an exclusive upper bound that includes the 31st). */
export function dayEnd(day: string): string | undefined {
  const date = localMidnight(day);
  if (!date) return undefined;
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

function toDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day an instant falls on here ("" without one): a date input's value. */
export function isoToDay(iso: string | undefined): string {
  return iso ? toDay(new Date(iso)) : '';
}

/** The last day an exclusive upper bound includes. */
export function isoToLastDay(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  date.setMilliseconds(date.getMilliseconds() - 1);
  return toDay(date);
}

/** Whole days from an instant to the start of today (the N of "no payment in N days"). */
export function daysBefore(iso: string, now = new Date()): number {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((today.getTime() - new Date(iso).getTime()) / 86_400_000);
}
