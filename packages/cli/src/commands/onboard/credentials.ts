import { existsSync, readFileSync } from 'node:fs';
import { usageError } from '@pujiang/cli-kit';
import {
  type CertificationRequest,
  certificateToPem,
  generateKeyPair,
  type KeyPair,
  parseCertificate,
  type SuiteId,
} from '@pujiang/crypto';
import { type OrganizationCa, readKeyFile } from '@pujiang/node';
import { formatKeyFile } from '@pujiang/sdk';
import { certifyRequest, readRequest, writeNew, writeRequest } from '../cert-request.js';
import { stepError } from './errors.js';
import { enterpriseFiles, writeFileExclusive } from './files.js';
import type { StepTimer } from './timer.js';

/**
 * The enterprise's credentials, off chain: its key, its certificate request and the
 * certificate its organization's CA signs; the key and request steps skip what an earlier run wrote.
 */

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

/** The key an earlier run wrote (it must be of the chain's suite), or a new one. */
export async function keyStep(timer: StepTimer, dir: string, suite: SuiteId): Promise<KeyPair> {
  const file = enterpriseFiles(dir).key;
  if (existsSync(file)) {
    const key = readKeyFile(file);
    if (key.suite !== suite)
      throw usageError(
        `${file} holds a ${key.suite} key; this chain's suite is ${suite}: choose another --out`,
        {
          option: 'out',
        },
      );
    timer.skip('key', 'key.json present', { suite: key.suite });
    return key;
  }
  return timer.run(
    'key',
    () => makeKey(dir, suite),
    (k) => ({ suite: k.suite }),
  );
}

/** The request an earlier run wrote, or a new one. */
export async function requestStep(timer: StepTimer, dir: string, key: KeyPair, name: string, org: string) {
  const file = enterpriseFiles(dir).request;
  if (existsSync(file)) timer.skip('request', 'request.pem present', { file });
  else
    await timer.run(
      'request',
      () => makeRequest(dir, key, name, org),
      () => ({ file }),
    );
}
