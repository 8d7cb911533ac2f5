import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { endedChildrenCpuMs, machineMs, processCpuMs } from '../bench/proc-cpu.js';

/** Spins until this process has used `ms` of CPU: wall time alone gives less on a loaded machine. */
function spin(ms: number): void {
  const start = process.cpuUsage();
  const used = () => {
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  };
  while (used() < ms) Math.sqrt(Math.random());
}

describe.runIf(process.platform === 'linux')('the benches read CPU time from /proc', () => {
  it("counts a process's CPU, a waited-for child's, and the machine's busy time", () => {
    const own = processCpuMs(process.pid);
    const children = endedChildrenCpuMs();
    const machine = machineMs();
    spin(300);
    const child = spawnSync(process.execPath, [
      '-e',
      'const s = process.cpuUsage(); while (((u) => u.user + u.system)(process.cpuUsage(s)) < 300_000);',
    ]);
    expect(child.status).toBe(0);
    // Ticks are 10 ms: 300 ms of CPU reads as at least 200 whatever the rounding and the machine's load.
    expect(processCpuMs(process.pid) - own).toBeGreaterThanOrEqual(200);
    expect(endedChildrenCpuMs() - children).toBeGreaterThanOrEqual(200);
    expect(machineMs().busy - machine.busy).toBeGreaterThanOrEqual(400);
  });

  it('reads 0 for a process that does not exist', () => {
    expect(processCpuMs(2 ** 30)).toBe(0);
  });
});
