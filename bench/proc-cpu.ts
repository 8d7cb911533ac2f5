import fs from 'node:fs';
import type pg from 'pg';

/**
 * CPU time read from /proc, for benches whose server, PostgreSQL and load all run on this machine.
 * Linux only: where /proc cannot be read, countCpu gives no figures and the reports leave them out.
 */

// USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux.
const MS_PER_TICK = 10;

/** User + system CPU of a process, all its threads, in ms; 0 when it cannot be read. */
export function processCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/** The PostgreSQL processes that work for `pool`'s database: its backends and the server's own (WAL writer, checkpointer, …). */
export async function postgresPids(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL',
  );
  return rows.map((row) => row.pid);
}

/** User + system CPU of this process's children that have ended and been waited for, in ms. */
export function endedChildrenCpuMs(): number {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the whole machine, in ms, from /proc/stat's first line. */
export function machineMs(): { busy: number; total: number } {
  try {
    const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const values = ticks.map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: (total - idle) * MS_PER_TICK, total: total * MS_PER_TICK };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Where a load window's CPU went: ms of each party, and how busy the machine was. */
export interface CpuSpent {
  serverMs: number;
  postgresMs: number;
  /** This process: the load generator (autocannon's worker or the SQL replays). */
  clientMs: number;
  /** Share of the machine's CPU time that was busy, 0–1. */
  machineBusy: number;
}

/**
 * Starts counting the CPU of the server process, of PostgreSQL (the processes `pool` names, at the
 * start and at the end: a backend that opened meanwhile counts whole) and of this process.
 */
export async function countCpu(
  serverPid: number | undefined,
  pool: pg.Pool,
): Promise<{ stop(): Promise<CpuSpent | undefined> }> {
  if (machineMs().total === 0) return { stop: () => Promise.resolve(undefined) };
  const postgresAt = async () => new Map((await postgresPids(pool)).map((pid) => [pid, processCpuMs(pid)]));
  const serverStart = serverPid === undefined ? 0 : processCpuMs(serverPid);
  const postgresStart = await postgresAt();
  const clientStart = process.cpuUsage();
  const machineStart = machineMs();
  return {
    async stop() {
      const client = process.cpuUsage(clientStart);
      const machine = machineMs();
      const postgresEnd = await postgresAt();
      let postgresMs = 0;
      for (const [pid, ms] of postgresEnd) postgresMs += ms - (postgresStart.get(pid) ?? 0);
      const total = machine.total - machineStart.total;
      return {
        serverMs: serverPid === undefined ? 0 : processCpuMs(serverPid) - serverStart,
        postgresMs,
        clientMs: (client.user + client.system) / 1000,
        machineBusy: total > 0 ? (machine.busy - machineStart.busy) / total : 0,
      };
    },
  };
}
