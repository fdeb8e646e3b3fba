import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashAlgorithm, SuiteId } from '@pujiang/crypto';
import type { TxMessage } from './payloads.js';

/** One sender's run of transactions: nonces firstNonce.. firstNonce+count-1 (transfers all to `to`). */
export interface SenderJob {
  readonly secretKey: string;
  readonly firstNonce: string;
  readonly count: number;
  /** Recipient address, hex. */
  readonly to: string;
}

export interface SignJob {
  readonly suite: SuiteId;
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  /** Transfers to each sender's `to`, or anchors of one fresh random digest each. */
  readonly message: TxMessage;
  readonly senders: readonly SenderJob[];
}

/** A sender's signed transactions in nonce order: canonical encodings (hex) and transaction hashes. */
export interface SignedBatch {
  readonly hex: string[];
  readonly hashes: string[];
}

/** Signed transactions in submission order, with the index (in the job) of each one's sender. */
export interface Presigned {
  readonly hex: readonly string[];
  readonly hashes: readonly string[];
  readonly sender: readonly number[];
}

/** The signing worker of each chain: Pujiang transactions, or Ethereum value transfers for the peer. */
const SIGN_WORKERS = {
  pujiang: new URL('./sign-worker.js', import.meta.url),
  eth: new URL('./eth/sign-worker.js', import.meta.url),
} as const;

/** A peer chain's job: Ethereum value transfers of 1 wei, EIP-1559, on `chainId` (or ERC-20 transfers of `erc20Token`). */
export interface EthSignJob {
  readonly chainId: number;
  readonly senders: readonly SenderJob[];
  /** The evm group: transfers of 1 unit of this ERC-20 (address, 40 hex digits) to each sender's `to`. */
  readonly erc20Token?: string;
}

function signShare<J extends { senders: readonly SenderJob[] }>(url: URL, job: J): Promise<SignedBatch[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`signing worker exited with code ${code}`));
    });
  });
}

/**
 * Signs every sender's run on all cores (SM2 signs ~2,500/s per core, so one thread would
 * dominate the setup), then interleaves senders round robin: consecutive submissions come
 * from different senders, and each sender's nonces arrive in order.
 */
export function presign(job: SignJob): Promise<Presigned> {
  return presignOn(SIGN_WORKERS.pujiang, job);
}

/** Signs a peer chain's transfers (see `presign`). */
export function presignEth(job: EthSignJob): Promise<Presigned> {
  return presignOn(SIGN_WORKERS.eth, job);
}

async function presignOn<J extends { senders: readonly SenderJob[] }>(
  worker: URL,
  job: J,
): Promise<Presigned> {
  const threads = Math.min(availableParallelism(), job.senders.length);
  const shares = Array.from({ length: threads }, (_, t) => ({
    ...job,
    senders: job.senders.filter((_, i) => i % threads === t),
  }));
  const signed = await Promise.all(shares.map((share) => signShare(worker, share)));
  const bySender: SignedBatch[] = job.senders.map((_, i) => signed[i % threads]![Math.floor(i / threads)]!);
  const hex: string[] = [];
  const hashes: string[] = [];
  const sender: number[] = [];
  const longest = Math.max(...job.senders.map((s) => s.count));
  for (let n = 0; n < longest; n++) {
    bySender.forEach((batch, i) => {
      if (n >= batch.hex.length) return;
      hex.push(batch.hex[n]!);
      hashes.push(batch.hashes[n]!);
      sender.push(i);
    });
  }
  return { hex, hashes, sender };
}
