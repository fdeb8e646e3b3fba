import {
  type AeadAlgorithm,
  type HashAlgorithm,
  openEnvelope,
  randomBytes,
  sealEnvelope,
} from '@pujiang/crypto';
import { bytesToHex, equalBytes, hexToBytes, PujiangError, utf8ToBytes } from '@pujiang/types';
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

const ZERO = new Uint8Array(32);

/** Seals a request's secrets to X25519 keys and computes its tags. */
export function sealRequest(p: {
  readonly recipients: readonly Uint8Array[];
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly dataset: string;
  readonly subject: string;
  readonly purpose: string;
  readonly consent?: Record<string, unknown>;
  readonly aead?: AeadAlgorithm;
}): SealedRequest {
  const salt = randomBytes(32);
  const secrets: RequestSecrets = {
    v: 1,
    subject: p.subject,
    purpose: p.purpose,
    salt: bytesToHex(salt),
    ...(p.consent ? { consent: p.consent } : {}),
  };
  const sealed = sealEnvelope(p.recipients, utf8ToBytes(JSON.stringify(secrets)), {
    aead: p.aead ?? (p.chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm'),
    context: sealContext(p.chainId, p.dataset),
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
 * against the request's tags (`DATA_SEAL_MISMATCH` otherwise).
 */
export function openRequest(
  secretKey: Uint8Array,
  request: {
    readonly dataset: string;
    readonly sealed: string;
    readonly subjectTag: string;
    readonly purposeTag: string;
  },
  chain: { readonly chainId: string; readonly chainHash: HashAlgorithm },
): RequestSecrets {
  let secrets: RequestSecrets;
  try {
    const plain = openEnvelope(secretKey, hexToBytes(request.sealed), {
      context: sealContext(chain.chainId, request.dataset),
    });
    secrets = JSON.parse(new TextDecoder().decode(plain)) as RequestSecrets;
  } catch {
    throw mismatch('the request is not sealed to this key, or its envelope was altered');
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
