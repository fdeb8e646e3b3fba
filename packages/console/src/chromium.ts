import { existsSync } from 'node:fs';

/**
 * How the console's tests and bench start Debian's Chromium (no browser download is
 * reachable here): headless, without the sandbox (they run as root), and without the
 * background networking that would call home through this machine's closed network.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Debian's Chromium binary, if installed (`apt-get install chromium`; .ci/run does it). */
export function chromiumPath(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}
