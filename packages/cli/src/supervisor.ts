import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommandIo } from '@pujiang/cli-kit';

/** How a child ended: its exit code, or the signal that ended it. */
export interface ChildExit {
  readonly name: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly closed: Promise<void>;
  exit?: ChildExit;
}

export const describeExit = (exit: ChildExit) =>
  exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;

/**
 * Runs named child processes of this Node.js: their stdout and stderr lines go to our
 * stderr prefixed with the name (our stdout stays for machine-readable lines), and each
 * exit is reported once, after its last output line.
 */
export class Supervisor {
  private readonly children: Child[] = [];

  constructor(
    private readonly io: CommandIo,
    private readonly onExit: (exit: ChildExit) => void,
  ) {}

  /** Processes still running. */
  get running(): number {
    return this.children.filter((c) => c.exit === undefined).length;
  }

  isRunning(name: string): boolean {
    return this.children.some((c) => c.name === name && c.exit === undefined);
  }

  pidOf(name: string): number | undefined {
    return this.children.find((c) => c.name === name)?.process.pid;
  }

  start(name: string, args: readonly string[]): void {
    // Detached (its own process group): a terminal's Ctrl-C reaches only us, so every stop goes
    // through stopAll and a child that exits on its own really did exit unexpectedly.
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const prefix = (stream: Readable) =>
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
        this.io.err(`[${name}] ${line}`),
      );
    prefix(child.stdout!);
    prefix(child.stderr!);
    const entry: Child = {
      name,
      process: child,
      closed: new Promise((resolve) => {
        const finish = (exit: ChildExit) => {
          if (entry.exit !== undefined) return;
          entry.exit = exit;
          resolve();
          this.onExit(exit);
        };
        // 'close' comes after the child's streams ended, so its last lines are already printed.
        child.on('close', (code, signal) => finish({ name, code, signal }));
        child.on('error', (error) => {
          this.io.err(`[${name}] cannot run: ${error.message}`);
          if (child.pid === undefined) finish({ name, code: null, signal: null });
        });
      }),
    };
    this.children.push(entry);
  }

  /** SIGTERM to every running child, SIGKILL to those still running after `graceMs`; returns their names. */
  async stopAll(graceMs: number): Promise<string[]> {
    const live = this.children.filter((c) => c.exit === undefined);
    for (const c of live) c.process.kill('SIGTERM');
    const killed: string[] = [];
    const timer = setTimeout(() => {
      for (const c of live.filter((c) => c.exit === undefined)) {
        killed.push(c.name);
        c.process.kill('SIGKILL');
      }
    }, graceMs);
    await Promise.all(live.map((c) => c.closed));
    clearTimeout(timer);
    return killed;
  }

  /** SIGKILL to every running child now (a second Ctrl-C). */
  killAll(): void {
    for (const c of this.children) if (c.exit === undefined) c.process.kill('SIGKILL');
  }
}
