import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { MAX_FAILED_CHECKS, peersAnswer } from '../src/api/peers-answer.js';
import { peerId } from '../src/network/peer-network.js';
import { type PeerNetworkSnapshot, PeerWatch } from '../src/network/peer-watch.js';
import type { ValidatorNode } from '../src/validator-node.js';

const own = generateKeyPair('ed25519');
const good = generateKeyPair('ed25519');

/** A node whose chain knows one key's address and fails on any other (a lookup that throws). */
function fakeNode(snapshot: PeerNetworkSnapshot): ValidatorNode {
  const chain = {
    height: 5n,
    stateRoot: new Uint8Array(32),
    lastBlockTime: 0n,
    genesis: { chainHash: 'sha256' },
    validatorsFor: () => ({ validators: [{ publicKey: good.publicKey, name: 'v0' }] }),
    addressOf: (key: { bytes: Uint8Array }) => {
      if (peerId({ suite: 'ed25519', bytes: key.bytes }) !== peerId(good.publicKey))
        throw new Error('unexpected key');
      return '0xgood';
    },
    executor: { kernelCall: () => ({ org: 'org-a' }) },
  };
  return {
    chain,
    publicKey: own.publicKey,
    peerSnapshot: () => snapshot,
  } as unknown as ValidatorNode;
}

describe('GET /v1/peers answer (unit)', () => {
  it('keeps the most recent sources, never names an address for a handshake source, survives bad keys', () => {
    const watch = new PeerWatch();
    for (let i = 0; i < MAX_FAILED_CHECKS + 50; i++)
      watch.handshakeFailed(`10.0.${i >> 8}.${i & 0xff}`, { code: 'P2P_NOT_A_MEMBER' });
    watch.handshakeFailed('::ffff:192.0.2.7', {
      code: 'P2P_HANDSHAKE_FAILED',
      details: { check: 'signature' },
    });
    // Not a check that failed: a timeout or a closed socket is not counted.
    watch.handshakeFailed('192.0.2.8', { code: 'P2P_HANDSHAKE_FAILED', details: {} });
    watch.offence('ed25519:zz-not-hex', 'invalid-signature');
    watch.offence(peerId(good.publicKey), 'invalid-signature');
    const answer = peersAnswer(fakeNode(watch.snapshot(peerId(own.publicKey), [])));
    assert.equal(answer.failedChecks.length, MAX_FAILED_CHECKS);
    const last = answer.failedChecks.slice(-3);
    assert.deepEqual(
      last.map((c) => [c.source, c.check, c.where, c.address]),
      [
        ['192.0.2.7', 'signature', 'handshake', null],
        ['ed25519:zz-not-hex', 'signature', 'consensus', null],
        [peerId(good.publicKey), 'signature', 'consensus', '0xgood'],
      ],
    );
    assert.ok(!answer.failedChecks.some((c) => c.source === '192.0.2.8'));
    assert.ok(answer.failedChecks.every((c) => c.where !== 'handshake' || c.address === null));
    assert.equal(answer.totals.membershipRefusals, MAX_FAILED_CHECKS + 50);
    assert.equal(answer.totals.signatureFailures, 3);
  });
});
