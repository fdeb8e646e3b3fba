import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { getSuite, type SecretKey } from '@pujiang/crypto';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { ConsensusError } from './errors.js';

export type SignStep = 'proposal' | 'prevote' | 'precommit';

interface Entry {
  round: number;
  step: SignStep;
  value: string | null;
  /** SHA-256 of the exact bytes signed: same value with other fields (a proposal's validRound) is another message. */
  bytes: string;
  signature: string;
}
interface State {
  height: number;
  entries: Entry[];
}

/**
 * The validator's durable last-signed record. It never signs two different values for one
 * (height, round, step): asked again for the same value it returns the stored signature;
 * asked for a different one it refuses (SIGNER_DOUBLE_SIGN). It also refuses to sign for a
 * height below the one it has reached (SIGNER_REGRESSION). The record is written atomically
 * (temp file, fsync, rename, fsync of the directory) before a signature is returned, and
 * memory changes only after the write succeeded, so the guarantee holds across crashes and
 * failed writes. One process per record: the node home's lock (`pujiang node start`) sees to it. It keeps every signature of the current height, so a node
 * replaying its WAL can re-send what it signed.
 */
export class DurableSigner {
  private state: State;

  constructor(
    private readonly path: string,
    private readonly secretKey: SecretKey,
  ) {
    this.state = DurableSigner.load(path);
  }

  private static load(path: string): State {
    if (!existsSync(path)) return { height: 0, entries: [] };
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as State;
      if (!Number.isSafeInteger(parsed.height) || !Array.isArray(parsed.entries))
        throw new Error('bad shape');
      return parsed;
    } catch (cause) {
      throw new ConsensusError(
        'SIGNER_STATE_CORRUPT',
        `the signer state at ${path} is unreadable; refusing to sign`,
        {
          path,
          cause: String(cause),
        },
      );
    }
  }

  private save(state: State): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  }

  /** Signs `bytes` for (height, round, step, value), or returns the signature it already made for exactly that. */
  sign(height: number, round: number, step: SignStep, value: string | null, bytes: Uint8Array): Uint8Array {
    if (height < this.state.height) {
      throw new ConsensusError(
        'SIGNER_REGRESSION',
        `asked to sign at height ${height} after reaching ${this.state.height}`,
        {
          height,
          reached: this.state.height,
        },
      );
    }
    const current: State = height > this.state.height ? { height, entries: [] } : this.state;
    const existing = current.entries.find((e) => e.round === round && e.step === step);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (existing) {
      if (existing.value !== value || existing.bytes !== digest) {
        throw new ConsensusError('SIGNER_DOUBLE_SIGN', `refusing a second ${step} at ${height}/${round}`, {
          height,
          round,
          step,
          signed: existing.value,
          asked: value,
        });
      }
      return hexToBytes(existing.signature);
    }
    const signature = getSuite(this.secretKey.suite).sign(this.secretKey.bytes, bytes);
    const next: State = {
      height,
      entries: [...current.entries, { round, step, value, bytes: digest, signature: bytesToHex(signature) }],
    };
    // The record on disk first, then memory: a failed write leaves both as they were, so a
    // caller that went on after the error could not sign another value for this step.
    this.save(next);
    this.state = next;
    return signature;
  }
}
