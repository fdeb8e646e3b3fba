import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { utf8ToBytes } from '@pujiang/types';
import { generateKeyPair, SUITE_IDS, sign, type VerifyItem, VerifyPool } from '../src/index.js';

describe('VerifyPool', () => {
  const pool = new VerifyPool({ workers: 2, maxChunk: 16 });
  after(() => pool.close());

  const items: VerifyItem[] = [];
  const expected: boolean[] = [];
  for (const suite of SUITE_IDS) {
    const kp = generateKeyPair(suite);
    for (let i = 0; i < 6; i++) {
      const message = utf8ToBytes(`${suite} #${i}`);
      const signature = sign(kp.secretKey, message).bytes;
      const tamper = i % 3 === 2;
      items.push({
        suite,
        publicKey: kp.publicKey.bytes,
        message: tamper ? utf8ToBytes('other') : message,
        signature,
      });
      expected.push(!tamper);
    }
  }

  it('verifies a mixed batch across workers, keeping input order', async () => {
    assert.deepEqual(await pool.verifyBatch(items), expected);
  });

  it('coalesces single calls made in one tick', async () => {
    const results = await Promise.all(items.map((item) => pool.verify(item)));
    assert.deepEqual(results, expected);
  });

  it('answers false (not a crash) for malformed keys and signatures', async () => {
    const good = items[0]!;
    const results = await pool.verifyBatch([
      { ...good, publicKey: new Uint8Array(3) },
      { ...good, signature: new Uint8Array(0) },
      good,
    ]);
    assert.deepEqual(results, [false, false, true]);
  });

  it('refuses an unknown suite with a typed error', async () => {
    await assert.rejects(pool.verifyBatch([{ ...items[0]!, suite: 'rsa' as never }]), {
      code: 'CRYPTO_UNKNOWN_SUITE',
    });
  });

  it('an empty batch is an empty answer', async () => {
    assert.deepEqual(await pool.verifyBatch([]), []);
  });

  it('after close, calls fail with CRYPTO_POOL_CLOSED', async () => {
    const p = new VerifyPool({ workers: 1 });
    await p.close();
    await assert.rejects(p.verifyBatch(items), { code: 'CRYPTO_POOL_CLOSED' });
    await assert.rejects(p.verify(items[0]!), { code: 'CRYPTO_POOL_CLOSED' });
  });
});
