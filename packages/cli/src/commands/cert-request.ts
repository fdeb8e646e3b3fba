import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, printJson, required, usageError } from '@pujiang/cli-kit';
import {
  type CertificationRequest,
  createCsr,
  csrFromPem,
  csrToPem,
  type DistinguishedName,
  deriveAddress,
  type KeyPair,
  verifiedCsr,
} from '@pujiang/crypto';
import { ROLES, type Role } from '@pujiang/module-governance';
import { issueMemberCertificate, type OrganizationCa, readKeyFile } from '@pujiang/node';
import { bytesToHex, PujiangError } from '@pujiang/types';

/**
 * Certificate requests (PKCS#10) between an enterprise and its organization's CA: the
 * enterprise signs a request with its own key (`cert request`, no CA in sight), the CA's
 * admin checks the self-signature and issues for the key in it (`cert issue --csr`). The CA
 * key can so stay offline: only the request and the certificate travel.
 */

export type CertRequestErrorCode = 'CERT_REQUEST_WRONG_ORG' | 'CERT_REQUEST_WRONG_ROLE';

/** The usual chain hash of a key's suite, for the address shown beside it. */
const addressOf = (key: { suite: string; bytes: Uint8Array }) =>
  bytesToHex(deriveAddress(key.suite.startsWith('sm2') ? 'sm3' : 'sha256', key as KeyPair['publicKey']));

/** A request for `key` under `subject`, written as PEM to `out` (never over an existing file). */
export function writeRequest(key: KeyPair, subject: DistinguishedName, out: string): CertificationRequest {
  const der = createCsr(key, subject);
  writeNew(out, csrToPem(der), 'out');
  return verifiedCsr(der);
}

/** Writes a file that must not exist yet: a request or certificate someone kept is not ours to replace. */
export function writeNew(path: string, text: string, option: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    throw usageError(`cannot write ${path}: ${(error as Error).message}`, { option });
  }
}

/**
 * Reads a PEM request and checks it is signed by the key it names: CRYPTO_CSR_INVALID for a
 * malformed one, CRYPTO_CSR_SIGNATURE for one its key did not sign (typed, exit 2).
 */
export function readRequest(path: string, option = 'csr'): CertificationRequest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option });
  }
  return verifiedCsr(csrFromPem(text));
}

/**
 * The certificate a CA issues for a checked request: the request's key and common name (unless
 * the admin names another), the CA's organization and the admin's role. A request naming
 * another organization or role was meant for someone else: refused rather than silently changed.
 */
export function certifyRequest(
  ca: OrganizationCa,
  csr: CertificationRequest,
  p: { role: Role; name?: string; days?: number },
): Uint8Array {
  const { organization, organizationalUnit } = csr.subject;
  if (organization !== undefined && organization !== ca.id)
    throw new PujiangError<CertRequestErrorCode>(
      'CERT_REQUEST_WRONG_ORG',
      `the request is for organization ${organization}; this CA is ${ca.id}'s`,
      { requested: organization, ca: ca.id },
    );
  if (organizationalUnit !== undefined && organizationalUnit !== p.role)
    throw new PujiangError<CertRequestErrorCode>(
      'CERT_REQUEST_WRONG_ROLE',
      `the request asks for role ${organizationalUnit}, not ${p.role}`,
      { requested: organizationalUnit, role: p.role },
    );
  return issueMemberCertificate(ca, {
    publicKey: csr.publicKey,
    role: p.role,
    commonName: p.name ?? csr.subject.commonName,
    ...(p.days === undefined ? {} : { days: p.days }),
  });
}

/** `pujiang cert request`: the enterprise's side, with its own key only. */
export function runCertRequest(args: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'key-file': { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const key = readKeyFile(required(values, 'key-file'));
  const out = required(values, 'out');
  if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role))
    throw usageError(`unknown role ${values.role} (one of ${ROLES.join(', ')})`, { option: 'role' });
  const address = addressOf(key.publicKey);
  const subject: DistinguishedName = {
    commonName: values.name ?? `member ${address.slice(2, 14)}`,
    ...(values.org === undefined ? {} : { organization: values.org }),
    ...(values.role === undefined ? {} : { organizationalUnit: values.role }),
  };
  const csr = writeRequest(key, subject, out);
  printJson(io, describeRequest(out, csr));
  return EXIT.ok;
}

export function describeRequest(file: string, csr: CertificationRequest) {
  return {
    file,
    commonName: csr.subject.commonName,
    org: csr.subject.organization ?? null,
    role: csr.subject.organizationalUnit ?? null,
    suite: csr.publicKey.suite,
    publicKey: `${csr.publicKey.suite}:${bytesToHex(csr.publicKey.bytes)}`,
    address: addressOf(csr.publicKey),
  };
}
