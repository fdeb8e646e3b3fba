import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import {
  decodeNode,
  EMPTY_ROOT,
  encodeNode,
  encodeNodeWithCodec,
  MemoryNodeStore,
  SparseMerkleTree,
  type StateProof,
  verifyStateProof,
} from '../src/index.js';

const k = (s: string) => utf8ToBytes(s);

/** Applies operations one by one and returns the final root. */
function build(tree: SparseMerkleTree, ops: readonly (readonly [string, string | undefined])[]): Uint8Array {
  let root: Uint8Array = EMPTY_ROOT;
  for (const [key, value] of ops)
    root = tree.update(root, k(key), value === undefined ? undefined : k(value));
  return root;
}

const arbOps = fc.array(
  fc.tuple(fc.string({ maxLength: 6 }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined })),
  {
    maxLength: 60,
  },
);

describe('sparse Merkle tree', () => {
  for (const algorithm of ['sm3', 'sha256'] as const) {
    it(`${algorithm}: agrees with a Map under random updates and deletes; every key proves its value or absence`, () => {
      fc.assert(
        fc.property(arbOps, fc.array(fc.string({ maxLength: 6 }), { maxLength: 10 }), (ops, probes) => {
          const tree = new SparseMerkleTree(algorithm);
          const model = new Map<string, string>();
          let root: Uint8Array = EMPTY_ROOT;
          for (const [key, value] of ops) {
            root = tree.update(root, k(key), value === undefined ? undefined : k(value));
            if (value === undefined) model.delete(key);
            else model.set(key, value);
          }
          for (const key of [...model.keys(), ...probes]) {
            const expected = model.get(key);
            const got = tree.get(root, k(key));
            assert.equal(got === undefined ? undefined : Buffer.from(got).toString(), expected);
            const proof = tree.prove(root, k(key));
            const verdict = verifyStateProof(
              algorithm,
              root,
              k(key),
              expected === undefined ? undefined : k(expected),
              proof,
            );
            assert.deepEqual(verdict, { valid: true, present: expected !== undefined });
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('the root depends only on the final contents, not on the order of updates', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), {
          selector: ([key]) => key,
          maxLength: 40,
        }),
        fc.nat(),
        (pairs, seed) => {
          const a = build(new SparseMerkleTree('sha256'), pairs);
          const shuffled = [...pairs].sort(
            (x, y) =>
              ((x[0].length * 31 + seed) % 7) - ((y[0].length * 31 + seed) % 7) || (x[0] < y[0] ? 1 : -1),
          );
          // Insert extra keys and delete them again on the way: the root must not remember them.
          const withDetour = [
            ...shuffled.slice(0, 3).map(([key]) => [`${key}#tmp`, 'x'] as const),
            ...shuffled,
            ...shuffled.slice(0, 3).map(([key]) => [`${key}#tmp`, undefined] as const),
          ];
          const b = build(new SparseMerkleTree('sha256'), withDetour);
          assert.equal(bytesToHex(a), bytesToHex(b));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('updateMany gives the same root as one-by-one updates, over any starting tree, and stores fewer nodes', () => {
    fc.assert(
      fc.property(arbOps, arbOps, (before, batch) => {
        const store = new MemoryNodeStore();
        const tree = new SparseMerkleTree('sha256', store);
        const start = build(tree, before);
        let sequential = start;
        for (const [key, value] of batch)
          sequential = tree.update(sequential, k(key), value === undefined ? undefined : k(value));
        const batchStore = new MemoryNodeStore();
        const batched = new SparseMerkleTree('sha256', batchStore);
        const start2 = build(batched, before);
        const nodesBefore = batchStore.size;
        const root = batched.updateMany(
          start2,
          batch.map(([key, value]) => [k(key), value === undefined ? undefined : k(value)] as const),
        );
        assert.equal(bytesToHex(root), bytesToHex(sequential));
        // Every key of the result reads back through the batched store.
        const expected = new Map<string, string | undefined>();
        for (const [key, value] of [...before, ...batch]) expected.set(key, value);
        for (const [key, value] of expected) {
          const got = batched.get(root, k(key));
          assert.equal(got === undefined ? undefined : Buffer.from(got).toString(), value);
        }
        assert.ok(batchStore.size - nodesBefore <= store.size - nodesBefore + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('the direct node encoder writes exactly the codec’s bytes, and they decode back', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            kind: fc.constant('leaf' as const),
            path: fc.uint8Array({ minLength: 32, maxLength: 32 }),
            key: fc.uint8Array({ maxLength: 300 }),
            value: fc.uint8Array({ maxLength: 20_000 }),
          }),
          fc.record({
            kind: fc.constant('internal' as const),
            left: fc.uint8Array({ minLength: 32, maxLength: 32 }),
            right: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          }),
        ),
        (node) => {
          const fast = encodeNode(node);
          assert.deepEqual(fast, encodeNodeWithCodec(node));
          assert.deepEqual(encodeNode(decodeNode(fast)), fast);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('removing every key gives the empty root back', () => {
    const tree = new SparseMerkleTree('sm3');
    const keys = Array.from({ length: 200 }, (_, i) => `account/${i}`);
    let root = build(
      tree,
      keys.map((key) => [key, `balance ${key}`]),
    );
    assert.notDeepEqual(root, EMPTY_ROOT);
    for (const key of keys) root = tree.update(root, k(key), undefined);
    assert.deepEqual(root, EMPTY_ROOT);
  });

  it('old roots stay readable (nodes are immutable)', () => {
    const tree = new SparseMerkleTree('sha256');
    const r1 = tree.update(EMPTY_ROOT, k('a'), k('1'));
    const r2 = tree.update(r1, k('a'), k('2'));
    assert.equal(Buffer.from(tree.get(r1, k('a'))!).toString(), '1');
    assert.equal(Buffer.from(tree.get(r2, k('a'))!).toString(), '2');
  });

  it('proofs stay small: 10,000 keys need about log2(n) siblings', () => {
    const tree = new SparseMerkleTree('sha256', new MemoryNodeStore());
    let root: Uint8Array = EMPTY_ROOT;
    for (let i = 0; i < 10_000; i++) root = tree.update(root, k(`key-${i}`), k(`${i}`));
    let max = 0;
    for (let i = 0; i < 10_000; i += 97) max = Math.max(max, tree.prove(root, k(`key-${i}`)).siblings.length);
    assert.ok(max <= 32, `deepest proof has ${max} siblings`);
  });
});

describe('state proofs refuse every lie', () => {
  const tree = new SparseMerkleTree('sha256');
  const root = build(
    tree,
    Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`] as const),
  );
  const proof = tree.prove(root, k('k7'));

  it('a wrong value, a claim of absence, another key, another root: all invalid', () => {
    assert.equal(verifyStateProof('sha256', root, k('k7'), k('v7'), proof).valid, true);
    assert.equal(verifyStateProof('sha256', root, k('k7'), k('v8'), proof).valid, false);
    assert.equal(verifyStateProof('sha256', root, k('k7'), undefined, proof).valid, false);
    assert.equal(verifyStateProof('sha256', root, k('k8'), k('v7'), proof).valid, false);
    const other = tree.update(root, k('k7'), k('changed'));
    assert.equal(verifyStateProof('sha256', other, k('k7'), k('v7'), proof).valid, false);
    assert.equal(verifyStateProof('sm3', root, k('k7'), k('v7'), proof).valid, false);
  });

  it('a tampered sibling, a dropped sibling or a moved leaf is invalid', () => {
    const flipped: StateProof = {
      ...proof,
      siblings: proof.siblings.map((s, i) => (i === 0 ? s.map((b, j) => (j === 0 ? b ^ 1 : b)) : s)),
    };
    assert.equal(verifyStateProof('sha256', root, k('k7'), k('v7'), flipped).valid, false);
    assert.equal(
      verifyStateProof('sha256', root, k('k7'), k('v7'), { ...proof, siblings: proof.siblings.slice(1) })
        .valid,
      false,
    );
    // The proof of k7's leaf offered as proof that an absent key is absent.
    assert.equal(verifyStateProof('sha256', root, k('absent'), undefined, proof).valid, false);
  });

  it('absence is proven by an empty slot or by another key alone in the subtree', () => {
    let sawEmpty = false;
    let sawOtherLeaf = false;
    for (let i = 0; i < 40; i++) {
      const key = k(`missing-${i}`);
      const p = tree.prove(root, key);
      if (p.terminal.kind === 'empty') sawEmpty = true;
      else sawOtherLeaf = true;
      assert.deepEqual(verifyStateProof('sha256', root, key, undefined, p), { valid: true, present: false });
      assert.equal(verifyStateProof('sha256', root, key, k('anything'), p).valid, false);
    }
    assert.ok(sawEmpty && sawOtherLeaf, 'both kinds of absence proof were exercised');
  });

  it('a missing node in the store is a typed error, not a wrong answer', () => {
    const sparse = new SparseMerkleTree('sha256', new MemoryNodeStore());
    assert.throws(() => sparse.get(root, k('k1')), { code: 'STATE_MISSING_NODE' });
  });
});
