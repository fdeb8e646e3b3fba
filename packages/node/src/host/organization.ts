import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  certificateFromPem,
  certificateToPem,
  generateKeyPair,
  issueCertificate,
  type KeyPair,
  type PublicKey,
  parseCertificate,
  type SuiteId,
} from '@pujiang/crypto';
import type { Role } from '@pujiang/module-governance';
import { PujiangError } from '@pujiang/types';
import { writeFileAtomic } from './fs-atomic.js';
import { readKeyFile, writeKeyFile } from './key-file.js';

/**
 * An organization's certificate authority on disk, as an organization's IT team keeps it:
 *   ca.pem        the root CA certificate (goes into genesis or an addOrganization proposal)
 *   ca_key.json   the CA's key (mode 0600; offline in production)
 * and the member certificates it issues (the role in the subject's OU, the org id in its O).
 */
export const orgPaths = (dir: string) => ({
  caCertificate: join(dir, 'ca.pem'),
  caKey: join(dir, 'ca_key.json'),
});

export type OrganizationErrorCode = 'ORG_EXISTS' | 'ORG_MISSING' | 'ORG_BAD_ID';

export interface OrganizationCa {
  readonly id: string;
  readonly key: KeyPair;
  /** DER. */
  readonly certificate: Uint8Array;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A fresh positive 16-byte serial (RFC 5280 allows up to 20; random, so CAs never repeat one). */
function newSerial(): Uint8Array {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

/** Creates an organization's root CA (self-signed, 10 years) in `dir`. */
export function createOrganization(p: {
  dir: string;
  id: string;
  name?: string;
  suite: SuiteId;
}): OrganizationCa {
  if (!ORG_ID.test(p.id))
    throw new PujiangError<OrganizationErrorCode>(
      'ORG_BAD_ID',
      'an organization id is 1-64 letters, digits, ".", "_" or "-"',
      {
        id: p.id,
      },
    );
  const paths = orgPaths(p.dir);
  if (existsSync(paths.caKey) || existsSync(paths.caCertificate))
    throw new PujiangError<OrganizationErrorCode>(
      'ORG_EXISTS',
      `${p.dir} already holds a CA; refusing to overwrite it`,
      {
        dir: p.dir,
      },
    );
  const key = generateKeyPair(p.suite);
  const name = { commonName: `${p.name ?? p.id} Root CA`, organization: p.id };
  const now = Date.now();
  const certificate = issueCertificate(
    {
      serial: newSerial(),
      issuer: name,
      subject: name,
      notBefore: now - 60_000,
      notAfter: now + 10 * YEAR_MS,
      publicKey: key.publicKey,
      isCA: true,
    },
    key.secretKey,
  );
  mkdirSync(p.dir, { recursive: true });
  writeKeyFile(paths.caKey, key);
  writeFileAtomic(paths.caCertificate, certificateToPem(certificate));
  return { id: p.id, key, certificate };
}

export function loadOrganization(dir: string): OrganizationCa {
  const paths = orgPaths(dir);
  if (!existsSync(paths.caKey) || !existsSync(paths.caCertificate))
    throw new PujiangError<OrganizationErrorCode>(
      'ORG_MISSING',
      `${dir} holds no CA (ca.pem and ca_key.json)`,
      { dir },
    );
  const certificate = certificateFromPem(readFileSync(paths.caCertificate, 'utf8'));
  const id = parseCertificate(certificate).subject.organization ?? '';
  return { id, key: readKeyFile(paths.caKey), certificate };
}

/** Issues a member certificate: `role` in the OU, the organization in the O, valid for `days` (default 2 years). */
export function issueMemberCertificate(
  ca: OrganizationCa,
  p: { publicKey: PublicKey; role: Role; commonName: string; days?: number },
): Uint8Array {
  const issuer = parseCertificate(ca.certificate).subject;
  const now = Date.now();
  return issueCertificate(
    {
      serial: newSerial(),
      issuer,
      subject: { commonName: p.commonName, organization: ca.id, organizationalUnit: p.role },
      notBefore: now - 60_000,
      notAfter: now + (p.days ?? 730) * 24 * 3600 * 1000,
      publicKey: p.publicKey,
      isCA: false,
    },
    ca.key.secretKey,
  );
}
