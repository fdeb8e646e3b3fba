import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encode, fixedBytes, list, literals, string, struct, u32, u64 } from '@pujiang/codec';
import { getSuite } from '@pujiang/crypto';
import { genesisToJson, parseGenesis, resultsRoot, signTx } from '@pujiang/protocol';
import { SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { DEFAULT_MODULES, Executor, toBlockTx } from '../src/index.js';

interface Fixture {
  genesis: Record<string, unknown>;
  operatorSecretKey: string;
  time: string;
  expected: {
    genesisRoot: string;
    blocks: { height: number; root: string; codes: string[]; resultsRoot: string }[];
  };
}

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/legacy-chain.json');

// The message layouts written out here, so the fixture depends on no build's exports.
const BankTransfer = struct('BankTransfer', { to: fixedBytes(21), amount: u64 });
const NotaryAnchor = struct('NotaryAnchor', {
  root: fixedBytes(32),
  count: u32,
  algorithm: literals('DocumentDigest', ['sm3', 'sha256']),
  owner: string({ max: 128 }),
  docType: string({ max: 64 }),
  tags: list(string({ max: 64 }), { max: 16 }),
  ref: string({ max: 256 }),
});

/**
 * A chain created before the module kit (its genesis names no modules) executes to the same
 * state roots, results roots and receipt codes as the build before it (e4f9e15), which
 * computed the fixture's expected values with these same blocks: transfers, anchors, a
 * second anchoring, an overdraft, a non-member, and `bank/send`, which such a chain lacks.
 */
describe('a chain created before the module kit', () => {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const genesis = parseGenesis(fixture.genesis);

  it('keeps its genesis: no enabledModules is added, so its hash is the same', () => {
    assert.equal(genesis.enabledModules, undefined);
    assert.deepEqual(genesisToJson(genesis), fixture.genesis);
  });

  it('replays to the same roots and receipts as the build before the module kit', async () => {
    const suite = getSuite('ed25519');
    const operator = hexToBytes(fixture.operatorSecretKey);
    const operatorPublic = suite.publicKeyFromSecretKey(operator);
    const stranger = hexToBytes('11'.repeat(32));
    const strangerPublic = suite.publicKeyFromSecretKey(stranger);
    const sign = (
      secret: Uint8Array,
      publicKey: Uint8Array,
      nonce: bigint,
      module: string,
      type: string,
      payload: Uint8Array,
    ) =>
      toBlockTx(
        genesis.chainHash,
        signTx(
          {
            chainId: genesis.chainId,
            suite: 'ed25519',
            publicKey,
            nonce,
            expiresAtHeight: 1000n,
            gasLimit: 200000n,
            module,
            type,
            payload,
          },
          { suite: 'ed25519', bytes: secret },
        ),
      );
    const to = hexToBytes(`02${'33'.repeat(20)}`);
    const executor = Executor.forGenesis(new SparseMerkleTree(genesis.chainHash), genesis, DEFAULT_MODULES);
    let root = executor.genesis(genesis.modules, genesis);
    assert.equal(bytesToHex(root), fixture.expected.genesisRoot);
    let nonce = 0n;
    for (const expected of fixture.expected.blocks) {
      const h = BigInt(expected.height);
      const txs = [];
      const op = (module: string, type: string, payload: Uint8Array) =>
        txs.push(sign(operator, operatorPublic, nonce++, module, type, payload));
      const anchor = (fill: number, docType: string, tags: string[]) =>
        encode(NotaryAnchor, {
          root: new Uint8Array(32).fill(fill),
          count: 1,
          algorithm: 'sm3',
          owner: '',
          docType,
          tags,
          ref: '',
        });
      op('bank', 'transfer', encode(BankTransfer, { to, amount: 5n * h }));
      op('notary', 'anchor', anchor(Number(h), 'contract', ['t']));
      if (h === 2n) op('notary', 'anchor', anchor(1, 'again', []));
      if (h === 3n) op('bank', 'transfer', encode(BankTransfer, { to, amount: 10n ** 18n }));
      if (h === 4n) {
        txs.push(
          sign(stranger, strangerPublic, 0n, 'bank', 'transfer', encode(BankTransfer, { to, amount: 1n })),
        );
        op('bank', 'send', new Uint8Array([1, 2, 3]));
      }
      const result = await executor.executeBlock(root, h, txs, () => false, BigInt(fixture.time) + h * 1000n);
      root = result.root;
      assert.deepEqual(
        result.receipts.map((r) => r.code),
        expected.codes,
        `block ${h}`,
      );
      assert.equal(bytesToHex(root), expected.root, `state root after block ${h}`);
      assert.equal(
        bytesToHex(resultsRoot(genesis.chainHash, result.receipts)),
        expected.resultsRoot,
        `results of block ${h}`,
      );
    }
  });
});
