import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressOf, buildTransfer, generateKeyPair, PujiangError } from '@pujiang/sdk';
import { blockTxs } from '../src/block-txs.js';
import {
  accountsOf,
  batchSize,
  blockRows,
  checkContiguous,
  copyField,
  copyLine,
  declarationsOf,
  type FetchedBlock,
  recordOf,
} from '../src/index.js';

const A = 'a'.repeat(42);
const B = 'b'.repeat(42);
const C = 'c'.repeat(42);
const H = (c: string) => c.repeat(64);

const declarations = declarationsOf({
  modules: [
    { name: 'bank', events: { transfer: ['from', 'to', 'amount'], send: ['from', 'to', 'denom', 'amount'] } },
    { name: 'notary', events: { anchored: ['root', 'count', 'owner', 'docType', 'sender'] } },
    { name: 'did', events: { anchored: ['count', 'sender'], created: ['did', 'registrar'] } },
    { name: 'governance', events: { proposed: ['id', 'kind', 'resource', 'proposer'] } },
    { name: 'quiet', events: null },
  ],
});

describe('record keys (the documented rule)', () => {
  it('takes an id attribute first, even a number', () => {
    assert.deepEqual(
      recordOf(declarations, {
        module: 'governance',
        type: 'proposed',
        attributes: { kind: 'param', id: '7' },
      }),
      { kind: 'id', key: '7' },
    );
  });
  it('else the first declared attribute that is not an address, a quantity or a boolean', () => {
    const anchored = { root: H('1'), count: '1', owner: A, docType: '', sender: A };
    assert.deepEqual(recordOf(declarations, { module: 'notary', type: 'anchored', attributes: anchored }), {
      kind: 'root',
      key: H('1'),
    });
    assert.deepEqual(
      recordOf(declarations, {
        module: 'did',
        type: 'created',
        attributes: { registrar: A, did: 'did:pujiang:x' },
      }),
      { kind: 'did', key: 'did:pujiang:x' },
      'declared order, not the order received',
    );
    assert.deepEqual(
      recordOf(declarations, {
        module: 'bank',
        type: 'send',
        attributes: { from: A, to: B, denom: 'cny', amount: '5' },
      }),
      { kind: 'denom', key: 'cny' },
    );
  });
  it('names no record for events of addresses and quantities only, or over-long values', () => {
    assert.equal(
      recordOf(declarations, {
        module: 'bank',
        type: 'transfer',
        attributes: { from: A, to: B, amount: '1' },
      }),
      undefined,
    );
    assert.equal(
      recordOf(declarations, { module: 'did', type: 'anchored', attributes: { count: '3', sender: A } }),
      undefined,
    );
    assert.equal(
      recordOf(declarations, { module: 'x', type: 'y', attributes: { flag: 'true', doc: 'z'.repeat(257) } }),
      undefined,
    );
  });
  it('uses the order received for undeclared events', () => {
    assert.deepEqual(
      recordOf(declarations, { module: 'quiet', type: 'e', attributes: { n: '1', name: 'q', other: 'r' } }),
      {
        kind: 'name',
        key: 'q',
      },
    );
  });
});

const block = (height: number, txs: number): FetchedBlock => ({
  height,
  hash: H(String(height % 10)),
  timeMs: 1_000 * height,
  proposer: C,
  txs: Array.from({ length: txs }, (_, index) => ({
    hash: H(String((height + index) % 10)).slice(0, 62) + String(index).padStart(2, '0'),
    index,
    sender: A,
    module: 'bank',
    type: 'transfer',
    nonce: String(index),
    gasLimit: '100000',
    code: 'OK',
    gasUsed: 1200,
    events: [
      { module: 'bank', type: 'transfer', attributes: { from: A, to: index % 2 ? B : A, amount: '1' } },
    ],
  })),
  hooks: [
    {
      txHash: H('f'),
      events: [{ module: 'governance', type: 'proposed', attributes: { id: '3', proposer: B } }],
    },
  ],
});

describe('row mapping', () => {
  it('maps transactions, events (hooks after the transactions), account links and records', () => {
    const rows = blockRows(declarations, block(5, 2));
    assert.deepEqual(rows.block, { height: 5, hash: H('5'), timeMs: 5000, txCount: 2, proposer: C });
    assert.equal(rows.txs.length, 2);
    assert.deepEqual(
      rows.events.map((e) => [e.txIndex, e.eventIndex, e.module, e.type]),
      [
        [0, 0, 'bank', 'transfer'],
        [1, 0, 'bank', 'transfer'],
        [2, 0, 'governance', 'proposed'],
      ],
    );
    // The sender once per transaction, and B only where an event names it (not the sender twice).
    assert.deepEqual(
      rows.accountTxs.map((l) => [l.address, l.txIndex, l.sent]),
      [
        [A, 0, true],
        [A, 1, true],
        [B, 1, false],
      ],
    );
    assert.deepEqual(
      rows.records.map((r) => [r.txIndex, r.module, r.kind, r.key]),
      [[2, 'governance', 'id', '3']],
    );
  });
  it('sums accounts over a batch: first and last heights, involvements and sends', () => {
    const accounts = accountsOf([blockRows(declarations, block(5, 2)), blockRows(declarations, block(6, 3))]);
    assert.deepEqual(
      accounts.map((a) => [a.address, a.firstHeight, a.lastHeight, a.txCount, a.sentCount]),
      [
        [A, 5, 6, 5, 5],
        [B, 5, 6, 2, 0],
      ],
    );
  });
});

