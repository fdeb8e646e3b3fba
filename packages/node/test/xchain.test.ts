import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { validatorSetStateKey } from '@pujiang/module-governance';
import { CreateClient, type Submission, UpdateClient } from '@pujiang/module-xchain';
import { certificateFromJson, encodeCertificate, headerFromJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import { type RunningNode, startNode } from '../src/index.js';
import { getJson, postJson, testHome, transferWire, until } from './helpers.js';

/**
 * A light client of one real chain kept on another, both in-process validators with their
 * own genesis and suite (SM2 on the followed chain, Ed25519 on the host): this test is the
 * relayer, reading the followed chain's API and submitting `xchain/*` transactions.
 */
describe('xchain light clients between two running chains', () => {
  const host = testHome('ed25519');
  const followed = testHome('sm2');
  let hostNode: RunningNode;
  let followedNode: RunningNode;
  let nonce = 0n;

  before(async () => {
    hostNode = await startNode({ home: host.home });
    followedNode = await startNode({ home: followed.home });
    await until(
      () => (hostNode.node.chain.height >= 1n && followedNode.node.chain.height >= 3n) || undefined,
    );
  });
  after(async () => {
    await hostNode.stop();
    await followedNode.stop();
  });

  /** What a relayer reads from the followed chain's API for header `height`. */
  async function submission(height: number): Promise<Submission> {
    const base = followedNode.apiUrl;
    const { body: h } = await getJson(`${base}/v1/headers/${height}`);
    const { body: v } = await getJson(`${base}/v1/validators?height=${height}`);
    const { body: s } = await getJson(
      `${base}/v1/state/${bytesToHex(validatorSetStateKey())}?height=${height}`,
    );
    return {
      header: headerFromJson(h.header),
      certificate: encodeCertificate(certificateFromJson(h.certificate)),
      validators: v.validators.map((x: { suite: string; publicKey: string; power: number }) => ({
        suite: x.suite,
        publicKey: hexToBytes(x.publicKey),
        power: BigInt(x.power),
      })),
      nextValidatorsRead: utf8ToBytes(JSON.stringify({ key: s.key, value: s.value, proof: s.proof })),
    };
  }

  const send = async (type: string, payload: Uint8Array): Promise<string> => {
    const wire = transferWire(host.genesis, host.operatorKey, nonce++, host.operatorAddress, 1n, {
      module: 'xchain',
      type,
      payload,
    });
    const { status, body } = await postJson(`${hostNode.apiUrl}/v1/txs`, {
      tx: bytesToHex(wire),
      wait: true,
    });
    assert.equal(status, 200, JSON.stringify(body));
    return body.receipt.code;
  };

  it('creates a client of the SM2 chain and follows its headers; refuses tampered and repeated-old ones', async () => {
    const first = Number(followedNode.node.chain.height) - 1;
    const create = (trusted: Submission, clientId = 'gov-sm2') =>
      send(
        'createClient',
        encode(CreateClient, {
          clientId,
          chainId: followed.genesis.chainId,
          chainHash: 'sm3',
          trustingPeriodMs: 86_400_000n,
          maxClockDriftMs: 10_000n,
          trusted,
        }),
      );
    assert.equal(await create(await submission(first)), 'OK');
    assert.equal(await create(await submission(first)), 'XCHAIN_CLIENT_EXISTS');
    assert.equal(await create(await submission(first), 'Bad Id'), 'XCHAIN_BAD_CLIENT_ID');

    await until(() => followedNode.node.chain.height > BigInt(first + 3) || undefined);
    const update = async (s: Submission) =>
      send('updateClient', encode(UpdateClient, { clientId: 'gov-sm2', header: s }));
    assert.equal(await update(await submission(first + 1)), 'OK');
    // Skipping ahead: the same validators vouch for it.
    assert.equal(await update(await submission(first + 3)), 'OK');
    const { body } = await getJson(`${hostNode.apiUrl}/v1/query/xchain/client?id=gov-sm2`);
    assert.equal(body.result.client.latestHeight, String(first + 3));
    assert.equal(body.result.client.frozenHeight, '0');
    const { body: cs } = await getJson(
      `${hostNode.apiUrl}/v1/query/xchain/consensusState?id=gov-sm2&at=${first + 3}`,
    );
    const { body: header } = await getJson(`${followedNode.apiUrl}/v1/headers/${first + 3}`);
    assert.equal(cs.result.consensusState.stateRoot, header.header.stateRoot);

    // The same header again: nothing to do. An older one it never held: refused.
    assert.equal(await update(await submission(first + 3)), 'OK');
    assert.equal(await update(await submission(first + 2)), 'XCHAIN_HEADER_OLD');
    // A header altered after it was certified.
    await until(() => followedNode.node.chain.height > BigInt(first + 5) || undefined);
    const tampered = await submission(first + 5);
    assert.equal(
      await update({ ...tampered, header: { ...tampered.header, txCount: tampered.header.txCount + 1 } }),
      'XCHAIN_BAD_CERTIFICATE',
    );
    // Unknown clients and malformed certificates are typed refusals too.
    assert.equal(
      await send('updateClient', encode(UpdateClient, { clientId: 'nobody', header: tampered })),
      'XCHAIN_CLIENT_UNKNOWN',
    );
    assert.equal(await update({ ...tampered, certificate: new Uint8Array(5) }), 'XCHAIN_BAD_CERTIFICATE');
  });
});
