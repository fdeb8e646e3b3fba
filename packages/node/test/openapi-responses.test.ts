import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { balanceStateKey } from '@pujiang/module-bank';
import { bytesToHex } from '@pujiang/types';
import { type RunningNode, startNode } from '../src/index.js';
import { addressOf, testHome, transferWire, until } from './helpers.js';

/** The shared checker (scripts/openapi-check.mjs): plain JS, so typed here. */
interface OpenApiChecker {
  check(method: string, documented: string, status: number, media: string, body: unknown): string | undefined;
  validator(key: string): ((value: unknown) => boolean) | undefined;
}
const { openApiChecker } = (await import(
  new URL('../../../../scripts/openapi-check.mjs', import.meta.url).href
)) as { openApiChecker: (document: unknown) => OpenApiChecker };

/**
 * Every answer a live node gives, checked against the node's own OpenAPI document with Ajv in
 * JSON Schema 2020-12 strict mode: the success bodies of every core endpoint and of every
 * module query and search, and the error bodies of refusals. A status the document does not
 * list for that operation is a failure too, and so is a field it does not describe (objects the
 * document leaves undecided are closed for the check).
 */
describe('live responses against the OpenAPI document (ajv 2020, strict)', () => {
  const setup = testHome('ed25519');
  const { genesis, operatorKey, operatorAddress } = setup;
  const bob = addressOf(genesis, generateKeyPair('ed25519'));
  let running: RunningNode;
  let url: string;
  let document: { paths: Record<string, unknown> };
  let checker: OpenApiChecker;
  let checked = 0;

  before(async () => {
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
    await until(() => running.node.chain.height >= 1n || undefined);
    document = (await (await fetch(`${url}/v1/openapi.json`)).json()) as typeof document;
    checker = openApiChecker(document);
  });
  after(() => running.stop());

  /** Requests `path` and checks the answer against `documented`'s operation for its status. */
  async function check(
    method: string,
    path: string,
    documented: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> {
    const res = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const json = media === 'text/plain' ? await res.text() : await res.json();
    const problem = checker.check(method, documented, res.status, media, json);
    assert.equal(problem, undefined, `${path}: ${problem}\n${JSON.stringify(json).slice(0, 500)}`);
    checked++;
    return { status: res.status, json };
  }

  it('every core endpoint, answering and refusing', async () => {
    const wire = transferWire(genesis, operatorKey, 0n, bob, 7n);
    const sent = await check('POST', '/v1/txs', '/v1/txs', { tx: bytesToHex(wire), wait: true });
    assert.equal(sent.json.status, 'committed');
    const height: number = sent.json.height;
    await until(() => running.node.chain.height > BigInt(height) || undefined);
    const block = await check('GET', `/v1/blocks/${height}`, '/v1/blocks/{height}');
    for (const [path, documented] of [
      ['/v1/status', '/v1/status'],
      ['/v1/genesis', '/v1/genesis'],
      ['/v1/openapi.json', '/v1/openapi.json'],
      ['/healthz', '/healthz'],
      ['/metrics', '/metrics'],
      [`/v1/search/notary/assets?owner=${operatorAddress}`, '/v1/search/{module}/{name}'],
      ['/v1/modules', '/v1/modules'],
      ['/v1/validators', '/v1/validators'],
      ['/v1/validators?height=1', '/v1/validators'],
      ['/v1/blocks/latest', '/v1/blocks/{height}'],
      [`/v1/blocks/hash/${block.json.hash}`, '/v1/blocks/hash/{hash}'],
      [`/v1/blocks/${height}/hooks`, '/v1/blocks/{height}/hooks'],
      [`/v1/blocks/${height}/receipts`, '/v1/blocks/{height}/receipts'],
      [`/v1/headers/${height}`, '/v1/headers/{height}'],
      [`/v1/txs/${sent.json.hash}`, '/v1/txs/{hash}'],
      [`/v1/accounts/${operatorAddress}`, '/v1/accounts/{address}'],
      [`/v1/state/${bytesToHex(balanceStateKey(bob))}`, '/v1/state/{key}'],
      [`/v1/query/bank/balance?address=${bob}`, '/v1/query/{module}/{name}'],
      [`/v1/query/bank/balance?address=${bob}&prove=true`, '/v1/query/{module}/{name}'],
      [`/v1/query/bank/balance?address=${bob}&prove=true`, '/v1/query/bank/balance'],
      // Refusals: each with its documented status and the error body.
      ['/v1/blocks/999999', '/v1/blocks/{height}'],
      ['/v1/blocks/abc', '/v1/blocks/{height}'],
      ['/v1/blocks/999999/receipts', '/v1/blocks/{height}/receipts'],
      ['/v1/blocks/abc/receipts', '/v1/blocks/{height}/receipts'],
      [`/v1/txs/${'ab'.repeat(32)}`, '/v1/txs/{hash}'],
      ['/v1/status?bogus=1', '/v1/status'],
      ['/v1/query/bank/nothing', '/v1/query/{module}/{name}'],
      ['/v1/query/bank/balance?address=zz', '/v1/query/bank/balance'],
      [`/v1/query/bank/balance?address=${bob}&prove=true&height=999999`, '/v1/query/bank/balance'],
    ] as const)
      await check('GET', path, documented);
    await check('POST', '/v1/txs', '/v1/txs', { tx: 'zz' });
    const batch = await check('POST', '/v1/txs/batch', '/v1/txs/batch', {
      txs: [bytesToHex(transferWire(genesis, operatorKey, 1n, bob, 1n)), '00'],
    });
    assert.equal(batch.json.results.length, 2);
    // The checks are not vacuous: a wrong field, a missing one, or an extra status fail them.
    const status = await check('GET', '/v1/status', '/v1/status');
    const validStatus = checker.validator('GET /v1/status 200')!;
    assert.equal(validStatus({ ...status.json, chainId: 5 }), false);
    const { height: _h, ...withoutHeight } = status.json;
    assert.equal(validStatus(withoutHeight), false);
    // An undocumented field fails too (the checker closes objects the document leaves undecided).
    assert.equal(validStatus({ ...status.json, undocumented: 1 }), false);
    const tx = checker.validator('GET /v1/txs/{hash} 200')!;
    assert.equal(tx({ hash: 'zz', status: 'committed' }), false);
  });

  it('every module query and search, as documented for the answer it gives', async () => {
    let queries = 0;
    for (const path of Object.keys(document.paths)) {
      if (!/^\/v1\/(query|search)\/[a-z]/.test(path)) continue;
      // Without parameters: a query that needs some is refused (400, its error body), the others answer.
      await check('GET', path, path);
      queries++;
    }
    assert.ok(queries >= 20, `${queries} module queries and searches`);
    // Module routes that read (the VC-API's writes need tokens and issuer keys: the CLI's VC-API
    // test drives them, and checks every answer with the same checker).
    const did = `did:pujiang:${genesis.chainId}:11111111111111111111111111111111`;
    await check('GET', `/1.0/identifiers/${encodeURIComponent(did)}`, '/1.0/identifiers/{did}');
    await check('GET', '/1.0/identifiers/not-a-did', '/1.0/identifiers/{did}');
    await check('GET', '/credentials/status/nothing', '/credentials/status/{list}');
    await check('POST', '/credentials/verify', '/credentials/verify', { verifiableCredential: {} });
    assert.ok(checked >= 40, `${checked} answers checked`);
  });
});
