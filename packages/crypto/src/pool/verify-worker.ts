import { parentPort } from 'node:worker_threads';
import { getSuiteByCode } from '../suites/registry.js';
import { unpackBatch } from './batch.js';

/** Worker side of the verification pool: verifies a packed chunk, answers one byte per item. */
export interface VerifyRequest {
  readonly id: number;
  readonly packed: Uint8Array;
}
export interface VerifyResponse {
  readonly id: number;
  readonly results: Uint8Array;
}

function verifyOne(code: number, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return getSuiteByCode(code).verify(publicKey, message, signature);
  } catch {
    return false; // a malformed key or unknown suite is an invalid signature here
  }
}

parentPort?.on('message', ({ id, packed }: VerifyRequest) => {
  const items = unpackBatch(packed);
  const results = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    results[i] = verifyOne(item.suite, item.publicKey, item.message, item.signature) ? 1 : 0;
  }
  const response: VerifyResponse = { id, results };
  parentPort!.postMessage(response, [results.buffer]);
});
