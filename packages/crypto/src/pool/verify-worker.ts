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

type WireItem = ReturnType<typeof unpackBatch>[number];

function verifyOne(item: WireItem): boolean {
  try {
    const options = {
      ...(item.sm2UserId === undefined ? {} : { sm2UserId: item.sm2UserId }),
      ...(item.mlDsaContext === undefined ? {} : { mlDsaContext: item.mlDsaContext }),
    };
    return getSuiteByCode(item.suite).verify(item.publicKey, item.message, item.signature, options);
  } catch {
    return false; // a malformed key is an invalid signature here
  }
}

parentPort?.on('message', ({ id, packed }: VerifyRequest) => {
  const items = unpackBatch(packed);
  const results = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    results[i] = verifyOne(items[i]!) ? 1 : 0;
  }
  const response: VerifyResponse = { id, results };
  parentPort!.postMessage(response, [results.buffer]);
});
