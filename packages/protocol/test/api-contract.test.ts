import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  API,
  type ApiRoute,
  BlockSchema,
  compilePath,
  coreOpenApi,
  fieldOf,
  firstProblem,
  MAX_API_HEIGHT,
  pathOf,
  pathParamProblem,
  queryParamProblem,
} from '../src/index.js';

const HASH = 'ab'.repeat(32);
const block = {
  hash: HASH,
  header: {
    version: 1,
    chainId: 'c',
    height: 3,
    time: '1700000000000',
    previousHash: HASH,
    txRoot: HASH,
    txCount: 0,
    stateRoot: HASH,
    resultsRoot: HASH,
    proposer: '01'.repeat(21),
  },
  txs: [],
  txHashes: [],
  certificate: { height: 3, round: 0, value: HASH, precommits: [{ validator: 0, signature: 'aa' }] },
};

describe('the API contract', () => {
  it('routes match their own paths, fill in parameters and name a malformed one', () => {
    for (const [id, route] of Object.entries(API) as [string, ApiRoute][]) {
      const { regex, names } = compilePath(route.path);
      const values = Object.fromEntries(names.map((n) => [n, 'x']));
      assert.match(pathOf(route, values), regex, id);
    }
    assert.equal(pathOf(API.block, { height: '7' }), '/v1/blocks/7');
    assert.equal(pathOf(API.query, { module: 'bank', name: 'a b' }), '/v1/query/bank/a%20b');
    assert.equal(pathParamProblem(API.block, { height: 'latest' }), undefined);
    assert.equal(pathParamProblem(API.block, { height: '0' }), 'height');
    assert.equal(pathParamProblem(API.block, { height: '1'.repeat(16) }), 'height');
    // Query parameters: converted and checked; unknown ones refused unless the route is open.
    assert.equal(queryParamProblem(API.validators, [['height', '5']]), undefined);
    assert.deepEqual(queryParamProblem(API.validators, [['height', '0']])?.parameter, 'height');
    assert.deepEqual(
      queryParamProblem(API.validators, [['height', String(MAX_API_HEIGHT + 1)]])?.parameter,
      'height',
    );
    assert.deepEqual(queryParamProblem(API.validators, [['hieght', '5']])?.parameter, 'hieght');
    assert.deepEqual(
      queryParamProblem(API.validators, [
        ['height', '5'],
        ['height', '6'],
      ])?.message,
      'is given more than once',
    );
    assert.equal(
      queryParamProblem(API.query, [
        ['address', 'anything'],
        ['prove', 'true'],
      ]),
      undefined,
    );
    assert.equal(queryParamProblem(API.query, [['prove', 'maybe']])?.parameter, 'prove');
    assert.equal(pathParamProblem(API.tx, { hash: HASH.toUpperCase() }), undefined);
    assert.equal(pathParamProblem(API.tx, { hash: 'zz' }), 'hash');
    assert.equal(pathParamProblem(API.state, { key: 'AB' }), 'key');
    assert.equal(pathParamProblem(API.query, { module: 'Bank', name: 'balance' }), 'module');
    // Literal dots are literal, and a parameter is one segment.
    const { regex } = compilePath(API.openapi.path);
    assert.doesNotMatch('/v1/openapiXjson', regex);
    assert.doesNotMatch('/v1/blocks/1/2', compilePath(API.block.path).regex);
  });

  it('answers are checked field by field, naming the first bad one as the SDK reports it', () => {
    assert.equal(firstProblem(BlockSchema, block), undefined);
    const cases: [unknown, string][] = [
      [{ ...block, header: { ...block.header, height: -1 } }, 'header.height'],
      [{ ...block, header: { ...block.header, height: 2 ** 53 } }, 'header.height'],
      [{ ...block, header: { ...block.header, time: '01' } }, 'header.time'],
      [{ ...block, header: { ...block.header, proposer: '01' } }, 'header.proposer'],
      [{ ...block, txHashes: [HASH, 'AB'.repeat(32)] }, 'txHashes[1]'],
      [
        { ...block, certificate: { ...block.certificate, precommits: [{ validator: 0 }] } },
        'certificate.precommits[0].signature',
      ],
      [null, '(root)'],
    ];
    for (const [value, field] of cases) {
      const problem = firstProblem(BlockSchema, value);
      assert.ok(problem, field);
      assert.equal(fieldOf(problem.path), field);
    }
    assert.equal(fieldOf('/a~1b/0/c~0d'), 'a/b[0].c~d');
  });

  it('the OpenAPI document is generated from the routes: one operation each, every reference resolved', () => {
    const doc = coreOpenApi();
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods)) as {
      operationId: string;
      responses: Record<string, unknown>;
    }[];
    assert.equal(operations.length, Object.keys(API).length);
    assert.deepEqual(operations.map((o) => o.operationId).sort(), Object.keys(API).sort());
    for (const [id, route] of Object.entries(API) as [string, ApiRoute][]) {
      const op = doc.paths[route.path]![route.method.toLowerCase()] as { responses: Record<string, unknown> };
      for (const status of Object.keys(route.errors)) assert.ok(status in op.responses, `${id} ${status}`);
    }
    const text = JSON.stringify(doc);
    assert.ok(!text.includes('"$id"'));
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(name! in doc.components.schemas, name);
    assert.deepEqual(doc.paths['/v1/blocks/{height}']!.get, {
      ...(doc.paths['/v1/blocks/{height}']!.get as object),
      parameters: [
        {
          name: 'height',
          in: 'path',
          required: true,
          description: 'A height (1, 2, ...) or latest',
          schema: { type: 'string', pattern: '^([1-9][0-9]{0,14}|latest)$' },
        },
      ],
    });
  });
});
