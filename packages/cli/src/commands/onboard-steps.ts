import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandIo } from '@pujiang/cli-kit';
import {
  type CertificationRequest,
  certificateToPem,
  generateKeyPair,
  type KeyPair,
  parseCertificate,
  type SuiteId,
} from '@pujiang/crypto';
import { addressHex, type OrganizationCa } from '@pujiang/node';
import {
  createDid,
  didKeyOfChainKey,
  formatKeyFile,
  type Genesis,
  issueDocument,
  LightClient,
  type PujiangClient,
  registerIdentity,
  resolveDid,
  singleKeyDocument,
  verifyDocument,
} from '@pujiang/sdk';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { certifyRequest, nameProblem, readRequest, writeNew, writeRequest } from './cert-request.js';

/**
 * The steps of onboarding an enterprise, each on its own so the one-command local path and the
 * two-step production path (`onboard request`, then `onboard finish`) share them, and the
 * timer that prints one JSON line per step with its milliseconds.
 */

export type OnboardStepErrorCode =
  | 'ONBOARD_EXISTS'
  | 'ONBOARD_BUSY'
  | 'ONBOARD_BAD_NAME'
  | 'ONBOARD_BAD_SUMMARY'
  | 'ONBOARD_NOT_REQUESTED'
  | 'ONBOARD_WRONG_KEY'
  | 'ONBOARD_NOT_COMMITTED'
  | 'ONBOARD_LICENCE_INVALID';

