import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { keyPairFromSecretKey } from '@pujiang/crypto';
import { CRYPTOSUITES } from '@pujiang/module-did';
import {
  BUNDLED_CONTEXTS,
  createDid,
  createStatusList,
  didKeyOfChainKey,
  PujiangClient,
  singleKeyDocument,
} from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import { credentialFor, type DidJob } from './did-worker.js';
import { withBenchNode } from './node-home.js';
import type { BenchRecord } from './record.js';

export interface DidBenchOptions {
  readonly quick: boolean;
}

const ALGORITHMS = [
  ['Ed25519', 'eddsa-rdfc-2022'],
  ['P-256', 'ecdsa-rdfc-2019'],
  ['SM2', 'sm2-rdfc-2025'],
] as const;

/** Runs the job on every core at once (one worker thread each) and sums their rates. */
async function allCores(job: DidJob): Promise<number> {
  const workers = availableParallelism();
  const rates = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL('./did-worker.js', import.meta.url), { workerData: job });
          worker.once('message', (rate: number) => {
            resolve(rate);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}

/** Requests per second over `ms` with `concurrency` requests in flight, each answered 200. */
async function httpRate(url: string, ms: number, concurrency = 16, accept?: string): Promise<number> {
  let done = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const res = await fetch(url, accept ? { headers: { accept } } : {});
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        done++;
      }
    }),
  );
  return (done * 1000) / (performance.now() - start);
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The did group: credentials issued and verified per second on all cores in each Data
 * Integrity suite, against the suite's raw signature verifications on all cores; one
 * canonicalization alone (where the time goes); DID resolutions and status-list checks per
 * second through a validator's API, beside its `/v1/status` answered in the same run.
 */
export async function runDidBench(o: DidBenchOptions): Promise<BenchRecord[]> {
  const ms = o.quick ? 800 : 5000;
  const cores = availableParallelism();
  const records: BenchRecord[] = [];
  for (const [algorithm, suite] of ALGORITHMS) {
    const raw = await allCores({ mode: 'raw', algorithm, ms });
    const limit = { name: `${algorithm} raw verify (all cores)`, value: round(raw) };
    records.push({
      group: 'did',
      name: limit.name,
      value: limit.value,
      unit: 'verify/s',
      configuration: { cores },
    });
    for (const mode of ['issue', 'verify'] as const) {
      const rate = await allCores({ mode, algorithm, ms });
      records.push({
        group: 'did',
        name: `${suite} credentials ${mode === 'issue' ? 'issued' : 'verified'}/s`,
        value: round(rate),
        unit: 'cred/s',
        configuration: {
          cores,
          issuer: 'did:key',
          bytes: JSON.stringify(credentialFor('did:key:z', 0)).length,
        },
        limit: { ...limit, ratio: round((rate / raw) * 1000) / 1000 },
      });
    }
  }
  // Where a verification's time goes: one canonicalization of the credential alone (a
  // verification makes two: the document and the proof options).
  const loader = async (url: string) => ({
    contextUrl: null,
    documentUrl: url,
    document: BUNDLED_CONTEXTS.get(url),
  });
  const credential = credentialFor('did:example:issuer', 1);
  let canonicalizations = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await CRYPTOSUITES['eddsa-rdfc-2022'].canonize(credential, { documentLoader: loader });
    canonicalizations++;
  }
  records.push({
    group: 'did',
    name: 'RDFC-1.0 canonicalizations/s (1 core)',
    value: round((canonicalizations * 1000) / (performance.now() - start)),
    unit: 'c14n/s',
    configuration: { credentialBytes: JSON.stringify(credential).length },
  });

  await withBenchNode({ label: 'did', suite: 'ed25519', senders: 1 }, async (n) => {
    const client = new PujiangClient(n.apiUrl);
    const key = keyPairFromSecretKey({ suite: 'ed25519', bytes: hexToBytes(n.chain.senders[0]!) });
    const { did, result } = await createDid(client, {
      key,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
    });
    if (result.receipt?.code !== 'OK') throw new Error(`did/create: ${result.receipt?.code}`);
    const list = await createStatusList(client, {
      key,
      wait: true,
      list: 'bench',
      issuer: did,
      purpose: 'revocation',
    });
    if (list.result.receipt?.code !== 'OK')
      throw new Error(`did/createStatusList: ${list.result.receipt?.code}`);
    const status = await httpRate(`${n.apiUrl}/v1/status`, ms);
    const floor = { name: 'GET /v1/status', value: round(status) };
    records.push({
      group: 'did',
      name: 'GET /v1/status (HTTP floor)',
      value: floor.value,
      unit: 'req/s',
      configuration: { concurrency: 16 },
    });
    const resolved = await httpRate(`${n.apiUrl}/1.0/identifiers/${encodeURIComponent(did)}`, ms);
    records.push({
      group: 'did',
      name: 'DID resolutions/s (API)',
      value: round(resolved),
      unit: 'res/s',
      configuration: { concurrency: 16 },
      comparedWith: { ...floor, ratio: round((resolved / status) * 1000) / 1000 },
    });
    const proven = await httpRate(`${n.apiUrl}/1.0/identifiers/${encodeURIComponent(did)}?proof=true`, ms);
    records.push({
      group: 'did',
      name: 'DID resolutions with proofs/s (API)',
      value: round(proven),
      unit: 'res/s',
      configuration: { concurrency: 16 },
      comparedWith: { ...floor, ratio: round((proven / status) * 1000) / 1000 },
    });
    const checks = await httpRate(
      `${n.apiUrl}/v1/query/did/statusEntry?list=bench&index=94567&prove=true`,
      ms,
    );
    records.push({
      group: 'did',
      name: 'status list checks/s (API, proven)',
      value: round(checks),
      unit: 'check/s',
      configuration: { concurrency: 16, listBits: 131072 },
      comparedWith: { ...floor, ratio: round((checks / status) * 1000) / 1000 },
    });
  });
  return records;
}
