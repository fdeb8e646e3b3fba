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
  parseCsr,
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

export type CertRequestErrorCode =
  | 'CERT_REQUEST_WRONG_ORG'
  | 'CERT_REQUEST_WRONG_ROLE'
  | 'CERT_REQUEST_BAD_NAME';

/** A request checked against its own key, and for SM2 the user ID that verified (see `verifiedCsr`). */
export type CheckedRequest = ReturnType<typeof verifiedCsr>;

/**
 * Characters a name must not hold: C0 and C1 controls and DEL, and the bidirectional
 * embeddings, overrides and isolates, which make a name display as another.
 */
const UNSAFE_IN_NAME = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why `text` is no name to put in a certificate or a licence (undefined when it is one). */
export function nameProblem(text: string): string | undefined {
  if (text.trim() === '') return 'it is empty';
  if ([...text].length > 64) return 'it is longer than 64 characters';
  const bad = UNSAFE_IN_NAME.exec(text);
  if (bad)
    return `it holds the control character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return undefined;
}

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
export function readRequest(path: string, option = 'csr'): CheckedRequest {
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
  // A name the admin would read one way and a relying party another is refused, not issued.
  for (const [field, value] of [
    ...Object.entries(csr.subject),
    ...(p.name === undefined ? [] : [['name', p.name] as const]),
  ]) {
    const problem = typeof value === 'string' ? nameProblem(value) : undefined;
    if (problem)
      throw new PujiangError<CertRequestErrorCode>(
        'CERT_REQUEST_BAD_NAME',
        `the request's ${field} ${JSON.stringify(value)} cannot go in a certificate: ${problem}`,
        { field },
      );
  }
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
  for (const option of ['name', 'org'] as const) {
    const value = values[option];
    const problem = value === undefined ? undefined : nameProblem(value);
    if (problem) throw usageError(`--${option} cannot go in a certificate: ${problem}`, { option });
  }
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

/** What an SM2 request's empty user ID means, for the admin: said beside the output, never silently accepted. */
export const EMPTY_SM2_ID_NOTE =
  'the request is signed with an empty SM2 user ID (OpenSSL 3 without -sigopt distid:1234567812345678), not the default one; it proves possession of the key all the same';

/**
 * `pujiang cert show --csr REQ.pem`: a request as the admin should read it before issuing:
 * its whole subject, key, suite, address (`chainHash`), attributes (shown, never acted on),
 * whether its self-signature verifies (and with which SM2 user ID), and what `cert issue
 * --csr` would refuse in its names. Exit 0 when it verifies and its names are fit, else 1.
 */
export function showRequest(file: string, chainHash: 'sm3' | 'sha256' | undefined, io: CommandIo): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`, { option: 'csr' });
  }
  const csr = parseCsr(csrFromPem(text));
  let verified: CheckedRequest | undefined;
  let signatureProblem: string | undefined;
  try {
    verified = verifiedCsr(csr.der);
  } catch (error) {
    signatureProblem = (error as Error).message;
  }
  const hash = chainHash ?? (csr.publicKey.suite.startsWith('sm2') ? 'sm3' : 'sha256');
  const nameProblems = Object.entries(csr.subject).flatMap(([field, value]) => {
    const problem = nameProblem(value as string);
    return problem ? [{ field, problem }] : [];
  });
  printJson(io, {
    ...describeRequest(file, csr),
    subject: csr.subject,
    chainHash: hash,
    address: bytesToHex(deriveAddress(hash, csr.publicKey)),
    signatureSuite: csr.signatureSuite,
    selfSignature: verified
      ? { verified: true, ...(verified.sm2UserId === undefined ? {} : { sm2UserId: verified.sm2UserId }) }
      : { verified: false, problem: signatureProblem },
    attributes: csr.attributes.map((a) => ({ oid: a.oid, values: bytesToHex(a.values) })),
    ...(nameProblems.length === 0 ? {} : { nameProblems }),
  });
  if (verified?.sm2UserId === '') io.err(`note: ${EMPTY_SM2_ID_NOTE}`);
  if (!verified) io.err(`error CRYPTO_CSR_SIGNATURE: ${signatureProblem}`);
  for (const { field, problem } of nameProblems)
    io.err(`error CERT_REQUEST_BAD_NAME: the ${field} cannot go in a certificate: ${problem}`);
  return verified && nameProblems.length === 0 ? EXIT.ok : EXIT.invalid;
}
