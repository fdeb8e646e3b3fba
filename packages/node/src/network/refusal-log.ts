/** How often refused connections are summed up in the log. */
const INTERVAL_MS = 10_000;

/**
 * Refused connections, counted by code and logged as one line per interval: a flood of
 * refusals must not become a flood of log lines (disk and CPU an outsider could spend).
 */
export class RefusalLog {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: (line: string) => void) {}

  add(code: string, what = 'connection'): void {
    const key = `${code} (${what})`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.timer ??= setTimeout(() => this.flush(), INTERVAL_MS).unref();
  }

  private flush(): void {
    this.timer = undefined;
    const parts = [...this.counts].map(([key, n]) => `${n} ${key}`);
    this.counts = new Map();
    if (parts.length > 0) this.log(`p2p: refused ${parts.join(', ')} in the last ${INTERVAL_MS / 1000} s`);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
