import { type CommandIo, EXIT, reportError } from '@pujiang/cli-kit';

export const MONITOR_USAGE = `pujiang monitor --node URL [--node URL ...] [--listen HOST:PORT] [--webhook URL]
        [--webhook-secret SECRET] [--cors ORIGIN ...] [--interval MS] [--expiry-warning DAYS] [--stall-ms MS] [--window BLOCKS] [--abuse-per-minute N]
  watches the nodes' public API and /metrics and raises alerts with their evidence: equivocation
  evidence on chain, banned or high-scoring peers, failed signature and membership checks by
  source, validators missing blocks, unreachable nodes, certificates and CAs near expiry or
  revoked, proposals in their time-lock, API abuse, a stalled chain. Serves GET /alerts,
  /metrics, /risk.json and /risk.html on --listen (default 127.0.0.1:26680; readable from the
  pages of each --cors origin only), POSTs alert changes to --webhook (signed with HMAC-SHA256 in
  x-pujiang-signature: sha256=<hex> under --webhook-secret), and prints {"event":"listening","url":...} once serving. Runs until
  SIGINT/SIGTERM. docs/monitoring.md
pujiang monitor report --node URL [--node URL ...] --out FILE [--expiry-warning DAYS]
  polls once and writes the risk report: JSON, or printable HTML when FILE ends in .html`;

/** Runs `pujiang monitor ...`; the monitor itself loads on first use (pujiang help stays light). */
export async function runMonitor(args: string[], io: CommandIo): Promise<number> {
  try {
    const { runMonitorCommand } = await import('./run.js');
    return await runMonitorCommand(args, io);
  } catch (error) {
    return reportError(io, error);
  }
}

export { EXIT };
