import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandIo } from '@pujiang/cli-kit';
import {
  type CertificationRequest,
  certificateToPem,
  generateKeyPair,
  type KeyPair,
  parseCertificate,
  type SuiteId,
} from '@pujiang/crypto';
import { addressHex, type OrganizationCa, writeKeyFile } from '@pujiang/node';
import {
  createDid,
  didKeyOfChainKey,
  type Genesis,
  issueDocument,
  LightClient,
  type PujiangClient,
  registerIdentity,
  resolveDid,
  singleKeyDocument,
  verifyDocument,
} from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';
import { certifyRequest, readRequest, writeNew, writeRequest } from './cert-request.js';

/**
 * The steps of onboarding an enterprise, each on its own so the one-command local path and the
 * two-step production path (`onboard request`, then `onboard finish`) share them, and the
 * timer that prints one JSON line per step with its milliseconds.
 */

export type OnboardStepErrorCode =
  | 'ONBOARD_EXISTS'
  | 'ONBOARD_NOT_REQUESTED'
  | 'ONBOARD_NOT_COMMITTED'
  | 'ONBOARD_LICENCE_INVALID';

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

/** Creates the enterprise's directory; an existing non-empty one is someone's enterprise: ONBOARD_EXISTS. */
export function newEnterpriseDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new PujiangError<OnboardStepErrorCode>(
      'ONBOARD_EXISTS',
      `${dir} already holds an enterprise; choose another --out or remove it`,
      { dir },
    );
  mkdirSync(dir, { recursive: true });
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
  private readonly started = performance.now();

  constructor(private readonly io: CommandIo) {}

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
    this.io.out(JSON.stringify(line));
    return value;
  }

  get totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}

/** The enterprise's key, in the chain's suite, written mode 0600. */
export function makeKey(dir: string, suite: SuiteId): KeyPair {
  const key = generateKeyPair(suite);
  writeKeyFile(enterpriseFiles(dir).key, key);
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
    throw new PujiangError<OnboardStepErrorCode>(
      'ONBOARD_NOT_REQUESTED',
      `the certificate is for another key than ${enterpriseFiles(dir).key}'s`,
      { dir },
    );
  const path = enterpriseFiles(dir).certificate;
  const pem = certificateToPem(der);
  if (!(existsSync(path) && readFileSync(path, 'utf8') === pem)) writeNew(path, pem, 'cert');
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

/** The summary file and the address the key has on this chain. */
export function writeSummary(dir: string, summary: object): void {
  writeFileSync(enterpriseFiles(dir).summary, `${JSON.stringify(summary, null, 2)}\n`);
}

export const addressOn = (genesis: Pick<Genesis, 'chainHash'>, key: KeyPair) =>
  addressHex(genesis.chainHash, key);
