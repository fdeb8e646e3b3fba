import { parseArgs } from 'node:util';
import {
  type CommandIo,
  EXIT,
  eventsOf,
  intOption,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import {
  type Certificate,
  certificateToPem,
  deriveAddress,
  type HashAlgorithm,
  hash,
  isSuiteId,
  parseCertificate,
  serialHex,
} from '@pujiang/crypto';
import { GOVERNANCE_MODULE, ROLES, type Role } from '@pujiang/module-governance';
import { orgAndSerial, publicKeyOption, readCertificate } from '@pujiang/module-governance/cli';
import {
  createOrganization,
  issueMemberCertificate,
  loadOrganization,
  orgPaths,
  readKeyFile,
} from '@pujiang/node';
import { registerIdentity, revokeCertificate } from '@pujiang/sdk';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { nodeClient } from '../context.js';
import {
  certifyRequest,
  EMPTY_SM2_ID_NOTE,
  readRequest,
  runCertRequest,
  showRequest,
  writeNew,
} from './cert-request.js';

export const MEMBERSHIP_USAGE = `Membership (an organization's CA, its members' certificates, registering and revoking them):
pujiang org init --dir DIR --id ID [--name N] [--suite S] [--chain-hash sm3|sha256]
  creates an organization's root CA in DIR (ca.pem, ca_key.json mode 0600); prints its id, the
  certificate's path and its fingerprint (the chain hash of its DER; default sm3 for sm2 suites)
pujiang cert issue --org-dir DIR --role admin|validator|client|auditor|regulator
                   (--public-key SUITE:HEX | --key-file FILE | --csr REQ.pem) [--name CN] [--days N] --out FILE.pem
                   [--chain-hash H]
  issues a member certificate (O = the organization, OU = the role); prints serial, role, org and address.
  With --csr (the CA's side of a request): for the key in the request, once its self-signature verifies
  (else CRYPTO_CSR_SIGNATURE or CRYPTO_CSR_INVALID; an SM2 request is tried with the default user ID, then
  the empty one OpenSSL 3 uses without -sigopt distid:1234567812345678, and a note says so), its common name
  unless --name; a request naming another organization or role is refused (CERT_REQUEST_WRONG_ORG,
  CERT_REQUEST_WRONG_ROLE), and one whose names hold control characters (CERT_REQUEST_BAD_NAME)
pujiang cert request --key-file FILE [--name CN] [--org ID] [--role R] --out REQ.pem
  the member's side: a PKCS#10 request (RFC 2986) signed with its own key, for the admin to issue with --csr
pujiang cert show --cert FILE.pem [--chain-hash H]      org, role, serial, address and validity of a certificate
pujiang cert show --csr REQ.pem [--chain-hash H]        a request before issuing it: subject, key, suite, address,
  attributes, whether its self-signature verifies (and the SM2 user ID), names cert issue would refuse (exit 1 then)
pujiang register --cert FILE.pem --key FILE             registers the certificate on chain, signed with the key it names
pujiang revoke (--org ID --serial HEX | --cert FILE.pem) --key FILE
                                                        an organization's admin adds a serial to its on-chain CRL
  register and revoke take --node URL (or --api URL), --no-wait and --timeout-ms as send does (exit 0 OK;
  1 refused by the node or failed in its block; 3 pending)`;

/** The usual chain hash for keys of a suite: SM3 for SM2 (government chains), else SHA-256. */
const defaultChainHash = (suite: string): HashAlgorithm => (suite.startsWith('sm2') ? 'sm3' : 'sha256');

function chainHashOption(values: Record<string, unknown>, suite: string): HashAlgorithm {
  const given = values['chain-hash'];
  if (given === undefined) return defaultChainHash(suite);
  if (given !== 'sm3' && given !== 'sha256')
    throw usageError('--chain-hash must be sm3 or sha256', { option: 'chain-hash' });
  return given;
}

function suiteOption(values: Record<string, unknown>, fallback: string) {
  const suite = values.suite ?? fallback;
  if (typeof suite !== 'string' || !isSuiteId(suite))
    throw usageError(`unknown suite ${String(suite)}`, { option: 'suite' });
  return suite;
}

export function roleOption(values: Record<string, unknown>): Role {
  const role = required(values, 'role');
  if (!(ROLES as readonly string[]).includes(role))
    throw usageError(`unknown role ${role} (one of ${ROLES.join(', ')})`, { option: 'role', role });
  return role as Role;
}

function describeCertificate(cert: Certificate, chainHash: HashAlgorithm) {
  return {
    org: cert.subject.organization ?? null,
    role: cert.subject.organizationalUnit ?? null,
    commonName: cert.subject.commonName,
    serial: serialHex(cert),
    suite: cert.publicKey.suite,
    publicKey: `${cert.publicKey.suite}:${bytesToHex(cert.publicKey.bytes)}`,
    chainHash,
    address: bytesToHex(deriveAddress(chainHash, cert.publicKey)),
    notBefore: new Date(cert.notBefore).toISOString(),
    notAfter: new Date(cert.notAfter).toISOString(),
  };
}

/** `pujiang org init`. */
export function runOrg(args: readonly string[], io: CommandIo): number {
  const [sub, ...rest] = args;
  if (sub !== 'init')
    throw new PujiangError(
      'CLI_UNKNOWN_COMMAND',
      `unknown command "org ${sub ?? ''}"\n\n${MEMBERSHIP_USAGE}`,
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      suite: { type: 'string' },
      'chain-hash': { type: 'string' },
    },
    strict: true,
  });
  const dir = required(values, 'dir');
  const id = required(values, 'id');
  const suite = suiteOption(values, 'ed25519');
  const chainHash = chainHashOption(values, suite);
  const ca = createOrganization({
    dir,
    id,
    suite,
    ...(values.name === undefined ? {} : { name: values.name }),
  });
  const paths = orgPaths(dir);
  printJson(io, {
    id: ca.id,
    name: values.name ?? id,
    suite,
    dir,
    caCertificate: paths.caCertificate,
    caKey: paths.caKey,
    chainHash,
    fingerprint: bytesToHex(hash(chainHash, ca.certificate)),
  });
  return EXIT.ok;
}

