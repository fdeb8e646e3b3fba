import { type AeadAlgorithm, aeadDecrypt, aeadEncrypt, hkdfSha256 } from '@pujiang/crypto';
import { utf8ToBytes } from '@pujiang/types';
import { p2pError } from './errors.js';

/** Bytes sealed under one key before both sides move to the next (far inside GCM's limits). */
export const DEFAULT_REKEY_BYTES = 2 ** 30;
/** Frames under one key before a rekey, whatever their size (nonces are 64-bit counters). */
const MAX_FRAMES_PER_KEY = 2 ** 32;
const REKEY_INFO = utf8ToBytes('pujiang/p2p/v2 rekey');

/** One direction's key, its frame counter (the nonce) and the bytes sealed under it. */
class Direction {
  private frames = 0;
  private bytes = 0;

  constructor(
    private key: Uint8Array,
    private readonly rekeyBytes: number,
  ) {}

  get current(): { key: Uint8Array; nonce: Uint8Array } {
    return { key: this.key, nonce: nonceOf(this.frames) };
  }

  /**
   * Counts a frame; once the byte budget or the frame count is spent, the next key is
   * HKDF(key) and the counter restarts. Both sides count the same sealed lengths, so they
   * switch at the same frame without a message.
   */
  advance(sealedLength: number): void {
    this.frames++;
    this.bytes += sealedLength;
    if (this.bytes < this.rekeyBytes && this.frames < MAX_FRAMES_PER_KEY) return;
    this.key = hkdfSha256(this.key, new Uint8Array(0), REKEY_INFO, this.key.length);
    this.frames = 0;
    this.bytes = 0;
  }

  get sequence(): number {
    return this.frames;
  }
}

/**
 * One direction-keyed encrypted channel after a handshake. Each frame is sealed with the
 * sender's key under a nonce that is the frame's sequence number, so a frame replayed,
 * dropped, reordered or altered fails to open (`P2P_DECRYPT_FAILED`) and the link is closed.
 * Keys roll forward every `rekeyBytes` (default 1 GiB) in each direction.
 */
export class Session {
  private readonly out: Direction;
  private readonly in: Direction;

  constructor(
    readonly algorithm: AeadAlgorithm,
    sendKey: Uint8Array,
    receiveKey: Uint8Array,
    o: { rekeyBytes?: number } = {},
  ) {
    const budget = o.rekeyBytes ?? DEFAULT_REKEY_BYTES;
    this.out = new Direction(sendKey, budget);
    this.in = new Direction(receiveKey, budget);
  }

  seal(plaintext: Uint8Array): Uint8Array {
    const { key, nonce } = this.out.current;
    const sealed = aeadEncrypt(this.algorithm, key, nonce, plaintext);
    this.out.advance(sealed.length);
    return sealed;
  }

  open(sealed: Uint8Array): Uint8Array {
    const { key, nonce } = this.in.current;
    let plaintext: Uint8Array;
    try {
      plaintext = aeadDecrypt(this.algorithm, key, nonce, sealed);
    } catch (cause) {
      throw p2pError('P2P_DECRYPT_FAILED', 'a frame did not authenticate', {
        frame: this.in.sequence,
        cause: String(cause),
      });
    }
    this.in.advance(sealed.length);
    return plaintext;
  }
}

function nonceOf(sequence: number): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(sequence));
  return nonce;
}
