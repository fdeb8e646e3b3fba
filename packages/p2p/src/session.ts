import { type AeadAlgorithm, aeadDecrypt, aeadEncrypt } from '@pujiang/crypto';
import { p2pError } from './errors.js';

/** Frames per direction before a session must be replaced (far below GCM's nonce space). */
const MAX_FRAMES = 2 ** 48;

/**
 * One direction-keyed encrypted channel after a handshake. Each frame is sealed with the
 * sender's key under a nonce that is the frame's sequence number, so a frame replayed,
 * dropped, reordered or altered fails to open (`P2P_DECRYPT_FAILED`) and the link is closed.
 */
export class Session {
  private sent = 0;
  private received = 0;

  constructor(
    readonly algorithm: AeadAlgorithm,
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array,
  ) {}

  seal(plaintext: Uint8Array): Uint8Array {
    if (this.sent >= MAX_FRAMES)
      throw p2pError('P2P_SESSION_EXHAUSTED', 'this session has sealed too many frames');
    return aeadEncrypt(this.algorithm, this.sendKey, nonceOf(this.sent++), plaintext);
  }

  open(sealed: Uint8Array): Uint8Array {
    try {
      const plaintext = aeadDecrypt(this.algorithm, this.receiveKey, nonceOf(this.received), sealed);
      this.received++;
      return plaintext;
    } catch (cause) {
      throw p2pError('P2P_DECRYPT_FAILED', 'a frame did not authenticate', {
        frame: this.received,
        cause: String(cause),
      });
    }
  }
}

function nonceOf(sequence: number): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(sequence));
  return nonce;
}
