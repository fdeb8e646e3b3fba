import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

function parseMessage(line: string): { type: string } | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' &&
      value !== null &&
      typeof (value as { type?: unknown }).type === 'string'
      ? (value as { type: string })
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A child Node.js process that speaks JSON lines on stdout (messages with a `type`) and takes
 * text lines on stdin. Its stderr is passed through, so its failures show where they happen.
 */
export class JsonChild<M extends { type: string }> {
  private readonly queue: M[] = [];
  private waiter: (() => void) | undefined;
  private exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(script: URL, args: readonly string[], execArgv: readonly string[] = []) {
    this.child = spawn(process.execPath, [...execArgv, script.pathname, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const message = parseMessage(line);
      if (message === undefined) {
        console.log(line); // the child's own output (a log line), not a message
        return;
      }
      this.queue.push(message as M);
      this.waiter?.();
    });
    this.child.stdin!.on('error', () => {}); // a child that died is reported by `next`, not by a write
    // 'close' comes after the child's stdout is read to the end, so no last message is lost.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => {
        this.exitCode = code;
        this.waiter?.();
        resolve(code);
      }),
    );
  }

  /** The next message of the given type (earlier messages of other types are dropped). */
  async next<T extends M['type']>(type: T): Promise<Extract<M, { type: T }>> {
    for (;;) {
      const message = this.queue.shift();
      if (message?.type === type) return message as Extract<M, { type: T }>;
      if (message) continue;
      if (this.exitCode !== undefined)
        throw new Error(
          `${this.child.spawnargs.slice(1).join(' ')} exited (code ${this.exitCode}) before sending "${type}"`,
        );
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Closes stdin and waits for the exit; kills the process if it has not exited after `ms`. */
  async end(ms = 30_000): Promise<number | null> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