/** `pujiang cert issue` and `pujiang cert show`. */
export function runCert(args: readonly string[], io: CommandIo): number {
  const [sub, ...rest] = args;
  if (sub === 'request') return runCertRequest(rest, io);
  if (sub !== 'issue' && sub !== 'show')
    throw new PujiangError(
      'CLI_UNKNOWN_COMMAND',
      `unknown command "cert ${sub ?? ''}"\n\n${MEMBERSHIP_USAGE}`,
    );
  if (sub === 'show') {
    const { values } = parseArgs({
      args: rest,
      options: { cert: { type: 'string' }, csr: { type: 'string' }, 'chain-hash': { type: 'string' } },
      strict: true,
    });
    if (values.csr !== undefined) {
      if (values.cert !== undefined)
        throw usageError('give --cert FILE.pem or --csr REQ.pem', { option: 'csr' });
      const given = values['chain-hash'];
      return showRequest(values.csr, given === undefined ? undefined : chainHashOption(values, ''), io);
    }
    const file = required(values, 'cert');
    const { cert } = readCertificate(file, 'cert');
    printJson(io, {
      file,
      ...describeCertificate(cert, chainHashOption(values, cert.publicKey.suite)),
      isCA: cert.isCA,
    });
    return EXIT.ok;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'org-dir': { type: 'string' },
      role: { type: 'string' },
      'public-key': { type: 'string' },
      'key-file': { type: 'string' },
      csr: { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      'chain-hash': { type: 'string' },
    },
    strict: true,
  });
  const orgDir = required(values, 'org-dir');
  const role = roleOption(values);
  const given = (['public-key', 'key-file', 'csr'] as const).filter((o) => values[o] !== undefined);
  if (given.length !== 1)
    throw usageError('give one of --public-key SUITE:HEX, --key-file FILE or --csr REQ.pem', {
      option: 'public-key',
    });
  const days = intOption(values, 'days', 1, 36_500);
  const out = required(values, 'out');
  const ca = loadOrganization(orgDir);
  let der: Uint8Array;
  let requestSm2UserId: string | undefined;
  if (values.csr !== undefined) {
    const csr = readRequest(values.csr);
    requestSm2UserId = csr.sm2UserId;
    der = certifyRequest(ca, csr, {
      role,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(days === undefined ? {} : { days }),
    });
  } else {
    const publicKey =
      values['key-file'] !== undefined
        ? readKeyFile(values['key-file']).publicKey
        : publicKeyOption(values['public-key']!, 'public-key');
    const address = bytesToHex(deriveAddress(chainHashOption(values, publicKey.suite), publicKey));
    der = issueMemberCertificate(ca, {
      publicKey,
      role,
      commonName: values.name ?? `${role} ${address.slice(2, 14)}`,
      ...(days === undefined ? {} : { days }),
    });
  }
  const cert = parseCertificate(der);
  const chainHash = chainHashOption(values, cert.publicKey.suite);
  // A certificate is not secret, but a file someone kept is not ours to replace.
  writeNew(out, certificateToPem(der), 'out');
  printJson(io, {
    file: out,
    ...describeCertificate(cert, chainHash),
    ...(requestSm2UserId === undefined ? {} : { requestSm2UserId }),
  });
  if (requestSm2UserId === '') io.err(`note: ${EMPTY_SM2_ID_NOTE}`);
  return EXIT.ok;
}

/** `pujiang register` and `pujiang revoke`: governance transactions, reported as `send` reports. */
export async function runMembershipTx(
  command: 'register' | 'revoke',
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...SEND_OPTIONS,
      cert: { type: 'string' },
      org: { type: 'string' },
      serial: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`);
  if (command === 'register' && (values.org !== undefined || values.serial !== undefined))
    throw usageError('register takes --cert and --key (the organization and serial are in the certificate)');
  const client = nodeClient(values);
  const choice = waitChoice(values);
  if (command === 'register') {
    const { der, cert } = readCertificate(required(values, 'cert'), 'cert');
    const key = readKeyFile(required(values, 'key'));
    if (
      key.suite !== cert.publicKey.suite ||
      bytesToHex(key.publicKey.bytes) !== bytesToHex(cert.publicKey.bytes)
    )
      throw usageError('the certificate names another key: register with the key it certifies', {
        option: 'key',
      });
    return sendAndReport(
      io,
      choice,
      () => registerIdentity(client, { key, certificate: der, ...choice }),
      ({ result }) => {
        const e = eventsOf(result.receipt, GOVERNANCE_MODULE, 'registered')[0];
        return { fields: e ? { identity: e.attributes } : {} };
      },
    );
  }
  const { org, serial } = orgAndSerial(values);
  const key = readKeyFile(required(values, 'key'));
  return sendAndReport(
    io,
    choice,
    () => revokeCertificate(client, { key, org, serial, ...choice }),
    ({ result }) => ({
      // Revoking twice is harmless: the second adds nothing and emits no event.
      fields: {
        org,
        serial,
        newlyRevoked: eventsOf(result.receipt, GOVERNANCE_MODULE, 'revoked').length > 0,
      },
    }),
  );
}