describe('batching', () => {
  it('takes at least one block, then more within the limits, never splitting a block', () => {
    const limits = { maxBlocks: 3, maxTxs: 100 };
    assert.equal(batchSize([], limits), 0);
    assert.equal(batchSize([500], limits), 1, 'a block over the limit still goes, alone');
    assert.equal(batchSize([10, 20, 30, 40], limits), 3);
    assert.equal(batchSize([60, 30, 20], limits), 2);
    assert.equal(batchSize([0, 0, 0, 0, 0], { maxBlocks: 5, maxTxs: 1 }), 5);
  });
  it('refuses a gap or a repeat after the checkpoint', () => {
    checkContiguous(9, [10, 11, 12]);
    assert.throws(() => checkContiguous(9, [11]), { code: 'INDEX_GAP' });
    assert.throws(() => checkContiguous(9, [10, 10]), { code: 'INDEX_GAP' });
    assert.throws(() => checkContiguous(9, [9]), { code: 'INDEX_GAP' });
  });
});

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL and booleans', () => {
    assert.equal(copyField('a\\b\tc\nd\re'), 'a\\\\b\\tc\\nd\\re');
    assert.equal(copyField(null), '\\N');
    assert.equal(copyField(true), 't');
    assert.equal(copyField(12), '12');
    assert.equal(copyLine(['x', 1, null]), 'x\t1\t\\N\n');
    assert.throws(() => copyField(Number.NaN), RangeError);
  });
});

describe("a block's transactions joined with its receipts", () => {
  const key = generateKeyPair('ed25519');
  const common = {
    chainId: 'test',
    chainHash: 'sha256' as const,
    key,
    expiresAtHeight: 100,
    gasLimit: 90_000,
  };
  const built = [0, 1, 2].map((nonce) => buildTransfer({ ...common, nonce, to: A, amount: nonce + 1 }));
  const block = { txs: built.map((b) => b.hex), txHashes: built.map((b) => b.hash) };
  const event = { module: 'bank', type: 'transfer', attributes: { from: B, to: A, amount: '1' } };
  const answer = {
    height: 7,
    receipts: built.map((b, index) => ({
      index,
      receipt: {
        txHash: b.hash,
        code: index === 1 ? 'BANK_INSUFFICIENT_FUNDS' : 'OK',
        gasUsed: 10 + index,
        events: [event],
      },
      proof: null,
    })),
  };
  const sender = addressOf('sha256', key.publicKey);

  it('takes each body from the block and each result from its receipt, in block order', () => {
    const txs = blockTxs('sha256', block, answer, 7);
    assert.deepEqual(
      txs.map((t) => [t.hash, t.index, t.sender, t.module, t.type, t.nonce, t.gasLimit, t.code, t.gasUsed]),
      built.map((b, i) => [
        b.hash,
        i,
        sender,
        'bank',
        'transfer',
        String(i),
        '90000',
        i === 1 ? 'BANK_INSUFFICIENT_FUNDS' : 'OK',
        10 + i,
      ]),
    );
    assert.deepEqual(txs[2]!.events, [event]);
    assert.deepEqual(blockTxs('sha256', { txs: [], txHashes: [] }, { height: 7, receipts: [] }, 7), []);
  });

  it('refuses answers that disagree: count, order, hash, height, encoding', () => {
    const receipts = answer.receipts;
    const swapped = [receipts[1]!, receipts[0]!, receipts[2]!].map((r, index) => ({ ...r, index }));
    const other = buildTransfer({ ...common, nonce: 9, to: A, amount: 1 });
    for (const [what, b, a, height] of [
      ['a receipt missing', block, { ...answer, receipts: receipts.slice(0, 2) }, 7],
      ['a receipt more', block, { ...answer, receipts: [...receipts, receipts[0]!] }, 7],
      ['receipts out of order', block, { ...answer, receipts: swapped }, 7],
      ['a wrong index', block, { ...answer, receipts: receipts.map((r) => ({ ...r, index: 0 })) }, 7],
      ['another height', block, answer, 8],
      ["a hash that is not the encoding's", { ...block, txs: [other.hex, ...block.txs.slice(1)] }, answer, 7],
      ['an encoding that does not decode', { ...block, txs: ['00', ...block.txs.slice(1)] }, answer, 7],
      ['fewer encodings than hashes', { ...block, txs: block.txs.slice(1) }, answer, 7],
    ] as const)
      assert.throws(
        () => blockTxs('sha256', b, a as Parameters<typeof blockTxs>[2], height),
        (e: unknown) => e instanceof PujiangError && e.code === 'INDEX_NODE_INCONSISTENT',
        what,
      );
  });
});
