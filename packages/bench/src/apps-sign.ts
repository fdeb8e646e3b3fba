import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashAlgorithm, SuiteId } from '@pujiang/crypto';
import type { ModuleMessage } from './payloads.js';
import type { Presigned } from './presign.js';

/** A module message with the gas limit it is signed with, and who endorses it (secret keys, hex). */
export interface GasMessage extends ModuleMessage {
  readonly gasLimit: number;
  readonly endorsers?: readonly string[];
}

/** One sender's messages, signed with nonces firstNonce, firstNonce + 1, ... in this order. */
export interface SenderMessages {
  readonly secretKey: string;
  readonly firstNonce: string;
  readonly messages: readonly GasMessage[];
}

export interface MessagesJob {
  readonly suite: SuiteId;
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly senders: readonly SenderMessages[];
}

/** A sender's signed transactions in nonce order: canonical encodings (hex) and hashes. */
export interface SignedBatch {
  readonly hex: string[];
  readonly hashes: string[];
}

const WORKER = new URL('./apps-sign-worker.js', import.meta.url);

function signShare(job: MessagesJob): Promise<SignedBatch[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    // The SDK the worker signs with leaves handles open: the answer is all that is wanted.
    worker.once('message', (signed: SignedBatch[]) => {
      resolve(signed);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      // Terminated after answering is the normal end (exit code 1 then); before it, a failure.
      reject(new Error(`apps signing worker exited with code ${code} before answering`));
    });
  });
}

/**
 * Signs any module messages on all cores (the node group's `presign` signs transfers and
 * anchors only), then interleaves senders round robin, as `presign` does: consecutive
 * submissions come from different senders, and each sender's nonces arrive in order.
 */
export async function presignMessages(job: MessagesJob): Promise<Presigned> {
  const threads = Math.max(1, Math.min(availableParallelism(), job.senders.length));
  const shares = Array.from({ length: threads }, (_, t) => ({
    ...job,
    senders: job.senders.filter((_, i) => i % threads === t),
  }));
  const signed = await Promise.all(shares.map(signShare));
  const bySender = job.senders.map((_, i) => signed[i % threads]![Math.floor(i / threads)]!);
  const hex: string[] = [];
  const hashes: string[] = [];
  const sender: number[] = [];
  const longest = Math.max(0, ...job.senders.map((s) => s.messages.length));
  for (let n = 0; n < longest; n++)
    bySender.forEach((batch, i) => {
      if (n >= batch.hex.length) return;
      hex.push(batch.hex[n]!);
      hashes.push(batch.hashes[n]!);
      sender.push(i);
    });
  return { hex, hashes, sender };
}
