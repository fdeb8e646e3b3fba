import { parentPort, workerData } from 'node:worker_threads';
import { type KeyPair, keyPairFromSecretKey } from '@pujiang/crypto';
import { buildTransaction } from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import type { MessagesJob, SignedBatch } from './apps-sign.js';

/** Signs one share of the senders' module messages (the apps group's); each key imported once. */
const job = workerData as MessagesJob;
const keys = new Map<string, KeyPair>();
const keyOf = (secret: string): KeyPair => {
  let key = keys.get(secret);
  if (!key) {
    key = keyPairFromSecretKey({ suite: job.suite, bytes: hexToBytes(secret) });
    keys.set(secret, key);
  }
  return key;
};
const out: SignedBatch[] = [];
for (const s of job.senders) {
  const key = keyOf(s.secretKey);
  const hex: string[] = [];
  const hashes: string[] = [];
  s.messages.forEach((m, i) => {
    const tx = buildTransaction({
      chainId: job.chainId,
      chainHash: job.chainHash,
      key,
      nonce: BigInt(s.firstNonce) + BigInt(i),
      expiresAtHeight: 1n << 40n,
      gasLimit: BigInt(m.gasLimit),
      module: m.module,
      type: m.type,
      payload: m.payload,
      ...(m.endorsers ? { endorsers: m.endorsers.map(keyOf) } : {}),
    });
    hex.push(tx.hex);
    hashes.push(tx.hash);
  });
  out.push({ hex, hashes });
}
parentPort!.postMessage(out);
