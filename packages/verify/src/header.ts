import { type CertifiedValidator, type CommitCertificate, checkCertificate } from '@pujiang/consensus';
import type { HashAlgorithm } from '@pujiang/crypto';
import {
  type BlockHeader,
  type BlockHeaderJson,
  blockHash,
  type CommitCertificateJson,
  certificateFromJson,
  type Genesis,
  headerFromJson,
} from '@pujiang/protocol';
import { parseFor, VerificationError } from './errors.js';

/** What a client trusts: the chain's id and hash and its validator set (in this version fixed at genesis). */
export interface TrustedValidators {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly validators: readonly CertifiedValidator[];
}

export type TrustParameters = { genesis: Genesis } | TrustedValidators;

export function trustOf(trust: TrustParameters): TrustedValidators {
  return 'genesis' in trust
    ? {
        chainId: trust.genesis.chainId,
        chainHash: trust.genesis.chainHash,
        validators: trust.genesis.validators,
      }
    : { chainId: trust.chainId, chainHash: trust.chainHash, validators: trust.validators };
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
  return !c.precommits.some((p) => 'message' in p);
}

/**
 * Checks that a header is the one the validators committed: it names the trusted chain,
 * its hash is the value of the commit certificate, and the certificate holds precommits
 * with valid signatures from more than 2/3 of the trusted power. Each failure is a
 * `VerificationError` naming the check.
 */
export function verifyHeader(parameters: VerifyHeaderParameters): CertifiedHeader {
  const { chainId, chainHash, validators } = trustOf(parameters);
  const header =
    typeof parameters.header.height === 'bigint'
      ? (parameters.header as BlockHeader)
      : parseFor('header-hash', 'block header', () => headerFromJson(parameters.header));
  const c = parameters.certificate;
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
  const hash = blockHash(chainHash, header);
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
  const problem = checkCertificate(chainId, certificate, validators, height);
  if (problem !== undefined)
    throw new VerificationError('certificate', `the commit certificate is invalid: ${problem}`, {
      problem,
      height,
    });
  return { chainId, chainHash, height, hash, header, certificate };
}
