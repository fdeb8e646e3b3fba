import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { issuerError } from './issuer-record.js';
import { processEnded, tryLock } from './lock-file.js';
import type { LocalNet } from './network.js';

const LOCK_FILE = 'market-regulator.lock';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding the network's issuer lock, a file naming its process. A lock left by a
 * process that is gone (a crashed run) is ONBOARD_ISSUER_BUSY at once, naming the file to
 * remove: taking it over would race with another onboarding doing the same. One held past
 * `limitMs` is ONBOARD_ISSUER_BUSY too. Failing to write the lock for another reason than its
 * existence (a missing or read-only home) is that error, not "busy".
 */
export async function withIssuerLock<T>(net: LocalNet, limitMs: number, fn: () => Promise<T>): Promise<T> {
  const lock = join(net.home, LOCK_FILE);
  const deadline = Date.now() + limitMs;
  while (!tryLock(lock)) {
    const stale = staleLock(lock);
    if (stale !== undefined || Date.now() > deadline)
      throw issuerError(
        'ONBOARD_ISSUER_BUSY',
        stale !== undefined
          ? `${lock} was left by process ${stale}, which has ended: remove it and run again`
          : `${lock} is held by another onboarding (remove it if none runs)`,
        { lock },
      );
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The process that left a lock and has ended since (a crashed or killed onboarding), if so. */
function staleLock(lock: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  } catch {
    return undefined; // released meanwhile
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return processEnded(pid) ? pid : undefined;
}
