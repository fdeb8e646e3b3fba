import {
  AEAD_NONCE_LENGTH,
  aeadDecrypt,
  aeadEncrypt,
  generateEphemeralKeyPair,
  hkdfSha256,
  randomBytes,
  x25519SharedSecret,
} from '@pujiang/crypto';
import { concatBytes, PujiangError, utf8ToBytes } from '@pujiang/types';
import { MEMO_BYTES } from './formats.js';

/**
 * A transfer's memo: the amount and blind sealed to an X25519 view key (ephemeral-static
 * Diffie-Hellman, HKDF-SHA256, AES-256-GCM). The receiver learns its new balance's opening
 * from it, the auditor what moved; neither can spend, since spending needs the sender's key
 * and the balance's opening. The circuit does not prove a memo matches its commitment: a
 * receiver or the auditor checks it (`openMemo` then `commit`) and a mismatch is evidence
 * against the sender, who signed the transfer.
 */
const INFO = utf8ToBytes('pujiang/confidential/memo/v1');

export function sealMemo(
  viewKey: Uint8Array,
  amount: bigint,
  blind: bigint,
  context: Uint8Array,
): Uint8Array {
  const eph = generateEphemeralKeyPair();
  const key = hkdfSha256(x25519SharedSecret(eph.secretKey, viewKey), context, INFO, 32);
  const nonce = randomBytes(AEAD_NONCE_LENGTH);
  const plain = new Uint8Array(40);
  new DataView(plain.buffer).setBigUint64(0, amount);
  let b = blind;
  for (let i = 39; i >= 8; i--) {
    plain[i] = Number(b & 0xffn);
    b >>= 8n;
  }
  const sealed = concatBytes(eph.publicKey, nonce, aeadEncrypt('aes-256-gcm', key, nonce, plain, context));
  if (sealed.length !== MEMO_BYTES) throw new PujiangError('CONFIDENTIAL_BAD_MEMO', 'memo size');
  return sealed;
}

export function openMemo(
  viewSecret: Uint8Array,
  memo: Uint8Array,
  context: Uint8Array,
): { readonly amount: bigint; readonly blind: bigint } {
  if (memo.length !== MEMO_BYTES) throw new PujiangError('CONFIDENTIAL_BAD_MEMO', 'a memo is 100 bytes');
  const key = hkdfSha256(x25519SharedSecret(viewSecret, memo.subarray(0, 32)), context, INFO, 32);
  let plain: Uint8Array;
  try {
    plain = aeadDecrypt('aes-256-gcm', key, memo.subarray(32, 44), memo.subarray(44), context);
  } catch {
    throw new PujiangError('CONFIDENTIAL_BAD_MEMO', 'the memo does not open with this view key');
  }
  const amount = new DataView(plain.buffer, plain.byteOffset).getBigUint64(0);
  const blind = plain.subarray(8).reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  return { amount, blind };
}
