import { availableParallelism } from 'node:os';
import { encode } from '@pujiang/codec';
import { generateKeyPair, type SuiteId, sign, type VerifyItem, VerifyPool } from '@pujiang/crypto';
import { BankTransfer } from '@pujiang/module-bank';
import { type TxBody, txSignBytes } from '@pujiang/protocol';
import { opsPerSecondAsync } from './record.js';

/**
 * Verify/s of a `VerifyPool` kept busy with two batches in flight (as a mempool feeding it
 * would), so workers never wait on the submitting thread.
 */
export function poolVerifyRate(pool: VerifyPool, items: readonly VerifyItem[], ms: number): Promise<number> {
  const half = Math.ceil(items.length / 2);
  const batches = [items.slice(0, half), items.slice(half)];
  return opsPerSecondAsync(async () => {
    const results = (await Promise.all(batches.map((b) => pool.verifyBatch(b)))).flat();
    if (results.some((ok) => !ok)) throw new Error(`${items[0]?.suite}: pool rejected a valid signature`);
    return results.length;
  }, ms);
}

/** Signed transfers' sign bytes over a few warm keys: what the node's pool verifies per transaction. */
function transferItems(suite: SuiteId, count: number): VerifyItem[] {
  const keys = Array.from({ length: 8 }, () => generateKeyPair(suite));
  const payload = encode(BankTransfer, { to: new Uint8Array(21), amount: 1n });
  return Array.from({ length: count }, (_, i) => {
    const key = keys[i % keys.length]!;
    const body: TxBody = {
      chainId: `bench-${suite}`,
      suite,
      publicKey: key.publicKey.bytes,
      nonce: BigInt(i),
      expiresAtHeight: 1n << 40n,
      gasLimit: 100_000n,
      module: 'bank',
      type: 'transfer',
      payload,
    };
    const message = txSignBytes(body);
    return { suite, publicKey: key.publicKey.bytes, message, signature: sign(key.secretKey, message).bytes };
  });
}

/** This machine's signature-verification limit for transfers: verify/s on all cores, keys warm. */
export async function verifyLimit(
  suite: SuiteId,
  ms: number,
): Promise<{ rate: number; workers: number; batch: number }> {
  const workers = availableParallelism();
  // Fewer distinct messages for the slow signers: ML-DSA signs ~230/s, the SM2 hybrid ~130/s on one thread.
  const items = transferItems(suite, suite === 'ed25519' ? 4096 : suite.includes('ml-dsa') ? 128 : 1024);
  const pool = new VerifyPool({ workers });
  try {
    await pool.verifyBatch(items); // warm: imported keys, SM2 tables in every worker
    await pool.verifyBatch(items);
    return { rate: await poolVerifyRate(pool, items, ms), workers, batch: items.length };
  } finally {
    await pool.close();
  }
}
