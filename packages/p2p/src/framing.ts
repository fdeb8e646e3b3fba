import { p2pError } from './errors.js';

/** Largest frame accepted from a peer (bytes of payload); a block of 16 MiB plus room. */
export const DEFAULT_MAX_FRAME = 20 * 1024 * 1024;

/** A frame on the wire: a 4-byte big-endian payload length, then the payload. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/**
 * Cuts a byte stream into frames, whatever the chunking of the stream. A length over the
 * limit is `P2P_FRAME_TOO_LARGE` before anything is buffered: a peer cannot make us hold
 * more than one frame's worth of its bytes.
 */
export class FrameDecoder {
  private buffered: Uint8Array[] = [];
  private size = 0;

  /** The largest frame accepted; a link raises it once its handshake (16 KiB frames) is done. */
  constructor(public maxFrame = DEFAULT_MAX_FRAME) {}

  /** Buffers a chunk and returns every whole frame now in the buffer. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk);
    const frames: Uint8Array[] = [];
    for (let frame = this.next(); frame !== undefined; frame = this.next()) frames.push(frame);
    return frames;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.buffered.push(chunk);
    this.size += chunk.length;
  }

  /** The next whole frame, or undefined; a declared length over `maxFrame` throws before buffering it. */
  next(): Uint8Array | undefined {
    if (this.size < 4) return undefined;
    const head = this.peek(4);
    const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
    if (length > this.maxFrame)
      throw p2pError('P2P_FRAME_TOO_LARGE', `a frame of ${length} bytes exceeds ${this.maxFrame}`, {
        length,
      });
    if (this.size < 4 + length) return undefined;
    return this.take(4 + length).subarray(4);
  }

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.size;
  }

  private peek(n: number): Uint8Array {
    if (this.buffered[0]!.length >= n) return this.buffered[0]!.subarray(0, n);
    return this.join().subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const all = this.buffered[0]!.length >= n ? this.buffered[0]! : this.join();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.size -= n;
    return out;
  }

  private join(): Uint8Array {
    const all = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.buffered) {
      all.set(part, at);
      at += part.length;
    }
    this.buffered = [all];
    return all;
  }
}