const stepError = (code: OnboardStepErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new PujiangError<OnboardStepErrorCode>(code, message, details);

/** What an enterprise's directory holds. */
export const enterpriseFiles = (dir: string) => ({
  key: join(dir, 'key.json'),
  request: join(dir, 'request.pem'),
  certificate: join(dir, 'certificate.pem'),
  did: join(dir, 'did.json'),
  licence: join(dir, 'licence.json'),
  summary: join(dir, 'onboarding.json'),
});

/** A directory name from the enterprise's name: letters (any script) and digits, dashes between. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'enterprise' : slug.slice(0, 64);
}

/**
 * The enterprise's name as `--name` gives it: it becomes the request's CN and the licence's
 * legal name, so it is checked before anything is written (ONBOARD_BAD_NAME): 1 to 64
 * characters, no control or bidirectional-override characters. `--org` likewise.
 */
export function checkName(value: string, option: 'name' | 'org'): string {
  const problem = nameProblem(value);
  if (problem)
    throw stepError('ONBOARD_BAD_NAME', `--${option} ${JSON.stringify(value)} is refused: ${problem}`, {
      option,
    });
  return value;
}

/**
 * Where an onboarding stands, in onboarding.json, written (atomically) as each step completes:
 * `started` (the directory is this enterprise's; key and request may be under way),
 * `requested` (key and request done; the production path waits for the admin's certificate),
 * `in-progress` (a later step done, not all) and `onboarded`.
 */
export type OnboardingStatus = 'started' | 'requested' | 'in-progress' | 'onboarded';
const STATUSES: readonly OnboardingStatus[] = ['started', 'requested', 'in-progress', 'onboarded'];

export interface OnboardingRecord {
  readonly status: OnboardingStatus;
  readonly name: string;
  readonly org: string;
  readonly uscc?: string;
  /** Every step completed so far, across runs, as its line printed it. */
  readonly steps: readonly StepLine[];
  readonly [field: string]: unknown;
}

/** Reads onboarding.json: undefined when absent, ONBOARD_BAD_SUMMARY when it is not one of ours. */
export function readSummary(dir: string): OnboardingRecord | undefined {
  const file = enterpriseFiles(dir).summary;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stepError('ONBOARD_BAD_SUMMARY', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
  let json: Partial<OnboardingRecord>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw stepError('ONBOARD_BAD_SUMMARY', `${file} is not JSON: ${(error as Error).message}`, { file });
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    !STATUSES.includes(json.status as OnboardingStatus) ||
    typeof json.name !== 'string' ||
    typeof json.org !== 'string' ||
    (json.uscc !== undefined && typeof json.uscc !== 'string')
  )
    throw stepError('ONBOARD_BAD_SUMMARY', `${file} is not an onboarding record (status, name, org)`, {
      file,
    });
  const steps = Array.isArray(json.steps)
    ? json.steps.filter((l): l is StepLine => typeof l?.step === 'string' && typeof l.ms === 'number')
    : [];
  return { ...json, steps } as OnboardingRecord;
}

/** Writes `text` to `path` through a temporary file and a rename: a reader sees the old file or the new. */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Writes a file that must not exist, whole or not at all: written to a temporary file, then
 * linked to its name, which fails (EEXIST) if another process put one there first.
 */
export function writeFileExclusive(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileAtomic(tmp, text, mode);
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw stepError('ONBOARD_EXISTS', `${path} exists already: another onboarding wrote it`, { path });
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

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
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const pid = Number.parseInt(readFileSync(lock, { encoding: 'utf8', flag: 'r' }) || '', 10);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code !== 'ESRCH';
    }
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

/**
 * onboarding.json as the run goes: the record it resumes, each step added as it completes (a
 * step done again replaces its line), rewritten atomically each time.
 */
export class Progress {
  /** The record as last written. */
  record: OnboardingRecord;

  constructor(
    private readonly dir: string,
    base: { name: string; org: string; uscc?: string; suite?: string },
    previous?: OnboardingRecord,
  ) {
    this.record = {
      ...previous,
      ...base,
      dir,
      status: previous?.status ?? 'started',
      steps: previous?.steps ?? [],
    };
  }

  get steps(): readonly StepLine[] {
    return this.record.steps;
  }

  /** The line of a step completed earlier, if any. */
  done(step: string): StepLine | undefined {
    return this.record.steps.find((l) => l.step === step);
  }

  /** Records a completed step; the status moves to `status` if given. */
  step(line: StepLine, status?: OnboardingStatus): void {
    this.save({
      ...(status ? { status } : {}),
      steps: [...this.record.steps.filter((l) => l.step !== line.step), line],
    });
  }

  save(fields: Partial<OnboardingRecord> & Record<string, unknown>): OnboardingRecord {
    this.record = { ...this.record, ...fields, updatedAt: new Date().toISOString() };
    writeFileAtomic(enterpriseFiles(this.dir).summary, `${JSON.stringify(this.record, null, 2)}\n`);
    return this.record;
  }
}

export interface StepLine {
  readonly step: string;
  readonly ms: number;
  readonly [field: string]: unknown;
}

/** Runs named steps, timing each and printing it as a JSON line on stdout as it ends. */
export class StepTimer {
  readonly steps: StepLine[] = [];
  /** Whether a step has begun: a failure after that exits 1 (the chain or a file said no), not 2. */
  begun = false;
  /** Called with each completed step's line (onboarding.json records it). */
  onStep: ((line: StepLine) => void) | undefined;
  private readonly started = performance.now();

  constructor(private readonly io: CommandIo) {}

  /** A step an earlier run completed: printed as skipped, with why, and not done again. */
  skip(step: string, why: string, fields: object = {}): void {
    this.io.out(JSON.stringify({ step, ms: 0, skipped: why, ...fields }));
  }

  async run<T>(
    step: string,
    fn: () => T | Promise<T>,
    fields: (value: T) => object = () => ({}),
  ): Promise<T> {
    const start = performance.now();
    this.begun = true;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      const code = error instanceof PujiangError ? error.code : 'error';
      const message = error instanceof Error ? error.message : String(error);
      this.io.out(
        JSON.stringify({ step, ms: Math.round(performance.now() - start), error: { code, message } }),
      );
      throw error;
    }
    const line = { step, ms: Math.round(performance.now() - start), ...fields(value) };
    this.steps.push(line);
    this.onStep?.(line);
    this.io.out(JSON.stringify(line));
    return value;
  }

  get totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}

/**
 * The enterprise's key, in the chain's suite, written mode 0600 with an exclusive create: a
 * key.json another run put there first is never replaced (ONBOARD_EXISTS).
 */
export function makeKey(dir: string, suite: SuiteId): KeyPair {
  const key = generateKeyPair(suite);
  writeFileExclusive(enterpriseFiles(dir).key, formatKeyFile(key), 0o600);
  return key;
}

/** Its certificate request: its name as CN, the organization as O, the role it asks for (client) as OU. */
export function makeRequest(dir: string, key: KeyPair, name: string, org: string): CertificationRequest {
  return writeRequest(
    key,
    { commonName: name, organization: org, organizationalUnit: 'client' },
    enterpriseFiles(dir).request,
  );
}

/** The local CA's signature, as `cert issue --csr` gives it (a development network only: the CA key is at hand). */
export function certifyLocally(dir: string, ca: OrganizationCa): Uint8Array {
  const files = enterpriseFiles(dir);
  const der = certifyRequest(ca, readRequest(files.request), { role: 'client' });
  writeNew(files.certificate, certificateToPem(der), 'out');
  return der;
}

