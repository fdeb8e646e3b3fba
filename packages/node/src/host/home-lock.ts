import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PujiangError } from '@pujiang/types';

/**
 * One running node per home: `node.lock` holds the pid of the process that runs it, created
 * exclusively. Two processes on one home would share one signer record and one WAL, and
 * could sign two values for one step; the second start refuses with `NODE_HOME_LOCKED`. A
 * lock left by a process that died (kill -9, power loss) is taken over: its pid is gone, or
 * now runs something that is not Node.js.
 */
export function lockHome(home: string): () => void {
  const path = join(home, 'node.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (ownedBy(path, process.pid)) unlinkSync(path);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(path);
    if (holder !== undefined && holder !== process.pid && runsNode(holder))
      throw new PujiangError('NODE_HOME_LOCKED', `another process (pid ${holder}) runs the node of ${home}`, {
        home,
        pid: holder,
      });
    try {
      unlinkSync(path); // stale: its process is gone
    } catch {
      // another starter removed it first; try again
    }
  }
  throw new PujiangError('NODE_HOME_LOCKED', `cannot take the lock of ${home}`, { home });
}

function holderOf(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid;
    return Number.isSafeInteger(pid) ? (pid as number) : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function ownedBy(path: string, pid: number): boolean {
  return existsSync(path) && holderOf(path) === pid;
}

/** Whether `pid` is alive and, where /proc says, a Node.js process (not a reused pid). */
function runsNode(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
  try {
    return /node/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc: alive is enough
  }
}
