import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc's CPU times (almost always 100). */
let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU (user + system, all threads) and peak resident memory of another process, from Linux's /proc. */
export interface ProcSample {
  readonly atMs: number;
  readonly cpuMicros: number;
  readonly peakRssBytes: number;
}

/** Samples process `pid` (Linux only: undefined where there is no /proc or no such process). */
export function procSample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return {
      atMs: performance.now(),
      cpuMicros: (ticks * 1e6) / clockTicks(),
      peakRssBytes: hwm ? Number(hwm[1]) * 1024 : 0,
    };
  } catch {
    return undefined;
  }
}

/** Bytes a directory tree takes on disk (allocated blocks, so sparse and preallocated files count as stored). */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskBytes(path);
    else if (entry.isFile()) total += statSync(path).blocks * 512;
  }
  return total;
}
