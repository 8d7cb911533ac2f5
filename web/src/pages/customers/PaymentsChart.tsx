import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Transaction } from '../../api/types';
import { EmptyState } from '../../components/States';
import { plural } from '../../lib/format';
import { formatMoney, minorDigits } from '../../lib/money';

interface Bucket {
  key: string;
  label: string;
  minor: number;
  value: number;
  count: number;
}

const DAY = 86_400_000;

/**
 * Successful payments per day (per month over spans longer than ~6 weeks), in the brand's base currency:
 * each payment counts at the amount it was worth when it succeeded, as total spent does.
 */
export function bucketPayments(transactions: Transaction[], currency: string): Bucket[] {
  const paid = transactions.filter((t) => t.type === 'payment' && t.succeeded_at);
  if (paid.length === 0) return [];
  const times = paid.map((t) => Date.parse(t.succeeded_at!));
  const last = Math.max(...times);
  const daily = last - Math.min(...times) <= 45 * DAY;
  // Two weeks at least, so a first payment is seen against the days around it rather than as one wide bar.
  const first = daily ? Math.min(...times, last - 13 * DAY) : Math.min(...times);
  const keyOf = (time: number) => new Date(time).toISOString().slice(0, daily ? 10 : 7);
  const labelFormat = new Intl.DateTimeFormat(
    undefined,
    daily ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { month: 'short', year: 'numeric', timeZone: 'UTC' },
  );

  const buckets = new Map<string, Bucket>();
  // Every day (month) in the span, so gaps show as gaps.
  for (let cursor = new Date(keyOf(first) + (daily ? 'T00:00:00Z' : '-01T00:00:00Z')); cursor.getTime() <= last;) {
    const key = keyOf(cursor.getTime());
    buckets.set(key, { key, label: labelFormat.format(cursor), minor: 0, value: 0, count: 0 });
    if (daily) cursor = new Date(cursor.getTime() + DAY);
    else cursor = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
  }
  const scale = 10 ** minorDigits(currency);
  paid.forEach((t, i) => {
    const bucket = buckets.get(keyOf(times[i]!));
    const minor =
      t.base_amount?.currency === currency
        ? t.base_amount.amount
        : t.amount.currency === currency
          ? t.amount.amount
          : 0;
    if (!bucket) return;
    bucket.minor += minor;
    bucket.value = bucket.minor / scale;
    bucket.count += 1;
  });
  return [...buckets.values()];
}

/** "Mar 2026: BDT 1,200.00 from 3 payments", or "Nov 21: no payments". */
export function bucketSummary(bucket: Bucket, currency: string): string {
  if (bucket.count === 0) return `${bucket.label}: no payments`;
  return `${bucket.label}: ${formatMoney({ amount: bucket.minor, currency })} from ${plural(bucket.count, 'payment')}`;
}

export default function PaymentsChart({ transactions, currency }: { transactions: Transaction[]; currency: string }) {
  const data = bucketPayments(transactions, currency);
  if (data.length === 0) {
    return (
      <EmptyState title="No payments yet">A chart of this customer's payments appears after the first one.</EmptyState>
    );
  }
  const total = data.reduce((sum, b) => sum + b.minor, 0);
  const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  return (
    <figure
      className="chart"
      aria-label={`Payments over time: ${formatMoney({ amount: total, currency })} in ${plural(
        data.reduce((n, b) => n + b.count, 0),
        'payment',
      )}`}
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="label"
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
            minTickGap={16}
          />
          <YAxis
            tickLine={false}
            axisLine={false}
            width={48}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
            tickFormatter={(v: number) => compact.format(v)}
          />
          <Tooltip
            cursor={{ fill: 'var(--accent-soft)' }}
            content={({ active, payload }) => {
              const bucket = payload?.[0]?.payload as Bucket | undefined;
              return active && bucket ? <p className="chart-tooltip">{bucketSummary(bucket, currency)}</p> : null;
            }}
          />
          <Bar dataKey="value" fill="var(--accent)" radius={[4, 4, 0, 0]} maxBarSize={36} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
