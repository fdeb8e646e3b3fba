import { parentPort } from 'node:worker_threads';
import { getSuiteByCode } from '../suites/registry.js';
import { unpackBatch } from './batch.js';

/** Worker side of the verification pool: verifies a packed chunk, answers one byte per item. */
export interface VerifyRequest {
  readonly id: number;
  readonly packed: Uint8Array;
}
/** A signature with a key the caller holds (a node's handshakes: off the consensus thread). */
export interface SignRequest {
  readonly id: number;
  readonly sign: { readonly suite: number; readonly secretKey: Uint8Array; readonly message: Uint8Array };
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

function signOne({ id, sign }: SignRequest): void {
  let results: Uint8Array;
  try {
    results = getSuiteByCode(sign.suite).sign(sign.secretKey, sign.message);
  } catch {
    results = new Uint8Array(0); // the pool reports an empty signature as a failure
  }
  const response: VerifyResponse = { id, results };
  parentPort!.postMessage(response);
}

parentPort?.on('message', (request: VerifyRequest | SignRequest) => {
  if ('sign' in request) return signOne(request);
  const { id, packed } = request;
  const items = unpackBatch(packed);
  const results = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    results[i] = verifyOne(items[i]!) ? 1 : 0;
  }
  const response: VerifyResponse = { id, results };
  parentPort!.postMessage(response, [results.buffer]);
});
