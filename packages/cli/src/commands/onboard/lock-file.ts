import { writeFileSync } from 'node:fs';

/**
 * The lock files of onboarding (an enterprise's directory, a network's issuer): a file naming
 * the process that holds it, created exclusively, so of two processes only one gets it.
 */

/** Creates `lock` naming this process: false if it exists already; failing for another reason throws. */
export function tryLock(lock: string): boolean {
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** Whether process `pid` is gone (signal 0 finds none): a lock naming it was left by a crash. */
export function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
