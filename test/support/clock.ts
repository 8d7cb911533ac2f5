/**
 * A clock a test sets (PaydeskOptions.clock): the server's time stands where the test put it, or
 * follows the system clock until then and after `reset`.
 */
export interface TestClock {
  now: () => Date;
  set(at: Date): void;
  reset(): void;
}

export function testClock(): TestClock {
  let fixed: Date | undefined;
  return {
    now: () => new Date(fixed ?? Date.now()),
    set: (at) => {
      fixed = at;
    },
    reset: () => {
      fixed = undefined;
    },
  };
}
