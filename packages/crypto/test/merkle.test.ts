import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, concatBytes, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import {
  hash,
  hashChildren,
  hashLeaf,
  type MerkleProof,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
} from '../src/index.js';

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => utf8ToBytes(`leaf-${i}`));

/** RFC 6962 section 2.1 MTH, written recursively straight from the definition, as a reference. */
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return hash('sha256');
  if (leaves.length === 1) return hashLeaf('sha256', leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren('sha256', referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

describe('Merkle tree (RFC 6962 style)', () => {
  it('matches the recursive RFC 6962 definition for every size up to 70', () => {
    for (let n = 0; n <= 70; n++) {
      assert.equal(
        bytesToHex(merkleRoot('sha256', leavesOf(n))),
        bytesToHex(referenceRoot(leavesOf(n))),
        `n=${n}`,
      );
    }
  });

  it('empty tree root is H(""), single leaf root is H(0x00 || leaf)', () => {
    assert.deepEqual(merkleRoot('sm3', []), hash('sm3'));
    assert.deepEqual(merkleRoot('sm3', [utf8ToBytes('x')]), hash('sm3', Uint8Array.of(0), utf8ToBytes('x')));
  });

  it('every proof verifies, for random sizes, indices and both hashes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.constantFrom('sm3', 'sha256'),
        (n, i, alg) => {
          const leaves = leavesOf(n);
          const index = i % n;
          const root = merkleRoot(alg, leaves);
          assert.equal(verifyMerkleProof(alg, root, leaves[index]!, merkleProof(alg, leaves, index)), true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('10,000 leaves give proofs of at most 14 hashes', () => {
    const leaves = leavesOf(10_000);
    const root = merkleRoot('sm3', leaves);
    for (const index of [0, 1, 4095, 8191, 8192, 9998, 9999]) {
      const proof = merkleProof('sm3', leaves, index);
      assert.ok(proof.path.length <= 14, `index ${index}: ${proof.path.length} hashes`);
      assert.equal(verifyMerkleProof('sm3', root, leaves[index]!, proof), true);
    }
  });

  it('a proof moved to another index fails', () => {
    const leaves = leavesOf(37);
    const root = merkleRoot('sha256', leaves);
    const proof = merkleProof('sha256', leaves, 5);
    for (let other = 0; other < 37; other++) {
      if (other === 5) continue;
      assert.equal(verifyMerkleProof('sha256', root, leaves[5]!, { ...proof, leafIndex: other }), false);
      assert.equal(verifyMerkleProof('sha256', root, leaves[other]!, proof), false);
    }
    // The tree size is not bound by the root alone (callers take it from an authenticated header);
    // a size that changes the proof's shape is refused.
    assert.equal(verifyMerkleProof('sha256', root, leaves[5]!, { ...proof, treeSize: 32 }), false);
    assert.equal(
      verifyMerkleProof('sha256', root, leaves[5]!, { ...proof, path: proof.path.slice(1) }),
      false,
    );
  });

  it('a leaf presented as an inner node fails (second preimage)', () => {
    const leaves = leavesOf(8);
    const root = merkleRoot('sha256', leaves);
    // The inner node over leaves 0 and 1 is H(0x01 || h0 || h1); offer h0 || h1 as a leaf of a 4-leaf tree.
    const h0 = hashLeaf('sha256', leaves[0]!);
    const h1 = hashLeaf('sha256', leaves[1]!);
    const forged = concatBytes(h0, h1);
    const full = merkleProof('sha256', leaves, 0);
    const shortened: MerkleProof = { leafIndex: 0, treeSize: 4, path: full.path.slice(1) };
    assert.equal(verifyMerkleProof('sha256', root, forged, shortened), false);
    // Without domain separation the forgery would have worked: H(h0 || h1) path reaches the root.
    assert.notDeepEqual(hashLeaf('sha256', forged), hashChildren('sha256', h0, h1));
  });

  it('refuses malformed proofs without throwing', () => {
    const leaves = leavesOf(4);
    const root = merkleRoot('sha256', leaves);
    const proof = merkleProof('sha256', leaves, 1);
    for (const bad of [
      { ...proof, leafIndex: -1 },
      { ...proof, leafIndex: 4 },
      { ...proof, treeSize: 0 },
      { ...proof, leafIndex: 1.5 },
      { ...proof, path: [...proof.path, proof.path[0]!] },
      { ...proof, path: [proof.path[0]!.subarray(1), ...proof.path.slice(1)] },
      { ...proof, path: 'nonsense' as never },
    ]) {
      assert.equal(verifyMerkleProof('sha256', root, leaves[1]!, bad), false);
    }
    assert.throws(() => merkleProof('sha256', leaves, 4), { code: 'CRYPTO_INVALID_MERKLE_INDEX' });
  });
});
