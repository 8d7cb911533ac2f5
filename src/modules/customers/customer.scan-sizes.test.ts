import { describe, expect, it } from 'vitest';
import { recentSize } from './customer.scan-sizes.js';

describe('recentSize', () => {
  it('measures once a minute per key, and again once the minute is over', async () => {
    const key = `test-${Math.random()}`;
    let measured = 0;
    const measure = async () => ++measured * 100;
    expect(await recentSize(key, measure, 1_000)).toBe(100);
    expect(await recentSize(key, measure, 60_999)).toBe(100);
    expect(await recentSize(`${key}-other`, measure, 1_000)).toBe(200);
    expect(await recentSize(key, measure, 61_000)).toBe(300);
    expect(measured).toBe(3);
  });

  it('keeps at most 2,000 sizes, dropping the oldest', async () => {
    const prefix = `bounded-${Math.random()}`;
    let measured = 0;
    const measure = async () => ++measured;
    for (let i = 0; i < 2_001; i++) await recentSize(`${prefix}-${i}`, measure, 5_000);
    expect(measured).toBe(2_001);
    await recentSize(`${prefix}-2000`, measure, 5_000); // still kept
    expect(measured).toBe(2_001);
    await recentSize(`${prefix}-0`, measure, 5_000); // dropped: measured again
    expect(measured).toBe(2_002);
  });
});
