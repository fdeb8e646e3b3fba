import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { generateKeyPair } from '@pujiang/crypto';
import { CreateAsset, NotaryAnchor, RecordEvent } from '@pujiang/module-notary';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { type RunningNode, startNode } from '../src/index.js';
import { getJson, postJson, testHome, transferWire, until } from './helpers.js';

const digest = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (n * 31 + i) & 255);
const anchorOf = (over: Partial<NotaryAnchor> = {}): NotaryAnchor => ({
  root: digest(1),
  count: 1,
  algorithm: 'sm3',
  owner: '',
  docType: 'contract',
  tags: [],
  ref: '',
  ...over,
});

/**
 * The notary module's rules on one in-process validator through its API: anchor limits and
 * metadata, asset ids and event types, sharing and unsharing, the participant limit, and the
 * search index surviving a restart.
 */
describe('notary module', () => {
  const setup = testHome('ed25519');
  const { genesis, operatorKey, operatorAddress } = setup;
  let running: RunningNode;
  let url: string;
  let nonce = 0n;

  const send = async (type: string, payload: Uint8Array): Promise<string> => {
    const wire = transferWire(genesis, operatorKey, nonce++, operatorAddress, 1n, {
      module: 'notary',
      type,
      payload,
    });
    const { status, body } = await postJson(`${url}/v1/txs`, { tx: bytesToHex(wire), wait: true });
    assert.equal(status, 200, JSON.stringify(body));
    return body.receipt.code;
  };
  const anchor = (over: Partial<NotaryAnchor>) => send('anchor', encode(NotaryAnchor, anchorOf(over)));
  const head = async (asset: string): Promise<Uint8Array> => {
    const { body } = await getJson(`${url}/v1/query/notary/asset?asset=${encodeURIComponent(asset)}`);
    return hexToBytes(body.result.asset.head);
  };
  const record = async (asset: string, eventType: string, to?: string) =>
    send(
      'recordEvent',
      encode(RecordEvent, {
        asset,
        eventType,
        action: '',
        inputs: [],
        outputs: [],
        to: to === undefined ? [] : [hexToBytes(to)],
        prev: await head(asset),
      }),
    );

  before(async () => {
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
    await until(() => running.node.chain.height >= 1n || undefined);
  });
  after(() => running.stop());

  it('anchors: 1 to 100,000 digests, text without control characters, distinct tags; the first anchoring stands', async () => {
    assert.equal(await anchor({ count: 0 }), 'NOTARY_BAD_BATCH');
    assert.equal(await anchor({ count: 100_001 }), 'NOTARY_BAD_BATCH');
    assert.equal(await anchor({ docType: 'a\u0000b' }), 'NOTARY_BAD_TEXT');
    assert.equal(await anchor({ tags: ['x', 'x'] }), 'NOTARY_BAD_TEXT');
    assert.equal(await anchor({ tags: [''] }), 'NOTARY_BAD_TEXT');
    assert.equal(await anchor({ count: 100_000, owner: 'Customs House' }), 'OK');
    assert.equal(await anchor({ docType: 'other' }), 'NOTARY_ALREADY_ANCHORED');
    const { body } = await getJson(`${url}/v1/query/notary/anchor?root=${bytesToHex(digest(1))}`);
    assert.equal(body.result.anchor.owner, 'Customs House');
    assert.equal(body.result.anchor.docType, 'contract');
    assert.equal(body.result.anchor.count, 100_000);
    assert.match(body.result.anchor.txHash, /^[0-9a-f]{64}$/);
    const bad = await getJson(`${url}/v1/query/notary/anchor?root=xyz`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'NOTARY_BAD_ROOT');
  });

  it('assets: ids and types are checked; custom event types are lowercase words; only owner events name a party', async () => {
    const create = (asset: string, assetType = 'dataset') =>
      send('createAsset', encode(CreateAsset, { asset, assetType, action: 'made', outputs: [digest(2)] }));
    assert.equal(await create('has space'), 'NOTARY_BAD_ASSET');
    assert.equal(await create('ok/1', 'bad/type'), 'NOTARY_BAD_ASSET');
    assert.equal(await create('ok/1'), 'OK');
    assert.equal(await record('ok/1', 'Created'), 'NOTARY_BAD_EVENT');
    assert.equal(await record('ok/1', 'created'), 'NOTARY_BAD_EVENT');
    assert.equal(await record('ok/1', 'customs-cleared'), 'OK');
    const other = bytesToHex(hexToBytes(operatorAddress).map((b, i) => (i === 1 ? b ^ 1 : b)));
    assert.equal(await record('ok/1', 'accessed', other), 'NOTARY_BAD_EVENT');
    assert.equal(await record('ok/1', 'shared'), 'NOTARY_BAD_EVENT');
    assert.equal(await record('ok/1', 'unshared', other), 'NOTARY_BAD_EVENT', 'not shared with it');
    assert.equal(await record('ok/1', 'shared', other), 'OK');
    assert.equal(await record('ok/1', 'shared', other), 'NOTARY_BAD_EVENT', 'already shared');
    assert.equal(await record('ok/1', 'unshared', other), 'OK');
    assert.equal(
      await record('ok/1', 'transferred', operatorAddress),
      'NOTARY_BAD_EVENT',
      'already the owner',
    );
    assert.equal(await record('missing', 'accessed').catch(() => 'no head'), 'no head');
  });

  it('an asset is shared with at most 32 parties', async () => {
    assert.equal(
      await send(
        'createAsset',
        encode(CreateAsset, { asset: 'wide', assetType: 'doc', action: '', outputs: [] }),
      ),
      'OK',
    );
    for (let i = 0; i < 32; i++) {
      const party = bytesToHex(Uint8Array.of(1, ...generateKeyPair('ed25519').publicKey.bytes.slice(0, 20)));
      assert.equal(await record('wide', 'shared', party), 'OK');
    }
    assert.equal(await record('wide', 'shared', `01${'ab'.repeat(20)}`), 'NOTARY_TOO_MANY_PARTICIPANTS');
  });

  it('the search index is written with each block and survives a restart; bad search parameters are typed 4xx', async () => {
    const search = async (q: string) => (await getJson(`${url}/v1/search/notary/${q}`)).body;
    const before = await search(`assets?owner=${operatorAddress}`);
    assert.deepEqual(before.result.results.map((a: { asset: string }) => a.asset).sort(), ['ok/1', 'wide']);
    await running.stop();
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
    const again = await search(`assets?owner=${operatorAddress}`);
    assert.deepEqual(again.result.results, before.result.results);
    assert.deepEqual(
      (await search('anchors?owner=Customs%20House')).result.results.map((a: { count: number }) => a.count),
      [100_000],
    );
    for (const q of ['assets?limit=0', 'assets?from=abc', 'assets?color=red', 'anchors?limit=1001']) {
      const { status, body } = await getJson(`${url}/v1/search/notary/${q}`);
      assert.equal(status, 400, q);
      assert.equal(body.error.code, 'NOTARY_BAD_SEARCH', q);
    }
    assert.equal((await getJson(`${url}/v1/search/notary/nothing`)).status, 404);
  });
});
