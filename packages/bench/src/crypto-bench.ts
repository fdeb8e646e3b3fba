import { availableParallelism } from 'node:os';
import {
  generateKeyPair,
  getSuite,
  type KeyPair,
  SUITE_IDS,
  type SuiteId,
  sign,
  type VerifyItem,
  VerifyPool,
} from '@pujiang/crypto';
import { utf8ToBytes } from '@pujiang/types';
import { type BenchRecord, opsPerSecond } from './record.js';
import { poolVerifyRate } from './verify-limit.js';

export interface CryptoBenchOptions {
  /** Milliseconds per measurement. */
  ms: number;
  suites?: readonly SuiteId[];
}

/** Distinct signed messages over a few keys, as a chain sees them (few validators, many transactions). */
function workload(suite: SuiteId, keys: readonly KeyPair[], count: number): VerifyItem[] {
  const items: VerifyItem[] = [];
  for (let i = 0; i < count; i++) {
    const kp = keys[i % keys.length]!;
    const message = utf8ToBytes(`transfer #${i} of a 100-byte-ish transaction body ${'.'.repeat(50)}`);
    items.push({
      suite,
      publicKey: kp.publicKey.bytes,
      message,
      signature: sign(kp.secretKey, message).bytes,
    });
  }
  return items;
}

/** SM2 keys seen for the first time verify without a precomputed table; one-off senders pay this rate. */
function coldSm2(ms: number, warmRate: number): BenchRecord {
  const sm2 = getSuite('sm2');
  const message = utf8ToBytes('cold key');
  const count = Math.max(50, Math.round(ms / 5)); // about `ms` of work at the expected ~200/s
  const items = Array.from({ length: count }, () => {
    const kp = generateKeyPair('sm2');
    return { pk: kp.publicKey.bytes, sig: sign(kp.secretKey, message).bytes };
  });
  const start = performance.now();
  for (const item of items) sm2.verify(item.pk, message, item.sig);
  const rate = (count * 1000) / (performance.now() - start);
  return {
    group: 'crypto',
    name: 'sm2 verify (first sight of a key)',
    value: rate,
    unit: 'ops/s',
    configuration: { suite: 'sm2', threads: 1, note: 'no precomputed table yet' },
    comparedWith: { name: 'sm2 verify', value: warmRate, ratio: rate / warmRate },
  };
}

/**
 * Sign/s and verify/s per suite on one thread, then verify/s through the worker pool on all
 * cores; the pool figure is reported as a ratio to the single thread measured just before.
 */
export async function runCryptoBench(options: CryptoBenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const workers = availableParallelism();
  const pool = new VerifyPool({ workers });
  try {
    for (const suite of options.suites ?? SUITE_IDS) {
      const keys = Array.from({ length: 8 }, () => generateKeyPair(suite));
      const message = utf8ToBytes('benchmark message');
      const signRate = opsPerSecond(() => sign(keys[0]!.secretKey, message), options.ms);
      records.push({
        group: 'crypto',
        name: `${suite} sign`,
        value: signRate,
        unit: 'ops/s',
        configuration: { suite, threads: 1 },
      });

      const size = Math.max(64, Math.min(4096, Math.round(signRate * 0.5)));
      const items = workload(suite, keys, size);
      const verifier = getSuite(suite);
      // Warm the per-key caches (imported keys, SM2 tables) as a running chain has them warm.
      for (const item of items.slice(0, keys.length * 2))
        verifier.verify(item.publicKey, item.message, item.signature);
      let i = 0;
      const singleRate = opsPerSecond(() => {
        const item = items[i++ % items.length]!;
        verifier.verify(item.publicKey, item.message, item.signature);
      }, options.ms);
      records.push({
        group: 'crypto',
        name: `${suite} verify`,
        value: singleRate,
        unit: 'ops/s',
        configuration: { suite, threads: 1 },
      });

      const poolRate = await poolVerifyRate(pool, items, options.ms);
      records.push({
        group: 'crypto',
        name: `${suite} verify (pool)`,
        value: poolRate,
        unit: 'ops/s',
        configuration: { suite, workers, batch: items.length },
        comparedWith: { name: `${suite} verify`, value: singleRate, ratio: poolRate / singleRate },
      });
      if (suite === 'sm2') records.push(coldSm2(options.ms, singleRate));
    }
  } finally {
    await pool.close();
  }
  return records;
}
