import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, hash, verifyMerkleProof } from '@pujiang/crypto';
import { balanceStateKey } from '@pujiang/module-bank';
import {
  decodeU64,
  encodeReceipt,
  headerFromJson,
  merkleProofFromJson,
  stateProofFromJson,
} from '@pujiang/protocol';
import { verifyStateProof } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import fc from 'fast-check';
import WebSocket from 'ws';
import { coreOpenApi, openApiFor, type RunningNode, startNode } from '../src/index.js';
import { addressOf, getJson, postJson, testHome, transferWire, until } from './helpers.js';

/** Sends raw bytes as an HTTP request and returns the status line's code (or 'closed'). */
function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Uint8Array,
) {
  return new Promise<{ status: number | 'closed'; body: string }>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', () => resolve({ status: 'closed', body: '' }));
    if (body) req.write(body);
    req.end();
  });
}

describe('node HTTP API (one validator, in process)', () => {
  const setup = testHome('ed25519');
  const { genesis, operatorKey, operatorAddress } = setup;
  const bob = generateKeyPair('ed25519');
  const bobAddress = addressOf(genesis, bob);
  let running: RunningNode;
  let url: string;
  let port: number;

  before(async () => {
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
    port = Number(new URL(url).port);
    await until(() => running.node.chain.height >= 1n || undefined);
  });
  after(() => running.stop());

  it('status names chain, node, height and latest block', async () => {
    const { status, body } = await getJson(`${url}/v1/status`);
    assert.equal(status, 200);
    assert.equal(body.chainId, genesis.chainId);
    assert.equal(body.nodeId, running.node.nodeId);
    assert.ok(body.height >= 1);
    assert.match(body.latestBlockHash, /^[0-9a-f]{64}$/);
    assert.equal(body.syncing, false);
  });

  it('a transfer submitted with wait=true commits; its inclusion proofs and a proven balance check out', async () => {
    const wire = transferWire(genesis, operatorKey, 0n, bobAddress, 1234n);
    const submitted = await postJson(`${url}/v1/txs`, { tx: bytesToHex(wire), wait: true });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'committed');
    assert.equal(submitted.body.receipt.code, 'OK');
    const height: number = submitted.body.height;
    // The receipt's proof needs the next header.
    await until(() => running.node.chain.height > BigInt(height) || undefined);
    const { body: tx } = await getJson(`${url}/v1/txs/${submitted.body.hash}`);
    assert.equal(tx.status, 'committed');
    assert.equal(tx.receipt.events[0].type, 'transfer');
    const { body: h } = await getJson(`${url}/v1/headers/${height}`);
    const { body: next } = await getJson(`${url}/v1/headers/${height + 1}`);
    const header = headerFromJson(h.header);
    assert.ok(
      verifyMerkleProof('sha256', header.txRoot, hexToBytes(tx.raw), merkleProofFromJson(tx.proof.tx)),
    );
    const nextHeader = headerFromJson(next.header);
    assert.ok(
      verifyMerkleProof(
        'sha256',
        nextHeader.resultsRoot,
        encodeReceipt(tx.receipt),
        merkleProofFromJson(tx.proof.receipt),
      ),
    );
    // A proof moved to another leaf fails.
    assert.equal(
      verifyMerkleProof(
        'sha256',
        header.txRoot,
        hash('sha256', hexToBytes(tx.raw)),
        merkleProofFromJson(tx.proof.tx),
      ),
      false,
    );

    const { body: q } = await getJson(`${url}/v1/query/bank/balance?address=${bobAddress}&prove=true`);
    assert.equal(q.result.balance, '1234');
    const { body: qh } = await getJson(`${url}/v1/headers/${q.height}`);
    const root = headerFromJson(qh.header).stateRoot;
    assert.equal(bytesToHex(root), q.stateRoot);
    const read = q.reads.find((r: { key: string }) => r.key === bytesToHex(balanceStateKey(bobAddress)));
    assert.ok(read);
    assert.equal(decodeU64(hexToBytes(read.value)), 1234n);
    assert.deepEqual(
      verifyStateProof(
        'sha256',
        root,
        hexToBytes(read.key),
        hexToBytes(read.value),
        stateProofFromJson(read.proof),
      ),
      {
        valid: true,
        present: true,
      },
    );
    // A changed value does not verify.
    assert.equal(
      verifyStateProof(
        'sha256',
        root,
        hexToBytes(read.key),
        hexToBytes('00000000000004d3'),
        stateProofFromJson(read.proof),
      ).valid,
      false,
    );
    // Absence is provable too.
    const nobody = addressOf(genesis, generateKeyPair('ed25519'));
    const { body: absent } = await getJson(
      `${url}/v1/state/${bytesToHex(balanceStateKey(nobody))}?height=${q.height}`,
    );
    assert.equal(absent.value, null);
    assert.deepEqual(
      verifyStateProof('sha256', root, balanceStateKey(nobody), undefined, stateProofFromJson(absent.proof)),
      { valid: true, present: false },
    );
  });

  it('replays are refused: the same transaction, a used nonce, another chain', async () => {
    const { body: account } = await getJson(`${url}/v1/accounts/${operatorAddress}`);
    const nonce = BigInt(account.pendingNonce);
    const wire = transferWire(genesis, operatorKey, nonce, bobAddress, 1n);
    const first = await postJson(`${url}/v1/txs`, { tx: bytesToHex(wire), wait: true });
    assert.equal(first.body.status, 'committed');
    const again = await postJson(`${url}/v1/txs`, { tx: bytesToHex(wire) });
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, 'TX_NONCE_TOO_LOW');
    const foreign = transferWire(genesis, operatorKey, nonce + 1n, bobAddress, 1n, {
      chainId: 'another-chain',
    });
    const refused = await postJson(`${url}/v1/txs`, { tx: bytesToHex(foreign) });
    assert.equal(refused.body.error.code, 'TX_WRONG_CHAIN');
  });

  it('a batch admits and refuses each transaction on its own', async () => {
    const { body: account } = await getJson(`${url}/v1/accounts/${operatorAddress}`);
    const n = BigInt(account.pendingNonce);
    const good = bytesToHex(transferWire(genesis, operatorKey, n, bobAddress, 1n));
    const { status, body } = await postJson(`${url}/v1/txs/batch`, { txs: [good, good, 'zz', '00'] });
    assert.equal(status, 200);
    assert.match(body.results[0].hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      body.results.slice(1).map((r: { error: { code: string } }) => r.error.code),
      ['TX_DUPLICATE', 'API_BAD_REQUEST', 'TX_UNDECODABLE'],
    );
    await until(
      async () =>
        (await getJson(`${url}/v1/txs/${body.results[0].hash}`)).body.status === 'committed' || undefined,
    );
  });

  it('a binary batch (length-prefixed encodings) is admitted like a JSON one; bad framing is a 400', async () => {
    const { body: account } = await getJson(`${url}/v1/accounts/${operatorAddress}`);
    const n = BigInt(account.pendingNonce);
    const wires = [0n, 1n, 2n].map((i) => transferWire(genesis, operatorKey, n + i, bobAddress, 1n));
    const framed = Buffer.concat(
      wires.flatMap((w) => {
        const head = Buffer.alloc(4);
        head.writeUInt32BE(w.length);
        return [head, Buffer.from(w)];
      }),
    );
    const ok = await rawRequest(
      port,
      'POST',
      '/v1/txs/batch',
      { 'content-type': 'application/octet-stream' },
      framed,
    );
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).results.filter((r: { hash?: string }) => r.hash).length, 3);
    for (const bad of [
      framed.subarray(0, framed.length - 1),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([0, 0]),
    ]) {
      const res = await rawRequest(
        port,
        'POST',
        '/v1/txs/batch',
        { 'content-type': 'application/octet-stream' },
        bad,
      );
      assert.equal(res.status, 400, res.body);
      assert.equal(JSON.parse(res.body).error.code, 'API_BAD_REQUEST');
    }
  });

  it('blocks by height, by hash and latest agree; the certificate certifies the header', async () => {
    const { body: latest } = await getJson(`${url}/v1/blocks/latest`);
    const { body: byHeight } = await getJson(`${url}/v1/blocks/${latest.header.height}`);
    const { body: byHash } = await getJson(`${url}/v1/blocks/hash/${latest.hash}`);
    assert.deepEqual(byHeight, latest);
    assert.deepEqual(byHash, latest);
    assert.equal(latest.certificate.value, latest.hash);
    const { status } = await getJson(`${url}/v1/blocks/999999999`);
    assert.equal(status, 404);
  });

  it('the events WebSocket replays from a height, says when it caught up, then streams live, filtered', async () => {
    const ws = new WebSocket(
      `${url.replace('http', 'ws')}/v1/events?fromHeight=1&module=bank&type=transfer&attr.to=${bobAddress}`,
    );
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await until(() => messages.some((m) => m.type === 'caughtUp') || undefined);
    const transfersBefore = messages.filter((m) => m.type === 'event').length;
    assert.ok(transfersBefore >= 2);
    assert.ok(messages.filter((m) => m.type === 'event').every((m) => m.event.attributes.to === bobAddress));
    const { body: account } = await getJson(`${url}/v1/accounts/${operatorAddress}`);
    await postJson(`${url}/v1/txs`, {
      tx: bytesToHex(transferWire(genesis, operatorKey, BigInt(account.pendingNonce), bobAddress, 7n)),
    });
    await until(
      () => messages.some((m) => m.type === 'event' && m.event.attributes.amount === '7') || undefined,
    );
    ws.close();
    const refused = await new Promise<number>((resolve) => {
      const bad = new WebSocket(`${url.replace('http', 'ws')}/v1/events?fromHeight=zero`);
      bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      bad.on('error', () => {});
    });
    assert.equal(refused, 400);
  });

  it('bodies in flight beyond the shared budget are refused with 503 API_BUSY, and the node goes on', async () => {
    // Slow senders: each declares a 7.5 MiB batch and sends 1 KiB of it. Eight hold 60 MiB of
    // the 64 MiB budget; the ninth is refused at once instead of being buffered.
    const declared = String(7.5 * 1024 * 1024);
    const slow = Array.from({ length: 8 }, () => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/txs/batch',
        headers: { 'content-type': 'application/json', 'content-length': declared },
      });
      req.on('error', () => {});
      req.write('{"txs":["'.padEnd(1024, '0'));
      return req;
    });
    await new Promise((r) => setTimeout(r, 300));
    const refused = await rawRequest(
      port,
      'POST',
      '/v1/txs/batch',
      { 'content-type': 'application/json', 'content-length': declared },
      Buffer.alloc(1024, 32),
    );
    for (const req of slow) req.destroy();
    assert.equal(refused.status, 503, refused.body);
    assert.equal(JSON.parse(refused.body).error.code, 'API_BUSY');
    await new Promise((r) => setTimeout(r, 100));
    // The budget comes back when the slow requests go away.
    const ok = await postJson(`${url}/v1/txs/batch`, { txs: [] });
    assert.equal(ok.status, 200);
    assert.equal((await getJson(`${url}/healthz`)).status, 200);
  });

  it('metrics, health and the OpenAPI document are served; every endpoint is documented', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const name of [
      'pujiang_height',
      'pujiang_consensus_round',
      'pujiang_mempool_size',
      'pujiang_txs_per_second',
      'pujiang_commit_latency_seconds_bucket',
      'pujiang_peers',
    ])
      assert.match(metrics, new RegExp(`^${name}`, 'm'));
    assert.equal((await getJson(`${url}/healthz`)).body.status, 'ok');
    const { body: doc } = await getJson(`${url}/v1/openapi.json`);
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/v1/status',
      '/v1/blocks/{height}',
      '/v1/blocks/hash/{hash}',
      '/v1/headers/{height}',
      '/v1/txs',
      '/v1/txs/batch',
      '/v1/txs/{hash}',
      '/v1/accounts/{address}',
      '/v1/query/{module}/{name}',
      '/v1/state/{key}',
      '/v1/validators',
      '/v1/genesis',
      '/v1/events',
      '/metrics',
      '/healthz',
    ])
      assert.ok(path in doc.paths, path);
    // The core's paths, plus one per typed query of each enabled module, derived from its definition.
    assert.deepEqual(
      Object.keys(doc.paths).sort(),
      Object.keys(openApiFor(running.node.chain.executor.enabledModules).paths as object).sort(),
    );
    for (const path of Object.keys(coreOpenApi().paths)) assert.ok(path in doc.paths, path);
    const balance = doc.paths['/v1/query/bank/balance'].get;
    assert.equal(balance.parameters[0].name, 'address');
    assert.equal(balance.parameters[0].schema.pattern, '^[0-9a-f]{42}$');
    // Plain, or with prove=true also the state root and the proven reads.
    const [plain, proven] = balance.responses['200'].content['application/json'].schema.anyOf;
    assert.deepEqual(plain.properties.result.required, ['address', 'balance']);
    assert.deepEqual(proven.required, ['height', 'result', 'stateRoot', 'reads']);
  });

  it('malformed, oversized and hostile requests get typed 4xx answers and never disturb the node', async () => {
    const cases: [string, string, Record<string, string>, Uint8Array | undefined, number, string][] = [
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'text/plain' },
        Buffer.from('hi'),
        415,
        'API_UNSUPPORTED_MEDIA_TYPE',
      ],
      ['POST', '/v1/txs', { 'content-type': 'application/json' }, Buffer.from('{"tx":'), 400, 'API_BAD_JSON'],
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'application/json' },
        Buffer.from('[1,2]'),
        400,
        'API_BAD_REQUEST',
      ],
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'application/json' },
        Buffer.from('{"tx":"abc"}'),
        400,
        'API_BAD_REQUEST',
      ],
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'application/json' },
        Buffer.from('{"tx":"0001","wait":"yes"}'),
        400,
        'API_BAD_REQUEST',
      ],
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'application/json' },
        Buffer.alloc(600 * 1024, 32),
        413,
        'API_BODY_TOO_LARGE',
      ],
      [
        'POST',
        '/v1/txs',
        { 'content-type': 'application/json' },
        Buffer.from(`{"tx":"${'00'.repeat(200)}"}`),
        400,
        'TX_UNDECODABLE',
      ],
      ['GET', '/v1/txs', {}, undefined, 405, 'API_METHOD_NOT_ALLOWED'],
      ['DELETE', '/v1/status', {}, undefined, 405, 'API_METHOD_NOT_ALLOWED'],
      ['GET', '/v1/blocks/-1', {}, undefined, 400, 'API_BAD_REQUEST'],
      ['GET', '/v1/blocks/99999999999999999999999', {}, undefined, 400, 'API_BAD_REQUEST'],
      ['GET', '/v1/query/bank/nothing', {}, undefined, 404, 'QUERY_UNKNOWN'],
      ['GET', '/v1/query/bank/balance?address=xyz', {}, undefined, 400, 'BANK_BAD_ADDRESS'],
      ['GET', '/v1/query/bank/balance?prove=maybe', {}, undefined, 400, 'API_BAD_REQUEST'],
      ['GET', '/v1/state/zz', {}, undefined, 400, 'API_BAD_REQUEST'],
      ['GET', '/v1/accounts/%E0%A4%A', {}, undefined, 400, 'API_BAD_REQUEST'],
      ['GET', '/v1/validators?height=abc', {}, undefined, 400, 'API_BAD_REQUEST'],
    ];
    for (const [method, path, headers, body, status, code] of cases) {
      const res = await rawRequest(port, method, path, headers, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
      assert.equal(JSON.parse(res.body).error.code, code, `${method} ${path}`);
    }
    // Random paths, query strings and bodies: always an answer with a JSON error body for 4xx, never a 5xx.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT'),
        fc.constantFrom(
          '/v1/txs',
          '/v1/txs/batch',
          '/v1/blocks/',
          '/v1/query/bank/',
          '/v1/state/',
          '/v1/txs/',
          '/v1/accounts/',
          '/',
        ),
        fc.string({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        async (method, prefix, tail, body) => {
          const path = prefix + encodeURIComponent(tail).replace(/%2F/g, '/');
          const res = await rawRequest(
            port,
            method,
            path,
            { 'content-type': 'application/json' },
            method === 'GET' ? undefined : body,
          );
          assert.notEqual(res.status, 'closed');
          assert.ok((res.status as number) < 500, `${method} ${path} -> ${res.status} ${res.body}`);
          if ((res.status as number) >= 400)
            assert.match(JSON.parse(res.body).error.code, /^[A-Z][A-Z0-9_]+$/);
        },
      ),
      { numRuns: 300 },
    );
    // Batch bodies of random JSON values.
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const res = await rawRequest(
          port,
          'POST',
          '/v1/txs/batch',
          { 'content-type': 'application/json' },
          Buffer.from(JSON.stringify(value)),
        );
        assert.ok((res.status as number) < 500, `${res.status} ${res.body}`);
      }),
      { numRuns: 200 },
    );
    // Names every JavaScript object has are not queries.
    for (const name of [
      'toString',
      'constructor',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      'toLocaleString',
    ]) {
      const res = await rawRequest(port, 'GET', `/v1/query/bank/${name}`, {});
      assert.equal(res.status, 404, `${name}: ${res.body}`);
      assert.equal(JSON.parse(res.body).error.code, 'QUERY_UNKNOWN');
    }
    const heightBefore = running.node.chain.height;
    await until(() => running.node.chain.height > heightBefore + 1n || undefined);
    assert.equal((await getJson(`${url}/healthz`)).status, 200);
    assert.equal(running.node.driver.failure, undefined);
  });
});
