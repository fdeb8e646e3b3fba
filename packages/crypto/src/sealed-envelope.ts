import { concatBytes, equalBytes, utf8ToBytes } from '@pujiang/types';
import { CryptoError } from './errors.js';
import { hkdfSha256, x25519PublicKey, x25519SharedSecret } from './key-exchange.js';
import { randomBytes } from './platform-node.js';
import {
  AEAD_NONCE_LENGTH,
  AEAD_TAG_LENGTH,
  type AeadAlgorithm,
  aeadDecrypt,
  aeadEncrypt,
} from './symmetric.js';

/**
 * A payload sealed to several recipients' X25519 keys, in the manner of HPKE's base mode: a
 * random content key encrypts the payload (AES-256-GCM, or SM4-GCM with its first 16 bytes)
 * with the whole header as associated data; per recipient, HKDF-SHA256 over the X25519 secret
 * (salted with both public keys) gives a wrap key and nonce that encrypt the content key once,
 * and the entry's id.
 *
 *   "PJS2" | aead (1) | ephemeral key (32) | n (1) | n x (id (8) | wrapped key (48), sorted by id)
 *   | nonce (12) | ciphertext and tag
 *
 * - An id comes from the shared secret, so only its recipient can tell which entry is its own:
 *   nobody can learn from the envelope whom it is sealed to, even knowing every public key.
 * - The ephemeral secret is derived from the content key, so any recipient, once it has opened
 *   the envelope, can recompute every entry and check that the envelope is sealed to whom it
 *   must be (`envelopeMissing`): a sender cannot list a recipient with a wrap that does not open.
 */
const MAGIC = utf8ToBytes('PJS2');
const AEADS: readonly AeadAlgorithm[] = ['aes-256-gcm', 'sm4-gcm'];
const ID_BYTES = 8;
const WRAPPED_BYTES = 32 + AEAD_TAG_LENGTH;
const ENTRY_BYTES = ID_BYTES + WRAPPED_BYTES;
const HEADER_BYTES = 4 + 1 + 32 + 1;
export const MAX_SEALED_RECIPIENTS = 16;
const WRAP_INFO = utf8ToBytes('pujiang/sealed/v2/wrap');
const EPHEMERAL_INFO = utf8ToBytes('pujiang/sealed/v2/ephemeral');

export interface SealOptions {
  /** The payload cipher: AES-256-GCM (default) or SM4-GCM (national-crypto chains). */
  readonly aead?: AeadAlgorithm;
  /** Bound into the encryption (a record's id, say): opening needs the same bytes. */
  readonly context?: Uint8Array;
}

const malformed = (message: string) =>
  new CryptoError('CRYPTO_INVALID_INPUT', `sealed envelope: ${message}`, {});

