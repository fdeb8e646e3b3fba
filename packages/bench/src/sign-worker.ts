import { parentPort, workerData } from 'node:worker_threads';
import { hash, keyPairFromSecretKey } from '@pujiang/crypto';
import { encodeTx, signTx } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { singleDigestMessage, transferMessage } from './payloads.js';
import type { SignedBatch, SignJob } from './presign.js';

/** Signs one share of the senders' transactions; senders one after another, so each key is imported once. */
const job = workerData as SignJob;
const out: SignedBatch[] = [];
for (const s of job.senders) {
  const key = keyPairFromSecretKey({ suite: job.suite, bytes: hexToBytes(s.secretKey) });
  const transfer = job.message === 'transfer' ? transferMessage(s.to) : undefined;
  const hex: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < s.count; i++) {
    const tx = signTx(
      {
        chainId: job.chainId,
        suite: job.suite,
        publicKey: key.publicKey.bytes,
        nonce: BigInt(s.firstNonce) + BigInt(i),
        expiresAtHeight: 1n << 40n,
        gasLimit: 100_000n,
        ...(transfer ?? singleDigestMessage(job.chainHash)),
      },
      key.secretKey,
    );
    const wire = encodeTx(tx);
    hex.push(bytesToHex(wire));
    hashes.push(bytesToHex(hash(job.chainHash, wire)));
  }
  out.push({ hex, hashes });
}
parentPort!.postMessage(out);
