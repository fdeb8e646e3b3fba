import {
  type AeadAlgorithm,
  envelopeMissing,
  type HashAlgorithm,
  openEnvelope,
  randomBytes,
  sealEnvelope,
} from '@pujiang/crypto';
import {
  bytesToHex,
  equalBytes,
  hexToBytes,
  isPujiangError,
  PujiangError,
  utf8ToBytes,
} from '@pujiang/types';
import { requestTag, sealContext } from './formats.js';

/**
 * What a request keeps from the chain's readers: who it is about, why, the salt of its tags,
 * and the subject's consent credential. Sealed to the steward, the auditors and the subject;
 * whoever opens it checks it against the request's tags, so a requester cannot show the
 * steward one purpose and record another.
 */
export interface RequestSecrets {
  readonly v: 1;
  /** The subject's identifier ('' for a whole dataset). */
  readonly subject: string;
  readonly purpose: string;
  /** 32 bytes, hex. */
  readonly salt: string;
  /** The subject's consent credential (restricted data). */
  readonly consent?: Record<string, unknown>;
}

export interface SealedRequest {
  readonly secrets: RequestSecrets;
  readonly subjectTag: Uint8Array;
  readonly purposeTag: Uint8Array;
  readonly sealed: Uint8Array;
}

/** A request as the chain keeps it, the parts the sealed terms are checked against. */
export interface SealedRequestRecord {
  readonly dataset: string;
  readonly requester: string;
  readonly sealed: string;
  readonly subjectTag: string;
  readonly purposeTag: string;
}

const ZERO = new Uint8Array(32);
/** Terms are padded to a multiple of this, so their size does not tell a subject's or purpose's length. */
const PAD = 512;

/** The AEAD a chain's envelopes use: SM4-GCM on SM3 chains, AES-256-GCM otherwise. */
export const aeadFor = (chainHash: HashAlgorithm): AeadAlgorithm =>
  chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm';

/** Seals a request's secrets to X25519 keys, bound to the requester's address, and computes its tags. */
export function sealRequest(p: {
  readonly recipients: readonly Uint8Array[];
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly dataset: string;
  readonly requester: string;
  readonly subject: string;
  readonly purpose: string;
  readonly consent?: Record<string, unknown>;
}): SealedRequest {
  const salt = randomBytes(32);
  const secrets: RequestSecrets = {
    v: 1,
    subject: p.subject,
    purpose: p.purpose,
    salt: bytesToHex(salt),
    ...(p.consent ? { consent: p.consent } : {}),
  };
  const text = JSON.stringify(secrets);
  const padded = text + ' '.repeat((PAD - (utf8ToBytes(text).length % PAD)) % PAD);
  const sealed = sealEnvelope(p.recipients, utf8ToBytes(padded), {
    aead: aeadFor(p.chainHash),
    context: sealContext(p.chainId, p.dataset, p.requester),
  });
  return {
    secrets,
    subjectTag: p.subject === '' ? ZERO : requestTag(p.chainHash, 'subject', p.dataset, salt, p.subject),
    purposeTag: requestTag(p.chainHash, 'purpose', p.dataset, salt, p.purpose),
    sealed,
  };
}

const mismatch = (message: string) => new PujiangError('DATA_SEAL_MISMATCH', message);

/**
 * Opens a request's envelope with one of its recipients' X25519 secret keys and checks it
 * against the request's tags: `DATA_NOT_RECIPIENT` when the key is not one of its recipients',
 * `DATA_SEAL_MISMATCH` when it was altered, moved to another requester, or lies about its tags.
 */
export function openRequest(
  secretKey: Uint8Array,
  request: SealedRequestRecord,
  chain: { readonly chainId: string; readonly chainHash: HashAlgorithm },
): RequestSecrets {
  let secrets: RequestSecrets;
  try {
    const plain = openEnvelope(secretKey, hexToBytes(request.sealed), {
      context: sealContext(chain.chainId, request.dataset, request.requester),
    });
    secrets = JSON.parse(new TextDecoder().decode(plain)) as RequestSecrets;
  } catch (error) {
    if (isPujiangError(error) && error.code === 'CRYPTO_NOT_RECIPIENT')
      throw new PujiangError('DATA_NOT_RECIPIENT', 'the request is not sealed to this key');
    throw mismatch('the request’s envelope does not open: altered, or another requester’s');
  }
  if (
    secrets?.v !== 1 ||
    typeof secrets.subject !== 'string' ||
    typeof secrets.purpose !== 'string' ||
    typeof secrets.salt !== 'string' ||
    !/^[0-9a-f]{64}$/.test(secrets.salt) ||
    (secrets.consent !== undefined && (typeof secrets.consent !== 'object' || secrets.consent === null))
  )
    throw mismatch('the sealed request is malformed');
  const salt = hexToBytes(secrets.salt);
  const subjectTag =
    secrets.subject === ''
      ? ZERO
      : requestTag(chain.chainHash, 'subject', request.dataset, salt, secrets.subject);
  if (!equalBytes(subjectTag, hexToBytes(request.subjectTag)))
    throw mismatch('the sealed subject does not match the subject tag on chain');
  if (
    !equalBytes(
      requestTag(chain.chainHash, 'purpose', request.dataset, salt, secrets.purpose),
      hexToBytes(request.purposeTag),
    )
  )
    throw mismatch('the sealed purpose does not match the purpose tag on chain');
  return secrets;
}

/**
 * Throws `DATA_SEAL_RECIPIENTS` unless the request is sealed to every key in `expected` (the
 * auditors' and the subject's), checked by a recipient who opened it: a requester cannot keep
 * its terms from those who must be able to read them.
 */
export function requireRecipients(
  secretKey: Uint8Array,
  request: SealedRequestRecord,
  expected: readonly Uint8Array[],
): void {
  let missing: number[];
  try {
    missing = envelopeMissing(secretKey, hexToBytes(request.sealed), expected);
  } catch {
    throw new PujiangError('DATA_SEAL_RECIPIENTS', 'the request’s recipients cannot be checked');
  }
  if (missing.length > 0)
    throw new PujiangError(
      'DATA_SEAL_RECIPIENTS',
      'the request is not sealed to every auditor and its subject',
      {
        missing: missing.length,
      },
    );
}
