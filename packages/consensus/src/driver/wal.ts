import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ConsensusError } from './errors.js';
import { decodeRecord, encodeRecord, type WalRecord } from './records.js';

/**
 * A write-ahead log of consensus inputs. Each record is framed as
 *   u32 length | u32 CRC-32 of the payload | u32 CRC-32 of the first 8 header bytes | payload
 * (big-endian; the payload is the canonical encoding). Appends are cheap; `sync` (fsync)
 * makes everything appended so far durable, and the driver calls it before it signs
 * anything. On open, what a crash mid-write leaves is truncated away: a header cut short, a
 * payload running past the end of the file, or a last payload failing its checksum. A
 * header that fails its own checksum, or a bad payload with data after it, is corruption
 * (WAL_CORRUPT, fatal): the node must not run on a log that silently lost its locks.
 */
const HEADER = 12;
const MAX_RECORD = 16 << 20;

export interface WalOpenResult {
  readonly wal: Wal;
  readonly records: WalRecord[];
  /** Bytes cut from a torn tail (0 if the file ended cleanly). */
  readonly truncatedBytes: number;
}

export class Wal {
  private constructor(
    private readonly path: string,
    private fd: number,
    private size: number,
  ) {}

  static open(path: string): WalOpenResult {
    const data = existsSync(path) ? new Uint8Array(readFileSync(path)) : new Uint8Array(0);
    const records: WalRecord[] = [];
    let offset = 0;
    while (offset < data.length) {
      const view = new DataView(data.buffer, data.byteOffset + offset);
      if (data.length - offset < HEADER) break; // torn header
      const length = view.getUint32(0);
      const checksum = view.getUint32(4);
      if (crc32(data.subarray(offset, offset + 8)) !== view.getUint32(8)) {
        throw new ConsensusError('WAL_CORRUPT', `WAL record header at byte ${offset} fails its checksum`, {
          path,
          offset,
        });
      }
      if (length > MAX_RECORD) {
        throw new ConsensusError('WAL_CORRUPT', `WAL record at byte ${offset} claims ${length} bytes`, {
          path,
          offset,
        });
      }
      if (offset + HEADER + length > data.length) break; // torn payload
      const payload = data.subarray(offset + HEADER, offset + HEADER + length);
      const last = offset + HEADER + length === data.length;
      if (crc32(payload) !== checksum) {
        if (last) break; // torn: the final write did not complete
        throw new ConsensusError('WAL_CORRUPT', `WAL record at byte ${offset} fails its checksum`, {
          path,
          offset,
        });
      }
      try {
        records.push(decodeRecord(payload));
      } catch (cause) {
        throw new ConsensusError('WAL_CORRUPT', `WAL record at byte ${offset} does not decode`, {
          path,
          offset,
          cause: String(cause),
        });
      }
      offset += HEADER + length;
    }
    const end = offset;
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    const truncatedBytes = data.length - end;
    if (truncatedBytes > 0) {
      ftruncateSync(fd, end);
      fsyncSync(fd);
    }
    return { wal: new Wal(path, fd, end), records, truncatedBytes };
  }

  /** Appends a record (not yet durable: call `sync`). */
  append(record: WalRecord): void {
    const payload = encodeRecord(record);
    const frame = new Uint8Array(HEADER + payload.length);
    const view = new DataView(frame.buffer);
    view.setUint32(0, payload.length);
    view.setUint32(4, crc32(payload));
    view.setUint32(8, crc32(frame.subarray(0, 8)));
    frame.set(payload, HEADER);
    let written = 0;
    while (written < frame.length)
      written += writeSync(this.fd, frame, written, frame.length - written, this.size + written);
    this.size += frame.length;
  }

  /** fsync: every record appended so far survives a crash. */
  sync(): void {
    fsyncSync(this.fd);
  }

  /** Starts over (a new height began after the previous one was committed). */
  reset(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
    fsyncSync(this.fd);
  }

  get bytes(): number {
    return this.size;
  }

  close(): void {
    closeSync(this.fd);
  }

  toString(): string {
    return `Wal(${this.path})`;
  }
}
