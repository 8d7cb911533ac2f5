import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalRate, convertMinor, isRate, proportionalMinor } from './exchange.js';
import { isCurrency, minorDigits } from './currency.js';

describe('currencies', () => {
  it('knows ISO 4217 codes and their minor units', () => {
    expect(isCurrency('BDT')).toBe(true);
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('usd')).toBe(false);
    expect(minorDigits('BDT')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
  });
});

describe('exchange', () => {
  it('accepts positive decimal rates only', () => {
    expect(isRate('117.25')).toBe(true);
    expect(isRate('0.0081')).toBe(true);
    expect(isRate('0')).toBe(false);
    expect(isRate('0.000')).toBe(false);
    expect(isRate('-1')).toBe(false);
    expect(isRate('1e3')).toBe(false);
    expect(isRate('01.5')).toBe(false);
    expect(canonicalRate('117.250')).toBe('117.25');
    expect(canonicalRate('2.000')).toBe('2');
  });

  it('converts between currencies of different minor units exactly', () => {
    // $10.00 at 117.25 BDT/USD = ৳1172.50
    expect(convertMinor(1000, '117.25', 'USD', 'BDT')).toBe(117250);
    // ¥1000 at 0.78 BDT/JPY = ৳780.00
    expect(convertMinor(1000, '0.78', 'JPY', 'BDT')).toBe(78000);
    // 1.234 BHD at 311.1 BDT/BHD = ৳383.8974 → ৳383.90
    expect(convertMinor(1234, '311.1', 'BHD', 'BDT')).toBe(38390);
    // half up: 1 cent at 0.5 → 0.5 → 1
    expect(convertMinor(1, '0.5', 'USD', 'USD')).toBe(1);
    expect(convertMinor(1, '0.49', 'USD', 'USD')).toBe(0);
  });

  it('never drifts from exact decimal arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (amount, rateTenThousandths) => {
          const rate = (rateTenThousandths / 10_000).toFixed(4);
          const exact = (BigInt(amount) * BigInt(rateTenThousandths) * 2n + 10_000n) / 20_000n;
          expect(convertMinor(amount, rate, 'USD', 'EUR')).toBe(Number(exact));
        },
      ),
    );
  });

  it('splits a payment into refunds whose base shares add up', () => {
    expect(proportionalMinor(500, 1000, 117250)).toBe(58625);
    expect(proportionalMinor(1, 3, 100)).toBe(33);
  });
});
