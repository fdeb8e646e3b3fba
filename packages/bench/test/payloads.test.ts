import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '@pujiang/codec';
import { BankTransfer } from '@pujiang/module-bank';
import { NotaryAnchor } from '@pujiang/module-notary';
import { NotaryBatch } from '@pujiang/sdk';
import { bytesToHex } from '@pujiang/types';
import { anchorMessage, singleDigestMessage, transferMessage } from '../src/payloads.js';

describe('load-generator payloads', () => {
  it('a single-digest anchor is the one-leaf batch notarize sends: count 1, root = the batch root', () => {
    const digest = new Uint8Array(32).fill(7);
    for (const chainHash of ['sha256', 'sm3'] as const) {
      const m = singleDigestMessage(chainHash, digest);
      assert.equal(`${m.module}/${m.type}`, 'notary/anchor');
      const anchor = decode(NotaryAnchor, m.payload);
      assert.equal(anchor.count, 1);
      assert.equal(anchor.algorithm, 'sha256');
      assert.equal(anchor.owner, '');
      const batch = new NotaryBatch(chainHash, [{ algorithm: 'sha256', digest }]);
      assert.equal(bytesToHex(anchor.root), bytesToHex(batch.root));
    }
  });

  it('without a digest, every single-digest anchor has a root of its own (the first anchoring stands)', () => {
    const roots = new Set(
      Array.from({ length: 1000 }, () =>
        bytesToHex(decode(NotaryAnchor, singleDigestMessage('sha256').payload).root),
      ),
    );
    assert.equal(roots.size, 1000);
  });

  it("a batched anchor carries the batch's root and size; a transfer sends 1 to its recipient", () => {
    const batch = new NotaryBatch(
      'sha256',
      Array.from({ length: 5 }, (_, i) => ({
        algorithm: 'sm3' as const,
        digest: new Uint8Array(32).fill(i),
      })),
    );
    const anchor = decode(NotaryAnchor, anchorMessage(batch.root, batch.size, 'sm3').payload);
    assert.deepEqual(
      [bytesToHex(anchor.root), anchor.count, anchor.algorithm],
      [bytesToHex(batch.root), 5, 'sm3'],
    );
    const to = '01'.repeat(21);
    const transfer = transferMessage(to);
    assert.equal(`${transfer.module}/${transfer.type}`, 'bank/transfer');
    const decoded = decode(BankTransfer, transfer.payload);
    assert.deepEqual([bytesToHex(decoded.to), decoded.amount], [to, 1n]);
  });
});
