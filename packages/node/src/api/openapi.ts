/**
 * The OpenAPI 3.1 description of the node API, served at `/v1/openapi.json`. The response
 * shapes mirror `@pujiang/protocol`'s api.ts; a test checks every route the server answers
 * is listed here.
 */
const hex = (description: string, pattern = '^([0-9a-f]{2})*$') => ({ type: 'string', pattern, description });
const hash32 = hex('32-byte hash, lowercase hex', '^[0-9a-f]{64}$');
const u64 = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'u64 as a decimal string' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
});
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: unknown) => ({ description, ...json(schema) });
const errors = {
  '400': { description: 'Malformed request or refused transaction', ...json(ref('Error')) },
  '404': { description: 'Not found', ...json(ref('Error')) },
};
const pathParam = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
const queryParam = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const heightOrLatest = pathParam('height', 'A height (1, 2, ...) or `latest`', {
  type: 'string',
  pattern: '^([1-9][0-9]*|latest)$',
});

const receipt = obj(
  {
    txHash: hash32,
    code: { type: 'string', description: '`OK` or the stable error code that stopped the transaction' },
    message: { type: 'string' },
    gasUsed: { type: 'integer' },
    events: { type: 'array', items: ref('Event') },
  },
  ['txHash', 'code', 'gasUsed', 'events'],
);
const merkleProof = obj({
  leafIndex: { type: 'integer' },
  treeSize: { type: 'integer' },
  path: { type: 'array', items: hash32 },
});
const stateRead = obj({
  key: hex('full state key (module name, 00, module key)'),
  value: { oneOf: [hex('value'), { type: 'null' }] },
  proof: ref('StateProof'),
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Pujiang node API',
    version: '1.0.0',
    description:
      'HTTP/JSON API of a Pujiang node. Bytes are lowercase hex, u64 values decimal strings, heights numbers. Every error is `{"error": {"code", "message", "details"}}` with a stable code. Header H commits to the state after block H-1 (`stateRoot`) and to the receipts of block H-1 (`resultsRoot`).',
  },
  paths: {
    '/v1/status': {
      get: { summary: 'Node and chain status', responses: { '200': ok('Status', ref('Status')) } },
    },
    '/v1/genesis': {
      get: { summary: 'The genesis document', responses: { '200': ok('Genesis', { type: 'object' }) } },
    },
    '/v1/modules': {
      get: {
        summary: "The chain's modules: message types, queries and declared events with their attributes",
        responses: {
          '200': ok(
            'Modules',
            obj({
              modules: {
                type: 'array',
                items: obj({
                  name: { type: 'string' },
                  messages: { type: 'array', items: { type: 'string' } },
                  queries: { type: 'array', items: { type: 'string' } },
                  events: { oneOf: [{ type: 'object' }, { type: 'null' }] },
                }),
              },
            }),
          ),
        },
      },
    },
    '/v1/validators': {
      get: {
        summary: 'The validator set of a height (default: the next height)',
        parameters: [queryParam('height', 'Height', { type: 'integer', minimum: 1 })],
        responses: { '200': ok('Validators', ref('Validators')), ...errors },
      },
    },
    '/v1/blocks/{height}': {
      get: {
        summary: 'A block with its transactions and commit certificate',
        parameters: [heightOrLatest],
        responses: {
          '200': ok('Block', ref('Block')),
          ...errors,
          '410': {
            description: 'Body pruned by this node (API_PRUNED); the header stays',
            ...json(ref('Error')),
          },
        },
      },
    },
    '/v1/blocks/{height}/hooks': {
      get: {
        summary:
          "The block's module hook receipts (they follow its transactions' in the results tree), each with its inclusion proof under header height + 1 (null until that header exists)",
        parameters: [heightOrLatest],
        responses: {
          '200': ok(
            'Hook receipts',
            obj({
              height: { type: 'integer' },
              txCount: { type: 'integer' },
              hooks: {
                type: 'array',
                items: obj({
                  index: { type: 'integer' },
                  receipt,
                  proof: { oneOf: [merkleProof, { type: 'null' }] },
                }),
              },
            }),
          ),
          ...errors,
        },
      },
    },
    '/v1/blocks/hash/{hash}': {
      get: {
        summary: 'A block by its hash',
        parameters: [pathParam('hash', 'Block hash', hash32)],
        responses: { '200': ok('Block', ref('Block')), ...errors },
      },
    },
    '/v1/headers/{height}': {
      get: {
        summary: 'A header and its commit certificate (for light clients)',
        parameters: [heightOrLatest],
        responses: { '200': ok('Header', ref('Header')), ...errors },
      },
    },
    '/v1/txs': {
      post: {
        summary: 'Submit a signed transaction, optionally waiting for its commit',
        requestBody: {
          required: true,
          ...json(
            obj(
              {
                tx: hex('canonical encoding of the signed transaction'),
                wait: { type: 'boolean' },
                timeoutMs: { type: 'integer', minimum: 0, maximum: 60000 },
              },
              ['tx'],
            ),
          ),
        },
        responses: {
          '200': ok('Committed (wait=true)', ref('Submitted')),
          '202': ok('Admitted to the mempool', ref('Submitted')),
          '400': errors['400'],
          '413': { description: 'Body or transaction too large', ...json(ref('Error')) },
          '415': { description: 'Not application/json', ...json(ref('Error')) },
          '429': { description: 'Mempool full (MEMPOOL_FULL, MEMPOOL_SENDER_FULL)', ...json(ref('Error')) },
        },
      },
    },
    '/v1/txs/batch': {
      post: {
        summary: 'Submit up to 10,000 signed transactions; each is admitted or refused on its own',
        requestBody: {
          required: true,
          description:
            'JSON {"txs": [hex, ...]}, or application/octet-stream: each transaction as a 4-byte big-endian length and its canonical encoding, back to back (no hex or JSON to parse, for high-rate clients).',
          content: {
            'application/json': {
              schema: obj({ txs: { type: 'array', maxItems: 10000, items: hex('tx') } }),
            },
            'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
          },
        },
        responses: {
          '200': ok(
            'One result per transaction, in order',
            obj({
              results: {
                type: 'array',
                items: { oneOf: [obj({ hash: hash32 }), ref('Error')] },
              },
            }),
          ),
          ...errors,
        },
      },
    },
    '/v1/txs/{hash}': {
      get: {
        summary: 'A transaction: status, result, events, block and inclusion proofs',
        parameters: [pathParam('hash', 'Transaction hash', hash32)],
        responses: { '200': ok('Transaction', ref('Transaction')), ...errors },
      },
    },
    '/v1/accounts/{address}': {
      get: {
        summary: "An account's committed and pending nonces",
        parameters: [pathParam('address', 'Address (21 bytes hex)', hex('address', '^[0-9a-f]{42}$'))],
        responses: {
          '200': ok(
            'Account',
            obj({ address: { type: 'string' }, nonce: u64, pendingNonce: u64, height: { type: 'integer' } }),
          ),
          ...errors,
        },
      },
    },
    '/v1/query/{module}/{name}': {
      get: {
        summary:
          "A module query. Other query parameters are the query's own (e.g. `address` for bank/balance). Without prove, it runs on the state after the latest block, and `height` in the answer is that block. With prove=true, it runs on the state that header `height` commits to (its stateRoot: the state after block height-1; default: the latest header), and every state key it read comes with a proof.",
        parameters: [
          pathParam('module', 'Module name, e.g. bank'),
          pathParam('name', 'Query name, e.g. balance'),
          queryParam('prove', 'Return proofs', { type: 'boolean' }),
          queryParam('height', 'Header height for prove=true', { type: 'integer', minimum: 1 }),
        ],
        responses: {
          '200': ok('Result', {
            oneOf: [
              obj({ height: { type: 'integer' }, result: {} }),
              obj({
                height: { type: 'integer' },
                stateRoot: hash32,
                result: {},
                reads: { type: 'array', items: stateRead },
              }),
            ],
          }),
          ...errors,
        },
      },
    },
    '/v1/search/{module}/{name}': {
      get: {
        summary:
          "A module's search over the index this node keeps from committed events (e.g. notary/assets and notary/anchors by owner, type and time range: owner, type, from, to (ms), limit (1-1000, default 100), after (the previous answer's next)). Not proven: prove each hit with a proven query (e.g. notary/lineage).",
        parameters: [
          pathParam('module', 'Module name, e.g. notary'),
          pathParam('name', 'Search name, e.g. assets'),
        ],
        responses: {
          '200': ok('Result', obj({ height: { type: 'integer' }, result: {} })),
          ...errors,
        },
      },
    },
    '/v1/state/{key}': {
      get: {
        summary: 'One raw state key with its proof against a header (default: latest)',
        parameters: [
          pathParam('key', 'Full state key, hex', hex('key')),
          queryParam('height', 'Header height', { type: 'integer', minimum: 1 }),
        ],
        responses: {
          '200': ok('Proven read', {
            allOf: [stateRead, obj({ height: { type: 'integer' }, stateRoot: hash32 })],
          }),
          ...errors,
        },
      },
    },
    '/v1/events': {
      get: {
        summary:
          'WebSocket (upgrade). Messages: block, tx, event (see EventMessage), then caughtUp after a replay. Filters in the URL.',
        parameters: [
          queryParam('fromHeight', 'Replay stored blocks from this height first', {
            type: 'integer',
            minimum: 1,
          }),
          queryParam('blocks', 'Send block messages (default true)', { type: 'boolean' }),
          queryParam('txs', 'Send transaction results (default true; off when events are filtered)', {
            type: 'boolean',
          }),
          queryParam('events', 'Send events (default true)', { type: 'boolean' }),
          queryParam('module', 'Only events of this module'),
          queryParam('type', 'Only events of this type'),
          queryParam(
            'attr.NAME',
            'Only events whose attribute NAME has this value (repeatable for other names)',
          ),
        ],
        responses: { '101': { description: 'Switching to WebSocket' }, ...errors },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'text/plain; version=0.0.4' } },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness: 200 while consensus runs, 503 after a fatal failure',
        responses: { '200': ok('Healthy', { type: 'object' }), '503': ok('Failed', { type: 'object' }) },
      },
    },
  },
  components: {
    schemas: {
      Error: obj({
        error: obj({ code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } }),
      }),
      Status: obj({
        chainId: { type: 'string' },
        nodeId: { type: 'string' },
        height: { type: 'integer' },
        latestBlockHash: hash32,
        latestBlockTime: u64,
        syncing: { type: 'boolean' },
        validator: { type: 'boolean' },
        peers: { type: 'integer' },
        round: { type: 'integer' },
        chainHash: { enum: ['sm3', 'sha256'] },
        acceptedSuites: { type: 'array', items: { type: 'string' } },
        genesisHash: hash32,
        mempool: obj({ size: { type: 'integer' }, bytes: { type: 'integer' } }),
      }),
      Validators: obj({
        height: { type: 'integer' },
        validators: {
          type: 'array',
          items: obj(
            {
              name: { type: 'string' },
              suite: { type: 'string' },
              publicKey: hex('key'),
              power: { type: 'integer' },
              address: hex('address'),
            },
            ['suite', 'publicKey', 'power', 'address'],
          ),
        },
      }),
      Header: obj({ hash: hash32, header: ref('BlockHeader'), certificate: ref('Certificate') }),
      Block: obj({
        hash: hash32,
        header: ref('BlockHeader'),
        txs: { type: 'array', items: hex('tx') },
        txHashes: { type: 'array', items: hash32 },
        certificate: ref('Certificate'),
      }),
      BlockHeader: obj({
        version: { type: 'integer' },
        chainId: { type: 'string' },
        height: { type: 'integer' },
        time: u64,
        previousHash: hash32,
        txRoot: hash32,
        txCount: { type: 'integer' },
        stateRoot: hash32,
        resultsRoot: hash32,
        proposer: hex('address of the proposer'),
      }),
      Certificate: obj({
        height: { type: 'integer' },
        round: { type: 'integer' },
        value: hash32,
        precommits: {
          type: 'array',
          items: obj({ validator: { type: 'integer' }, signature: hex('signature') }),
        },
      }),
      Event: obj({
        module: { type: 'string' },
        type: { type: 'string' },
        attributes: { type: 'object', additionalProperties: { type: 'string' } },
      }),
      Receipt: receipt,
      MerkleProof: merkleProof,
      StateProof: obj({
        siblings: { type: 'array', items: hash32 },
        terminal: {
          oneOf: [
            obj({ kind: { const: 'leaf' }, path: hash32, valueHash: hash32 }),
            obj({ kind: { const: 'empty' } }),
          ],
        },
      }),
      Submitted: obj(
        {
          hash: hash32,
          status: { enum: ['pending', 'committed'] },
          height: { type: 'integer' },
          index: { type: 'integer' },
          receipt,
        },
        ['hash', 'status'],
      ),
      Transaction: obj(
        {
          hash: hash32,
          status: { enum: ['pending', 'committed'] },
          tx: { type: 'object' },
          raw: hex('canonical encoding'),
          height: { type: 'integer' },
          index: { type: 'integer' },
          receipt,
          proof: obj({ tx: merkleProof, receipt: { oneOf: [merkleProof, { type: 'null' }] } }),
        },
        ['hash', 'status', 'tx', 'raw'],
      ),
    },
  },
} as const;
