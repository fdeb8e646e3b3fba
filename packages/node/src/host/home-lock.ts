import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PujiangError } from '@pujiang/types';

/**
 * One running node per home: `node.lock` holds the pid of the process that runs it, created
 * exclusively. Two processes on one home would share one signer record and one WAL, and
 * could sign two values for one step; the second start refuses with `NODE_HOME_LOCKED`. A
 * lock left by a process that died (kill -9, power loss) is taken over: its pid is gone, or
 * now runs something that is not Node.js (a pid reused by another Node.js process keeps the
 * home locked; the error says which file to remove).
 */
export function lockHome(home: string): () => void {
  const path = join(home, 'node.lock');
  // The lock appears with its content whole: written aside, then linked into place.
  const mine = `${path}.${process.pid}.${randomUUID()}`;
  writeFileSync(mine, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`, {
    mode: 0o600,
  });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, path);
        return releaseOf(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = holderOf(path);
      if (holder !== undefined && holder !== process.pid && runsNode(holder))
        throw new PujiangError(
          'NODE_HOME_LOCKED',
          `another process (pid ${holder}) runs the node of ${home}; if none does, remove ${path}`,
          { home, pid: holder, lock: path },
        );
      takeOverStale(path, holder);
    }
  } finally {
    unlinkSync(mine);
  }
  throw new PujiangError('NODE_HOME_LOCKED', `cannot take the lock of ${home}`, { home, lock: path });
}

/**
 * Moves a stale lock aside (atomically, so two starters cannot both remove it) and drops it,
 * unless what was moved is not the lock judged stale (another starter took it over meanwhile):
 * that one is put back.
 */
function takeOverStale(path: string, judged: number | undefined): void {
  const aside = `${path}.stale.${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first; try again
  }
  if (holderOf(aside) !== judged) {
    try {
      linkSync(aside, path);
    } catch {
      // the place was taken again: that lock stands
    }
  }
  unlinkSync(aside);
}

function releaseOf(path: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (existsSync(path) && holderOf(path) === process.pid) unlinkSync(path);
  };
}

function holderOf(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid;
    return Number.isSafeInteger(pid) ? (pid as number) : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
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
