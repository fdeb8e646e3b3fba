import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the summary needs. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  /** Microseconds on the monotonic clock (`process.hrtime`). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly ms: number;
  /** Of the thread's busy (non-idle) time. */
  readonly share: number;
}

export interface ThreadProfile {
  /** `main` or `thread <id>` (the verification workers). */
  readonly thread: string;
  readonly sampledMs: number;
  readonly busyMs: number;
  /** Functions by self time. */
  readonly self: readonly FunctionTime[];
  /** Pujiang functions by inclusive time (callees included): which stage the time is spent in. */
  readonly inclusive: readonly FunctionTime[];
}

const NOT_BUSY = new Set(['(idle)', '(program)']);

function label(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url.replace(/^.*\/(packages|node_modules)\//, '').replace(/^file:\/\//, '');
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

function top(times: Map<string, number>, busyUs: number, n: number): FunctionTime[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / busyUs }));
}

/**
 * Self and inclusive time per function over the samples taken in [fromUs, toUs] (monotonic
 * microseconds); each sample is charged the time until the next one.
 */
export function summarizeProfile(
  path: string,
  window: { fromUs: number; toUs: number },
  n: number,
): Omit<ThreadProfile, 'thread'> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let sampledUs = 0;
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (at < window.fromUs || at > window.toUs) return;
    const name = label(byId.get(id)!.callFrame);
    sampledUs += us;
    if (NOT_BUSY.has(name)) return;
    busyUs += us;
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)!.callFrame;
      const f = label(frame);
      if (seen.has(f) || !frame.url.includes('/packages/')) continue;
      seen.add(f);
      inclusive.set(f, (inclusive.get(f) ?? 0) + us);
    }
  });
  return {
    sampledMs: sampledUs / 1000,
    busyMs: busyUs / 1000,
    self: top(self, busyUs, n),
    inclusive: top(inclusive, busyUs, n),
  };
}

/** Every thread's profile in a `--cpu-prof-dir`; files are CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile. */
export function summarizeProfiles(
  dir: string,
  window: { fromUs: number; toUs: number },
  n = 12,
): ThreadProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => {
      const thread = f.split('.')[4];
      return {
        thread: thread === '0' ? 'main' : `thread ${thread}`,
        ...summarizeProfile(join(dir, f), window, n),
      };
    });
}

/** A readable summary of every thread: busy share, top self time, and Pujiang functions by inclusive time. */
export function formatProfiles(title: string, profiles: readonly ThreadProfile[]): string {
  const lines: string[] = [];
  const row = (f: FunctionTime) =>
    `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`;
  for (const p of profiles) {
    const busy = p.sampledMs > 0 ? (100 * p.busyMs) / p.sampledMs : 0;
    lines.push(
      `\n${title}, ${p.thread}: busy ${busy.toFixed(0)}% of ${p.sampledMs.toFixed(0)} ms`,
      '  self time (share of busy):',
      ...p.self.map(row),
      '  inclusive, Pujiang code:',
      ...p.inclusive.map(row),
    );
  }
  return lines.join('\n');
}

/** `root/name`, emptied (so it holds this run's profiles only), or undefined when not profiling. */
export function freshProfileDir(root: string | undefined, name: string): string | undefined {
  if (root === undefined) return undefined;
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
