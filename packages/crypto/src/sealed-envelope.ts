import { concatBytes, equalBytes, utf8ToBytes } from '@pujiang/types';
import { CryptoError } from './errors.js';
import { hash } from './hash.js';
import { generateEphemeralKeyPair, hkdfSha256, x25519PublicKey, x25519SharedSecret } from './key-exchange.js';
import { randomBytes } from './platform-node.js';
import {
  AEAD_NONCE_LENGTH,
  AEAD_TAG_LENGTH,
  type AeadAlgorithm,
  aeadDecrypt,
  aeadEncrypt,
} from './symmetric.js';

/**
 * A payload sealed to several recipients' X25519 keys, in the manner of HPKE's base mode: one
 * ephemeral key, per recipient a wrap key from HKDF-SHA256 over the X25519 secret (salted with
 * both public keys), wrapping one random content key; the payload under AES-256-GCM or SM4-GCM
 * with the whole header as associated data, so no recipient can be added, dropped or swapped.
 *
 *   "PJS1" | aead (1) | ephemeral key (32) | n (1) | n x (recipient id (8) | wrapped key (48))
 *   | nonce (12) | ciphertext and tag
 *
 * A recipient id is the first 8 bytes of SHA-256 of its public key. A wrap key encrypts one
 * content key once, so its nonce is derived with it.
 */
const MAGIC = utf8ToBytes('PJS1');
const AEADS: readonly AeadAlgorithm[] = ['aes-256-gcm', 'sm4-gcm'];
const ID_BYTES = 8;
const WRAPPED_BYTES = 32 + AEAD_TAG_LENGTH;
const ENTRY_BYTES = ID_BYTES + WRAPPED_BYTES;
export const MAX_SEALED_RECIPIENTS = 16;
const WRAP_INFO = utf8ToBytes('pujiang/sealed/v1/wrap');

export interface SealOptions {
  /** The payload cipher: AES-256-GCM (default) or SM4-GCM (national-crypto chains). */
  readonly aead?: AeadAlgorithm;
  /** Bound into the encryption (a record's id, say): opening needs the same bytes. */
  readonly context?: Uint8Array;
}

const malformed = (message: string) =>
  new CryptoError('CRYPTO_INVALID_INPUT', `sealed envelope: ${message}`, {});

/** A recipient's id in an envelope: the first 8 bytes of SHA-256 of its X25519 public key. */
export const sealedRecipientId = (publicKey: Uint8Array): Uint8Array =>
  hash('sha256', publicKey).subarray(0, ID_BYTES);

function wrapKey(shared: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array, aead: number) {
  const okm = hkdfSha256(
    shared,
    concatBytes(ephemeral, recipient),
    concatBytes(WRAP_INFO, new Uint8Array([aead])),
    32 + AEAD_NONCE_LENGTH,
  );
  return { key: okm.subarray(0, 32), nonce: okm.subarray(32) };
}

const contentKey = (aead: AeadAlgorithm, key: Uint8Array) => (aead === 'sm4-gcm' ? key.subarray(0, 16) : key);

/** Seals `plaintext` to 1-16 X25519 public keys (distinct). */
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
  const ids = recipients.map((r) => sealedRecipientId(r));
  if (new Set(ids.map((id) => Buffer.from(id).toString('hex'))).size !== ids.length)
    throw new CryptoError('CRYPTO_INVALID_INPUT', 'recipients must be distinct', {});
  const eph = generateEphemeralKeyPair();
  const key = randomBytes(32);
  const entries = recipients.map((r, i) => {
    const wrap = wrapKey(x25519SharedSecret(eph.secretKey, r), eph.publicKey, r, aeadId);
    return concatBytes(ids[i]!, aeadEncrypt('aes-256-gcm', wrap.key, wrap.nonce, key));
  });
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
  readonly entries: readonly { readonly id: Uint8Array; readonly wrapped: Uint8Array }[];
  readonly header: Uint8Array;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

function parse(envelope: Uint8Array): ParsedEnvelope {
  if (!(envelope instanceof Uint8Array)) throw malformed('not bytes');
  if (envelope.length < 4 + 1 + 32 + 1 || !equalBytes(envelope.subarray(0, 4), MAGIC))
    throw malformed('not a PJS1 envelope');
  const aeadId = envelope[4]!;
  const aead = AEADS[aeadId];
  if (!aead) throw malformed(`unknown AEAD ${aeadId}`);
  const n = envelope[37]!;
  if (n < 1 || n > MAX_SEALED_RECIPIENTS) throw malformed('1 to 16 recipients');
  const headerEnd = 38 + n * ENTRY_BYTES;
  if (envelope.length < headerEnd + AEAD_NONCE_LENGTH + AEAD_TAG_LENGTH) throw malformed('truncated');
  const entries = Array.from({ length: n }, (_, i) => {
    const at = 38 + i * ENTRY_BYTES;
    return {
      id: envelope.subarray(at, at + ID_BYTES),
      wrapped: envelope.subarray(at + ID_BYTES, at + ENTRY_BYTES),
    };
  });
  return {
    aead,
    aeadId,
    ephemeral: envelope.subarray(5, 37),
    entries,
    header: envelope.subarray(0, headerEnd),
    nonce: envelope.subarray(headerEnd, headerEnd + AEAD_NONCE_LENGTH),
    sealed: envelope.subarray(headerEnd + AEAD_NONCE_LENGTH),
  };
}

/** The recipient ids an envelope names (hex), without opening it. */
export function sealedRecipients(envelope: Uint8Array): string[] {
  return parse(envelope).entries.map((e) => Buffer.from(e.id).toString('hex'));
}

/**
 * Opens an envelope with a recipient's X25519 secret key. `CRYPTO_DECRYPT_FAILED` if the key
 * is not a recipient's, or any byte (or the context) differs from what was sealed.
 */
export function openEnvelope(
  secretKey: Uint8Array,
  envelope: Uint8Array,
  options: { readonly context?: Uint8Array } = {},
): Uint8Array {
  const e = parse(envelope);
  const publicKey = x25519PublicKey(secretKey);
  const id = sealedRecipientId(publicKey);
  const entry = e.entries.find((x) => equalBytes(x.id, id));
  const failed = () =>
    new CryptoError('CRYPTO_DECRYPT_FAILED', 'the envelope is not sealed to this key, or was altered', {});
  if (!entry) throw failed();
  const wrap = wrapKey(x25519SharedSecret(secretKey, e.ephemeral), e.ephemeral, publicKey, e.aeadId);
  const key = aeadDecrypt('aes-256-gcm', wrap.key, wrap.nonce, entry.wrapped);
  const aad = concatBytes(e.header, options.context ?? new Uint8Array(0));
  return aeadDecrypt(e.aead, contentKey(e.aead, key), e.nonce, e.sealed, aad);
}
