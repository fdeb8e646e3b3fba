import { type Codec, decode, encode, u64 } from '@pujiang/codec';
import {
  type Certificate,
  deriveAddress,
  type HashAlgorithm,
  hash,
  type PublicKey,
  parseCertificate,
  serialHex,
  verifyCertificateSignature,
} from '@pujiang/crypto';
import type { StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes, PujiangError } from '@pujiang/types';
import { CrlRecord, GOV_KEYS, Identity, Organization, OrgIdList, ROLES, type Role } from '../formats.js';

/**
 * Organizations, their CAs, registered identities and revocations: reading and checking
 * them. Writes go through `StateWrite` so the same code serves genesis and transactions.
 */
export type MembershipErrorCode =
  | 'MEMBER_UNKNOWN'
  | 'MEMBER_REVOKED'
  | 'MEMBER_EXPIRED'
  | 'MEMBER_ORG_REMOVED'
  | 'MEMBER_BAD_CERTIFICATE';

export type StateWrite = (key: string, value: Uint8Array | undefined) => void;

export function memberError(
  code: MembershipErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError<MembershipErrorCode> {
  return new PujiangError(code, message, details);
}

/**
 * Records decoded from state, by the very bytes object they came from. Admission and
 * execution read the same few membership records (the chain configuration, the signer's
 * identity and organization, the policy) for every transaction, and the node hands out the
 * same bytes object for a value until it is written again, so each record is decoded once
 * per version. State values are never mutated in place, and nothing here mutates a record.
 */
const recordsByBytes = new WeakMap<
  Uint8Array,
  { readonly codec: Codec<unknown>; readonly record: unknown }
>();

/** The record under `key`, decoded (shared: callers build new records instead of changing it). */
export function readAs<T>(read: StateRead, key: string, codec: Codec<T>): T | undefined {
  const bytes = read(key);
  if (bytes === undefined) return undefined;
  const known = recordsByBytes.get(bytes);
  if (known !== undefined && known.codec === codec) return known.record as T;
  const record = decode(codec, bytes);
  recordsByBytes.set(bytes, { codec: codec as Codec<unknown>, record });
  return record;
}

export const orgIds = (read: StateRead): string[] => readAs(read, GOV_KEYS.orgIds, OrgIdList) ?? [];
export const organization = (read: StateRead, id: string): Organization | undefined =>
  readAs(read, GOV_KEYS.org(id), Organization);
export const identityOf = (read: StateRead, address: string): Identity | undefined =>
  readAs(read, GOV_KEYS.identity(address), Identity);
export const isPermissioned = (read: StateRead): boolean => read(GOV_KEYS.permissioned) !== undefined;

/** The id by which an identity names the CA that issued it: the chain hash of the CA certificate. */
export function caFingerprint(algorithm: HashAlgorithm, caDer: Uint8Array): Uint8Array {
  // Every transaction's signer is checked against its organization's CAs: hash each CA once.
  const byAlgorithm = fingerprints.get(caDer);
  const known = byAlgorithm?.[algorithm];
  if (known !== undefined) return known;
  const fingerprint = hash(algorithm, caDer);
  fingerprints.set(caDer, { ...byAlgorithm, [algorithm]: fingerprint });
  return fingerprint;
}
const fingerprints = new WeakMap<Uint8Array, Partial<Record<HashAlgorithm, Uint8Array>>>();

export function isRevoked(read: StateRead, org: string, serial: Uint8Array): boolean {
  return read(GOV_KEYS.revoked(org, bytesToHex(serial))) !== undefined;
}

/** Why a registered identity may not act now, or undefined when it may. */
export function identityProblem(
  read: StateRead,
  algorithm: HashAlgorithm,
  identity: Identity,
  time: bigint,
): PujiangError<MembershipErrorCode> | undefined {
  const org = organization(read, identity.org);
  if (org === undefined)
    return memberError('MEMBER_ORG_REMOVED', `organization ${identity.org} is no longer a member`, {
      org: identity.org,
    });
  if (!org.caCertificates.some((ca) => equalBytes(caFingerprint(algorithm, ca), identity.issuer)))
    return memberError('MEMBER_REVOKED', `the CA that issued this identity was retired by ${identity.org}`, {
      org: identity.org,
    });
  if (isRevoked(read, identity.org, identity.serial))
    return memberError(
      'MEMBER_REVOKED',
      `certificate ${bytesToHex(identity.serial)} was revoked by ${identity.org}`,
      {
        org: identity.org,
        serial: bytesToHex(identity.serial),
      },
    );
  if (time > identity.notAfter)
    return memberError('MEMBER_EXPIRED', 'the certificate of this identity has expired', {
      notAfter: String(identity.notAfter),
    });
  return undefined;
}

/** Parses a CA certificate and checks it is a self-signed CA. */
export function checkCaCertificate(der: Uint8Array): Certificate {
  let ca: Certificate;
  try {
    ca = parseCertificate(der);
  } catch (error) {
    throw memberError('MEMBER_BAD_CERTIFICATE', `not a CA certificate: ${(error as Error).message}`);
  }
  if (!ca.isCA) throw memberError('MEMBER_BAD_CERTIFICATE', 'the certificate is not a CA (basicConstraints)');
  if (!verifyCertificateSignature(ca, ca.publicKey))
    throw memberError('MEMBER_BAD_CERTIFICATE', 'a root CA certificate must be self-signed');
  return ca;
}

/**
 * Checks a member's certificate against the chain: its organization (the subject's O) must
 * be a member whose current CA issued and signed it, its role (the subject's OU) one of
 * ours, valid at `time` (ms; undefined at genesis, which has no clock), and not revoked.
 * Returns the identity record to store.
 */
export function identityFromCertificate(
  read: StateRead,
  algorithm: HashAlgorithm,
  der: Uint8Array,
  time: bigint | undefined,
  height: bigint,
): { identity: Identity; address: string; certificate: Certificate } {
  let cert: Certificate;
  try {
    cert = parseCertificate(der);
  } catch (error) {
    throw memberError('MEMBER_BAD_CERTIFICATE', (error as Error).message);
  }
  const orgId = cert.subject.organization ?? '';
  const org = organization(read, orgId);
  if (org === undefined)
    throw memberError(
      'MEMBER_UNKNOWN',
      `the certificate names organization "${orgId}", which is not a member`,
      {
        org: orgId,
      },
    );
  const role = cert.subject.organizationalUnit as Role | undefined;
  if (role === undefined || !(ROLES as readonly string[]).includes(role))
    throw memberError('MEMBER_BAD_CERTIFICATE', `the certificate's OU must be a role: ${ROLES.join(', ')}`, {
      ou: role ?? null,
    });
  if (cert.isCA) throw memberError('MEMBER_BAD_CERTIFICATE', 'a CA certificate is not a member identity');
  const issuer = org.caCertificates.find((ca) =>
    verifyCertificateSignature(cert, parseCertificate(ca).publicKey),
  );
  if (issuer === undefined)
    throw memberError('MEMBER_BAD_CERTIFICATE', `no current CA of ${orgId} signed this certificate`, {
      org: orgId,
    });
  if (time !== undefined && (time < BigInt(cert.notBefore) || time > BigInt(cert.notAfter)))
    throw memberError('MEMBER_EXPIRED', 'the certificate is not valid at this block time', {
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    });
  if (isRevoked(read, orgId, cert.serial))
    throw memberError('MEMBER_REVOKED', `certificate ${serialHex(cert)} was revoked by ${orgId}`, {
      org: orgId,
    });
  const identity: Identity = {
    org: orgId,
    role,
    serial: cert.serial,
    issuer: caFingerprint(algorithm, issuer),
    notAfter: BigInt(cert.notAfter),
    suite: cert.publicKey.suite,
    publicKey: cert.publicKey.bytes,
    registeredAt: height,
  };
  return { identity, address: bytesToHex(deriveAddress(algorithm, cert.publicKey)), certificate: cert };
}

export function writeIdentity(write: StateWrite, address: string, identity: Identity): void {
  write(GOV_KEYS.identity(address), encode(Identity, identity));
}

export function writeOrganization(write: StateWrite, read: StateRead, org: Organization): void {
  write(GOV_KEYS.org(org.id), encode(Organization, org));
  const ids = orgIds(read);
  if (!ids.includes(org.id)) write(GOV_KEYS.orgIds, encode(OrgIdList, [...ids, org.id]));
}

export function deleteOrganization(write: StateWrite, read: StateRead, id: string): void {
  write(GOV_KEYS.org(id), undefined);
  write(
    GOV_KEYS.orgIds,
    encode(
      OrgIdList,
      orgIds(read).filter((o) => o !== id),
    ),
  );
}

/** Adds a serial to an organization's on-chain CRL (idempotent). */
export function revoke(
  write: StateWrite,
  read: StateRead,
  org: string,
  serial: Uint8Array,
  height: bigint,
): boolean {
  if (isRevoked(read, org, serial)) return false;
  write(GOV_KEYS.revoked(org, bytesToHex(serial)), encode(u64, height));
  write(
    GOV_KEYS.crl(org),
    encode(CrlRecord, [...(readAs(read, GOV_KEYS.crl(org), CrlRecord) ?? []), serial]),
  );
  return true;
}

/** Whether a key belongs to a registered, currently valid identity with `role`. */
export function keyHasRole(
  read: StateRead,
  algorithm: HashAlgorithm,
  key: PublicKey,
  role: Role,
  time: bigint,
): boolean {
  const identity = identityOf(read, bytesToHex(deriveAddress(algorithm, key)));
  return (
    identity !== undefined &&
    identity.role === role &&
    identity.suite === key.suite &&
    equalBytes(identity.publicKey, key.bytes) &&
    identityProblem(read, algorithm, identity, time) === undefined
  );
}