/** A recipient's entry: its id and the content key wrapped for it (deterministic given both keys). */
function entryFor(
  ephemeralSecret: Uint8Array,
  ephemeral: Uint8Array,
  recipient: Uint8Array,
  aeadId: number,
  key: Uint8Array,
) {
  const okm = hkdfSha256(
    x25519SharedSecret(ephemeralSecret, recipient),
    concatBytes(ephemeral, recipient),
    concatBytes(WRAP_INFO, new Uint8Array([aeadId])),
    32 + AEAD_NONCE_LENGTH + ID_BYTES,
  );
  const id = okm.subarray(32 + AEAD_NONCE_LENGTH);
  return {
    id,
    bytes: concatBytes(id, aeadEncrypt('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32, 44), key)),
  };
}

const ephemeralOf = (key: Uint8Array) => {
  const secretKey = hkdfSha256(key, new Uint8Array(0), EPHEMERAL_INFO, 32);
  return { secretKey, publicKey: x25519PublicKey(secretKey) };
};

const contentKey = (aead: AeadAlgorithm, key: Uint8Array) => (aead === 'sm4-gcm' ? key.subarray(0, 16) : key);

const compare = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

/** Seals `plaintext` to 1-16 distinct X25519 public keys. */
export function sealEnvelope(
  recipients: readonly Uint8Array[],
  plaintext: Uint8Array,
  options: SealOptions = {},
): Uint8Array {
  const aead = options.aead ?? 'aes-256-gcm';
  const aeadId = AEADS.indexOf(aead);
  if (aeadId < 0) throw new CryptoError('CRYPTO_INVALID_INPUT', `unknown AEAD ${String(aead)}`, {});
  if (recipients.length < 1 || recipients.length > MAX_SEALED_RECIPIENTS)
    throw new CryptoError('CRYPTO_INVALID_INPUT', `seal to 1 to ${MAX_SEALED_RECIPIENTS} recipients`, {
      recipients: recipients.length,
    });
  if (new Set(recipients.map((r) => Buffer.from(r).toString('hex'))).size !== recipients.length)
    throw new CryptoError('CRYPTO_INVALID_INPUT', 'recipients must be distinct', {});
  const key = randomBytes(32);
  const eph = ephemeralOf(key);
  const entries = recipients
    .map((r) => entryFor(eph.secretKey, eph.publicKey, r, aeadId, key))
    .sort((a, b) => compare(a.id, b.id))
    .map((e) => e.bytes);
  const header = concatBytes(
    MAGIC,
    new Uint8Array([aeadId]),
    eph.publicKey,
    new Uint8Array([recipients.length]),
    ...entries,
  );
  const nonce = randomBytes(AEAD_NONCE_LENGTH);
  const aad = concatBytes(header, options.context ?? new Uint8Array(0));
  return concatBytes(header, nonce, aeadEncrypt(aead, contentKey(aead, key), nonce, plaintext, aad));
}

interface ParsedEnvelope {
  readonly aead: AeadAlgorithm;
  readonly aeadId: number;
  readonly ephemeral: Uint8Array;
  readonly entries: readonly Uint8Array[];
  readonly header: Uint8Array;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

function parse(envelope: Uint8Array): ParsedEnvelope {
  if (!(envelope instanceof Uint8Array)) throw malformed('not bytes');
  if (envelope.length < HEADER_BYTES || !equalBytes(envelope.subarray(0, 4), MAGIC))
    throw malformed('not a PJS2 envelope');
  const aeadId = envelope[4]!;
  const aead = AEADS[aeadId];
  if (!aead) throw malformed(`unknown AEAD ${aeadId}`);
  const n = envelope[37]!;
  if (n < 1 || n > MAX_SEALED_RECIPIENTS) throw malformed('1 to 16 recipients');
  const headerEnd = HEADER_BYTES + n * ENTRY_BYTES;
  if (envelope.length < headerEnd + AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH) throw malformed('truncated');
  // Ids strictly increasing: a decoy entry with another recipient's id cannot shadow the real one.
  for (let i = 1; i < n; i++) {
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    if (
      compare(
        envelope.subarray(at - ENTRY_BYTES, at - ENTRY_BYTES + ID_BYTES),
        envelope.subarray(at, at + ID_BYTES),
      ) >= 0
    )
      throw malformed('entry ids must be distinct and sorted');
  }
  return {
    aead,
    aeadId,
    ephemeral: envelope.subarray(5, 37),
    entries: Array.from({ length: n }, (_, i) =>
      envelope.subarray(HEADER_BYTES + i * ENTRY_BYTES, HEADER_BYTES + (i + 1) * ENTRY_BYTES),
    ),
    header: envelope.subarray(0, headerEnd),
    nonce: envelope.subarray(headerEnd, headerEnd + AEAD_NONCE_LENGTH),
    sealed: envelope.subarray(headerEnd + AEAD_NONCE_LENGTH),
  };
}

/** The content key, found with a recipient's secret key (`CRYPTO_NOT_RECIPIENT` if it is none). */
function unwrap(secretKey: Uint8Array, e: ParsedEnvelope): Uint8Array {
  const publicKey = x25519PublicKey(secretKey);
  const okm = hkdfSha256(
    x25519SharedSecret(secretKey, e.ephemeral),
    concatBytes(e.ephemeral, publicKey),
    concatBytes(WRAP_INFO, new Uint8Array([e.aeadId])),
    32 + AEAD_NONCE_LENGTH + ID_BYTES,
  );
  const id = okm.subarray(32 + AEAD_NONCE_LENGTH);
  const entry = e.entries.find((x) => equalBytes(x.subarray(0, ID_BYTES), id));
  if (!entry) throw new CryptoError('CRYPTO_NOT_RECIPIENT', 'the envelope is not sealed to this key', {});
  return aeadDecrypt('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32, 44), entry.subarray(ID_BYTES));
}

/**
 * Opens an envelope with a recipient's X25519 secret key: `CRYPTO_NOT_RECIPIENT` if it is not
 * sealed to it, `CRYPTO_DECRYPT_FAILED` if any byte (or the context) differs from what was sealed.
 */
export function openEnvelope(
  secretKey: Uint8Array,
  envelope: Uint8Array,
  options: { readonly context?: Uint8Array } = {},
): Uint8Array {
  const e = parse(envelope);
  const key = unwrap(secretKey, e);
  const aad = concatBytes(e.header, options.context ?? new Uint8Array(0));
  return aeadDecrypt(e.aead, contentKey(e.aead, key), e.nonce, e.sealed, aad);
}

/**
 * Which of `expected` (X25519 public keys) the envelope is not properly sealed to, checked by
 * a recipient (its secret key opens the content key, from which every entry is recomputed):
 * the indexes of the missing ones, empty when it is sealed to all of them.
 * `CRYPTO_ENVELOPE_RECIPIENTS` if the sender did not derive its ephemeral key from the content
 * key (then no entry can be checked).
 */
export function envelopeMissing(
  secretKey: Uint8Array,
  envelope: Uint8Array,
  expected: readonly Uint8Array[],
): number[] {
  const e = parse(envelope);
  const key = unwrap(secretKey, e);
  const eph = ephemeralOf(key);
  if (!equalBytes(eph.publicKey, e.ephemeral))
    throw new CryptoError('CRYPTO_ENVELOPE_RECIPIENTS', 'the envelope’s recipients cannot be checked', {});
  const present = new Set(e.entries.map((x) => Buffer.from(x).toString('hex')));
  return expected.flatMap((pk, i) => {
    const mine = entryFor(eph.secretKey, eph.publicKey, pk, e.aeadId, key);
    return present.has(Buffer.from(mine.bytes).toString('hex')) ? [] : [i];
  });
}
