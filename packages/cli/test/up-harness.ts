import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { MAIN, until } from './node-harness.js';

/** Runs `pujiang up` as a test's child process and reads its JSON lines. */
export interface UpNode {
  name: string;
  api: string;
  p2p: string;
  pid: number;
}

export interface UpProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** The JSON lines printed on stdout so far. */
  readonly events: Record<string, unknown>[];
  stderr(): string;
}

export function startUp(...args: string[]): UpProcess {
  const child = spawn(process.execPath, [MAIN, 'up', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
    const lines = out.split('\n');
    out = lines.pop()!;
    for (const line of lines) events.push(JSON.parse(line));
  });
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, events, stderr: () => err };
}

export async function upEvent(p: UpProcess): Promise<{ chainId: string; network: string; nodes: UpNode[] }> {
  let code: number | null | undefined;
  void p.exited.then((c) => {
    code = c;
  });
  return until(() => {
    if (code !== undefined) throw new Error(`up exited (${code}): ${p.stderr()}`);
    return p.events.find((e) => e.event === 'up') as any;
  }, 60_000).catch((error) => {
    throw new Error(`${(error as Error).message}\n${p.stderr()}`);
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A random base port with the 2n ports from it free. Below the ephemeral ranges (Linux 32768+,
 * macOS 49152+), so no outgoing connection takes one of them between this probe and the bind.
 */
export async function freeBase(n: number, stride = 0, groups = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    // `groups` ranges of 2n ports, `stride` apart (the chains of `up --chains`).
    const ports = Array.from({ length: groups }, (_, g) =>
      Array.from({ length: 2 * n }, (_, i) => base + g * stride + i),
    ).flat();
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range');
}