/** Keeps a certificate the admin issued in the directory (unless it is already that file), checking it names the key. */
export function keepCertificate(dir: string, der: Uint8Array, key: KeyPair): void {
  const cert = parseCertificate(der);
  if (cert.publicKey.suite !== key.suite || Buffer.compare(cert.publicKey.bytes, key.publicKey.bytes) !== 0)
    throw stepError(
      'ONBOARD_WRONG_KEY',
      `the certificate is for another key than ${enterpriseFiles(dir).key}'s (another enterprise's, or another request's)`,
      { dir },
    );
  const path = enterpriseFiles(dir).certificate;
  const pem = certificateToPem(der);
  if (!(existsSync(path) && readFileSync(path, 'utf8') === pem)) writeNew(path, pem, 'cert');
}

/** Whether `address` is registered on chain for this very key (an earlier run registered it). */
export async function registeredFor(client: PujiangClient, address: string, key: KeyPair): Promise<boolean> {
  const { result } = await client.query('governance', 'identity', { address });
  const identity = result as { registered?: boolean; suite?: string; publicKey?: string };
  return (
    identity.registered === true &&
    identity.suite === key.suite &&
    identity.publicKey === bytesToHex(key.publicKey.bytes)
  );
}

/** `pujiang register`'s call: the certificate on chain, signed with the key it certifies. */
export async function register(client: PujiangClient, key: KeyPair, certificate: Uint8Array) {
  const sent = committed(
    await registerIdentity(client, { key, certificate, wait: true }),
    'the registration',
  );
  return { hash: sent.hash, height: sent.result.height };
}

/** The enterprise's DID, controlled by its key: also the first transaction it sends as a member. */
export async function makeDid(dir: string, client: PujiangClient, key: KeyPair) {
  const created = committed(
    await createDid(client, {
      key,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
    }),
    'the DID',
  );
  const state = await resolveDid(client, created.did);
  writeNew(
    enterpriseFiles(dir).did,
    `${JSON.stringify(state?.document ?? { id: created.did }, null, 2)}\n`,
    'out',
  );
  return { did: created.did, hash: created.hash, height: created.result.height };
}

export interface LicenceIssuer {
  readonly did: string;
  readonly key: KeyPair;
  /** The issuer's own node. */
  readonly client: PujiangClient;
  /** Holds the issuer's key for one licence (its transactions take consecutive nonces). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** A transaction sent with `wait` that is still pending is no success: the step says so. */
function committed<T extends { hash: string; result: { status: string; height?: number } }>(
  sent: T,
  what: string,
): T {
  if (sent.result.status !== 'committed')
    throw new PujiangError<OnboardStepErrorCode>(
      'ONBOARD_NOT_COMMITTED',
      `${what} ${sent.hash} is ${sent.result.status}, not committed`,
      { hash: sent.hash, status: sent.result.status },
    );
  return sent;
}

/** The `BusinessLicence` the issuer signs, anchors and registers (docs' `issueDocument`); its number is the code. */
export async function receiveLicence(
  dir: string,
  issuer: LicenceIssuer,
  p: { did: string; name: string; uscc: string },
) {
  const issued = await issuer.exclusive(() =>
    issueDocument(issuer.client, {
      key: issuer.key,
      issuer: issuer.did,
      type: 'BusinessLicence',
      subject: p.did,
      number: p.uscc,
      claims: {
        legalName: p.name,
        unifiedSocialCreditCode: p.uscc,
        registrationAuthority: 'Shanghai Administration for Market Regulation',
        dateOfEstablishment: new Date().toISOString().slice(0, 10),
      },
      wait: true,
    }),
  );
  committed(issued.registered, 'the licence registration');
  writeNew(enterpriseFiles(dir).licence, `${JSON.stringify(issued.credential, null, 2)}\n`, 'out');
  return { id: issued.id, height: issued.registered.result.height, credential: issued.credential };
}

/**
 * Verifies the licence as a relying party would: against state proven under a header the
 * genesis's validators certified, accreditation included, once its registration is provable
 * (a header proves the state after the block before it).
 */
export async function verifyLicence(
  client: PujiangClient,
  genesis: Genesis,
  credential: unknown,
  height?: number,
) {
  for (let i = 0; height !== undefined && (await client.getStatus()).height <= height; i++) {
    if (i > 100) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const report = await verifyDocument(new LightClient({ client, genesis }), { credential });
  if (!report.verified)
    throw new PujiangError<OnboardStepErrorCode>(
      'ONBOARD_LICENCE_INVALID',
      `the licence does not verify: ${report.checks
        .filter((c) => !c.verified)
        .map((c) => `${c.check} ${c.code}`)
        .join(', ')}`,
      { checks: report.checks },
    );
  return { checks: report.checks.map((c) => c.check), accreditation: report.accreditation?.chain };
}

/** The address the key has on this chain. */
export const addressOn = (genesis: Pick<Genesis, 'chainHash'>, key: KeyPair) =>
  addressHex(genesis.chainHash, key);
