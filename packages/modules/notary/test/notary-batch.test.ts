import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HashAlgorithm } from '@pujiang/crypto';
import { merkleProof, merkleRoot, rootFromProof } from '@pujiang/crypto';
import { bytesToHex, equalBytes, isPujiangError } from '@pujiang/types';
import fc from 'fast-check';
import { digestDocument, encodeNotaryLeaf, NotaryBatch, singleDigestRoot } from '../src/index.js';
import { parseNotaryReceipt, verifyNotaryReceipt } from '../src/verify/index.js';

const CHAIN_ID = 'notary-test';
const CHAIN_HASH: HashAlgorithm = 'sm3';

const doc = (i: number) => ({
  algorithm: 'sm3' as const,
  digest: digestDocument('sm3', Uint8Array.of(i >> 8, i & 255)),
});
const docs = (n: number) => Array.from({ length: n }, (_, i) => doc(i));

describe('notary batches', () => {
  it('paths and root equal the RFC 6962 tree of the leaves (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.constantFrom('sm3', 'sha256'),
        (n, pick, chainHash) => {
          const batch = new NotaryBatch(chainHash, docs(n));
          const leaves = batch.leaves.map(encodeNotaryLeaf);
          assert.deepEqual(batch.root, merkleRoot(chainHash, leaves));
          const index = pick % n;
          assert.deepEqual(batch.path(index), merkleProof(chainHash, leaves, index));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a path leads only from its own leaf: moved to another leaf or index, it misses the root (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat(), (n, a, b) => {
        const batch = new NotaryBatch('sm3', docs(n));
        const i = a % n;
        const j = b % n;
        fc.pre(i !== j);
        const leaf = (k: number) => singleDigestRoot('sm3', batch.leaves[k]!);
        const path = batch.path(i);
        assert.ok(equalBytes(rootFromProof('sm3', leaf(i), path)!, batch.root));
        const moved = rootFromProof('sm3', leaf(j), path);
        assert.ok(moved === undefined || !equalBytes(moved, batch.root));
        const shifted = rootFromProof('sm3', leaf(i), { ...path, leafIndex: j });
        assert.ok(shifted === undefined || !equalBytes(shifted, batch.root));
      }),
      { numRuns: 200 },
    );
  });

  it('10,000 digests: at most 14 path hashes; 100,000: at most 17; one digest: its leaf hash, no path', () => {
    const ten = new NotaryBatch('sm3', docs(10_000));
    let longest = 0;
    for (let i = 0; i < ten.size; i++) longest = Math.max(longest, ten.path(i).path.length);
    assert.equal(longest, 14);
    const hundred = new NotaryBatch('sha256', docs(100_000));
    assert.equal(hundred.path(99_999).path.length <= 17, true);
    const one = new NotaryBatch('sm3', docs(1));
    assert.deepEqual(one.path(0).path, []);
    assert.equal(bytesToHex(one.root), bytesToHex(singleDigestRoot('sm3', one.leaves[0]!)));
  });

  it('refuses empty or oversized batches and malformed digests (SDK_INVALID_ARGUMENT)', () => {
    for (const documents of [
      [],
      docs(100_001),
      [{ algorithm: 'sm3' as const, digest: new Uint8Array(31) }],
      [{ algorithm: 'md5' as 'sm3', digest: new Uint8Array(32) }],
      [{ algorithm: 'sha256' as const, digest: 'zz' }],
      [doc(1), { algorithm: 'sha256' as const, digest: new Uint8Array(32) }],
    ])
      assert.throws(() => new NotaryBatch('sm3', documents), { code: 'SDK_INVALID_ARGUMENT' });
    assert.throws(() => new NotaryBatch('sm3', docs(3)).path(3), { code: 'SDK_INVALID_ARGUMENT' });
  });

  it('a receipt that is not one is SDK_DOCUMENT_MALFORMED; junk never throws anything untyped (fuzz)', () => {
    const batch = new NotaryBatch(CHAIN_HASH, docs(5));
    const valid = {
      format: 'pujiang-notary-receipt',
      version: 1,
      status: 'pending',
      chainId: CHAIN_ID,
      chainHash: CHAIN_HASH,
      document: { algorithm: 'sm3', digest: bytesToHex(batch.leaves[2]!.digest) },
      batch: { root: bytesToHex(batch.root), index: 2, size: 5, path: batch.path(2).path.map(bytesToHex) },
      tx: { hash: '00'.repeat(32), raw: '00' },
    };
    assert.equal(parseNotaryReceipt(JSON.stringify(valid)).batch.index, 2);
    const trust = { chainId: CHAIN_ID, chainHash: CHAIN_HASH, validators: [] };
    // The document-to-root part is sound; the transaction bytes are not a transaction.
    assert.throws(
      () => verifyNotaryReceipt({ receipt: valid, trust, digest: valid.document.digest }),
      (e) => isPujiangError(e) && e.details.check === 'anchor',
    );
    const mutate = fc.oneof(
      fc.anything(),
      fc.record({
        path: fc.constantFrom('format', 'version', 'status', 'batch', 'document', 'tx'),
        value: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(mutate, (m) => {
        const input =
          typeof m === 'object' && m !== null && 'path' in m && 'value' in m
            ? { ...valid, [m.path as string]: m.value }
            : m;
        try {
          verifyNotaryReceipt({ receipt: input, trust, digest: valid.document.digest });
          assert.fail('junk verified');
        } catch (error) {
          assert.ok(isPujiangError(error), String(error));
          assert.ok(['SDK_DOCUMENT_MALFORMED', 'SDK_VERIFICATION_FAILED'].includes(error.code), error.code);
        }
      }),
      { numRuns: 500 },
    );
  });
});
