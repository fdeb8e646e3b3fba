import { type CertifiedValidator, type CommitCertificate, checkCertificate } from '@pujiang/consensus';
import { HASH_ALGORITHMS, type HashAlgorithm } from '@pujiang/crypto';
import {
  type BlockHeader,
  type BlockHeaderJson,
  blockHash,
  type CommitCertificateJson,
  certificateFromJson,
  type Genesis,
  headerFromJson,
} from '@pujiang/protocol';
import { invalidArgument } from '@pujiang/types';
import { objectParameter, parseFor, VerificationError } from './errors.js';

/** What a client trusts: the chain's id and hash and its validator set (in this version fixed at genesis). */
export interface TrustedValidators {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly validators: readonly CertifiedValidator[];
}

export type TrustParameters = { genesis: Genesis } | TrustedValidators;

/** What the caller trusts, from a genesis or the validators themselves; anything else names the parameter. */
export function trustOf(trust: TrustParameters): TrustedValidators {
  objectParameter(trust, 'trust');
  const parameter = 'genesis' in trust ? 'genesis' : 'trust';
  const source = 'genesis' in trust ? objectParameter(trust.genesis, 'genesis') : trust;
  const { chainId, chainHash, validators } = source;
  if (typeof chainId !== 'string' || chainId === '')
    throw invalidArgument(`${parameter}.chainId must be a chain id`, `${parameter}.chainId`);
  if (!HASH_ALGORITHMS.includes(chainHash))
    throw invalidArgument(
      `${parameter}.chainHash must be one of ${HASH_ALGORITHMS.join(', ')}`,
      `${parameter}.chainHash`,
    );
  if (!Array.isArray(validators) || !validators.every(isCertifiedValidator))
    throw invalidArgument(
      `${parameter}.validators must be validators (public key and power)`,
      `${parameter}.validators`,
    );
  return { chainId, chainHash, validators };
}

function isCertifiedValidator(v: unknown): v is CertifiedValidator {
  const validator = v as Partial<CertifiedValidator> | null;
  return (
    typeof validator === 'object' &&
    validator !== null &&
    typeof validator.power === 'number' &&
    typeof validator.publicKey === 'object' &&
    validator.publicKey !== null &&
    validator.publicKey.bytes instanceof Uint8Array
  );
}

/** A header `verifyHeader` returned (a caller's argument: anything else names the parameter). */
export function certifiedHeaderArgument(value: unknown, parameter = 'header'): CertifiedHeader {
  const h = value as Partial<CertifiedHeader> | null;
  if (
    typeof h !== 'object' ||
    h === null ||
    typeof h.height !== 'number' ||
    !HASH_ALGORITHMS.includes(h.chainHash as HashAlgorithm) ||
    typeof h.header !== 'object' ||
    h.header === null ||
    !(h.header.stateRoot instanceof Uint8Array)
  )
    throw invalidArgument(`${parameter} must be a certified header (what verifyHeader returns)`, parameter);
  return h as CertifiedHeader;
}

/** A header whose certificate checked out against the trusted validators: roots here can be relied on. */
export interface CertifiedHeader {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly height: number;
  /** The header's hash, as computed here (not as the server said). */
  readonly hash: string;
  readonly header: BlockHeader;
  readonly certificate: CommitCertificate;
}

export type VerifyHeaderParameters = TrustParameters & {
  /** The header, decoded or as the API's JSON. */
  header: BlockHeader | BlockHeaderJson;
  /** Its commit certificate, decoded or as the API's JSON. */
  certificate: CommitCertificate | CommitCertificateJson;
  /** The height asked for, if any: a header of another height is refused. */
  height?: number;
  /** The hash the server claimed for the header, if any: it must be the computed one. */
  hash?: string;
};

function isCertificateJson(c: CommitCertificate | CommitCertificateJson): c is CommitCertificateJson {
  return (
    !Array.isArray(c.precommits) ||
    !c.precommits.some((p) => typeof p === 'object' && p !== null && 'message' in p)
  );
}

/**
 * Checks that a header is the one the validators committed: it names the trusted chain,
 * its hash is the value of the commit certificate, and the certificate holds precommits
 * with valid signatures from more than 2/3 of the trusted power. Each failure is a
 * `VerificationError` naming the check.
 */
export function verifyHeader(parameters: VerifyHeaderParameters): CertifiedHeader {
  objectParameter(parameters, 'parameters');
  const { chainId, chainHash, validators } = trustOf(
    'genesis' in parameters ? { genesis: parameters.genesis } : parameters,
  );
  if (parameters.height !== undefined && !Number.isSafeInteger(parameters.height))
    throw invalidArgument('height must be a whole number', 'height');
  const header =
    typeof objectParameter(parameters.header, 'header').height === 'bigint'
      ? (parameters.header as BlockHeader)
      : parseFor('header-hash', 'block header', () => headerFromJson(parameters.header));
  const c = objectParameter(parameters.certificate, 'certificate');
  const certificate = isCertificateJson(c)
    ? parseFor('certificate', 'commit certificate', () => certificateFromJson(c))
    : c;
  const height = Number(header.height);

  if (header.chainId !== chainId)
    throw new VerificationError('chain-id', `the header is for chain ${header.chainId}, not ${chainId}`, {
      expected: chainId,
      actual: header.chainId,
    });
  if (parameters.height !== undefined && height !== parameters.height)
    throw new VerificationError('header-height', `asked for height ${parameters.height}, got ${height}`, {
      expected: parameters.height,
      actual: height,
    });
  const hash = parseFor('header-hash', 'block header', () => blockHash(chainHash, header));
  if (parameters.hash !== undefined && parameters.hash.toLowerCase() !== hash)
    throw new VerificationError('header-hash', 'the claimed hash is not the header hash', {
      claimed: parameters.hash,
      computed: hash,
    });
  if (certificate.value !== hash)
    throw new VerificationError('header-hash', 'the certificate commits to another header', {
      certified: certificate.value,
      computed: hash,
    });
  const problem = parseFor('certificate', 'commit certificate', () =>
    checkCertificate(chainId, certificate, validators, height),
  );
  if (problem !== undefined)
    throw new VerificationError('certificate', `the commit certificate is invalid: ${problem}`, {
      problem,
      height,
    });
  return { chainId, chainHash, height, hash, header, certificate };
}
