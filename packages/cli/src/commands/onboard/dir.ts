import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stepError } from './errors.js';
import { enterpriseFiles } from './files.js';
import { processEnded, tryLock } from './lock-file.js';
import { type OnboardingRecord, type OnboardingStatus, readSummary } from './record.js';

/** Holding an enterprise's directory: claimed by one run at a time, never over another enterprise. */

export const ENTERPRISE_LOCK = 'onboarding.lock';

/** A directory this run holds: `previous` is the onboarding it resumes, if any; `release` ends the hold. */
export interface EnterpriseDir {
  readonly dir: string;
  readonly previous: OnboardingRecord | undefined;
  release(): void;
}

/** Takes `dir`'s lock (a file naming this process, created exclusively): ONBOARD_BUSY if another run holds it. */
function lockDir(dir: string): () => void {
  const lock = join(dir, ENTERPRISE_LOCK);
  if (!tryLock(lock)) {
    const pid = Number.parseInt(readFileSync(lock, { encoding: 'utf8', flag: 'r' }) || '', 10);
    const alive = !processEnded(pid);
    throw stepError(
      'ONBOARD_BUSY',
      alive
        ? `another onboarding (process ${pid}) is working in ${dir}`
        : `${lock} was left by process ${pid}, which has ended: remove it and run again`,
      { dir, lock },
    );
  }
  return () => rmSync(lock, { force: true });
}

/**
 * Claims the enterprise's directory. It is made without `recursive` (its parent may be), so
 * of two runs given one name only one creates it; the other finds it (EEXIST) and, once it
 * holds the directory's lock, may resume an unfinished onboarding of the same name and
 * organization whose status is in `resumable`. Anything else there is ONBOARD_EXISTS: an
 * enterprise is never overwritten. An existing empty directory is taken as new.
 */
export function claimEnterpriseDir(
  dir: string,
  who: { name: string; org: string },
  resumable: readonly OnboardingStatus[],
): EnterpriseDir {
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  let created = true;
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  }
  const release = lockDir(dir);
  try {
    if (created || readdirSync(dir).every((f) => f === ENTERPRISE_LOCK))
      return { dir, previous: undefined, release };
    const previous = readSummary(dir);
    if (
      previous !== undefined &&
      resumable.includes(previous.status) &&
      previous.name === who.name &&
      previous.org === who.org
    )
      return { dir, previous, release };
    throw stepError(
      'ONBOARD_EXISTS',
      previous === undefined
        ? `${dir} already holds files and no onboarding; choose another --out or remove it`
        : previous.name !== who.name || previous.org !== who.org
          ? `${dir} holds the onboarding of ${previous.name} (${previous.org}); choose another --out`
          : previous.status === 'onboarded'
            ? `${dir} holds ${previous.name}, onboarded already; choose another --out or remove it`
            : `${dir} holds ${previous.name}'s onboarding, ${previous.status}: continue it with pujiang onboard finish --dir ${dir} --cert CERT.pem (or pujiang onboard on a local network)`,
      { dir, ...(previous ? { status: previous.status } : {}) },
    );
  } catch (error) {
    release();
    throw error;
  }
}

/** Holds an existing onboarding's directory to finish it: ONBOARD_NOT_REQUESTED unless its status is in `resumable`. */
export function holdEnterpriseDir(dir: string, resumable: readonly OnboardingStatus[]): EnterpriseDir {
  const notRequested = (why: string, details: Record<string, unknown> = {}) =>
    stepError('ONBOARD_NOT_REQUESTED', `${dir} ${why}`, { dir, ...details });
  if (!existsSync(enterpriseFiles(dir).summary))
    throw notRequested('holds no pending request (pujiang onboard request writes one)');
  const release = lockDir(dir);
  try {
    const previous = readSummary(dir)!;
    if (!resumable.includes(previous.status))
      throw notRequested(
        previous.status === 'onboarded'
          ? `holds ${previous.name}, onboarded already (a finished one is not finished again)`
          : `holds no complete request yet (status ${previous.status}): run pujiang onboard request again`,
        { status: previous.status },
      );
    return { dir, previous, release };
  } catch (error) {
    release();
    throw error;
  }
}
