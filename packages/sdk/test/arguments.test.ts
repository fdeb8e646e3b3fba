import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addressOf,
  buildTransaction,
  buildTransfer,
  formatKeyFile,
  generateKeyPair,
  keyPairFromHex,
  LightClient,
  PujiangClient,
  PujiangError,
  publicKeyFromHex,
  saveKeyFile,
  secretKeyToHex,
} from '../src/index.js';
import { cannedServer, makeGenesis } from './fixtures.js';

/** Values a careless caller passes: missing, the wrong type, empty, or almost right. */
const JUNK: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  '',
  'zz',
  '0x',
  {},
  [],
  true,
  10n,
  new Uint8Array(3),
];

type AnyCall = (junk: never) => unknown;

describe('every SDK argument check', () => {
  let server: Awaited<ReturnType<typeof cannedServer>>;
  let client: PujiangClient;
  before(async () => {
    server = await cannedServer(() => ({
      status: 500,
      body: { error: { code: 'X', message: 'x', details: {} } },
    }));
    client = new PujiangClient({ url: server.url, timeoutMs: 500 });
  });
  after(() => server.close());

  const key = generateKeyPair('ed25519');
  const to = '00'.repeat(21);
  const common = { chainId: 'c', chainHash: 'sha256' as const, key, nonce: 0, expiresAtHeight: 5 };
  const calls: Record<string, AnyCall> = {
    'keyPairFromHex(suite)': (j) => keyPairFromHex(j, '00'.repeat(32)),
    'keyPairFromHex(secretKey)': (j) => keyPairFromHex('ed25519', j),
    'publicKeyFromHex(publicKey)': (j) => publicKeyFromHex('ed25519', j),
    'addressOf(chainHash)': (j) => addressOf(j, key),
    'addressOf(key)': (j) => addressOf('sha256', j),
    'generateKeyPair(suite)': (j) => generateKeyPair(j),
    'secretKeyToHex(key)': (j) => secretKeyToHex(j),
    'buildTransfer()': (j) => buildTransfer(j),
    'buildTransfer(to)': (j) => buildTransfer({ ...common, to: j, amount: 1 }),
    'buildTransfer(amount)': (j) => buildTransfer({ ...common, to, amount: j }),
    'buildTransfer(key)': (j) => buildTransfer({ ...common, key: j, to, amount: 1 }),
    'buildTransfer(chainId)': (j) => buildTransfer({ ...common, chainId: j, to, amount: 1 }),
    'buildTransfer(chainHash)': (j) => buildTransfer({ ...common, chainHash: j, to, amount: 1 }),
    'buildTransfer(nonce)': (j) => buildTransfer({ ...common, nonce: j, to, amount: 1 }),
    'buildTransaction(module)': (j) =>
      buildTransaction({ ...common, module: j, type: 't', payload: new Uint8Array() }),
    'buildTransaction(payload)': (j) => buildTransaction({ ...common, module: 'm', type: 't', payload: j }),
    'buildTransaction(endorsers)': (j) =>
      buildTransaction({ ...common, module: 'm', type: 't', payload: new Uint8Array(), endorsers: [j] }),
    'new PujiangClient()': (j) => new PujiangClient(j),
    'new LightClient()': (j) => new LightClient(j),
    'new LightClient(genesis)': (j) => new LightClient({ client, genesis: j }),
    'getTx(hash)': (j) => client.getTx(j),
    'getBlock(height)': (j) => client.getBlock(j),
    'getHeader(height)': (j) => client.getHeader(j),
    'getBlockByHash(hash)': (j) => client.getBlockByHash(j),
    'getAccount(address)': (j) => client.getAccount(j),
    'waitForTx(hash)': (j) => client.waitForTx(j, 100),
    'waitForProvableState(hash)': (j) => client.waitForProvableState(j, 100),
    'query(module)': (j) => client.query(j, 'n'),
    'queryProven(provenAfter)': (j) => client.queryProven('bank', 'balance', {}, { provenAfter: j }),
    'sendTransfer()': (j) => client.sendTransfer(j),
    'sendTransfer(key)': (j) => client.sendTransfer({ key: j, to, amount: 1n }),
    'sendTransfer(to)': (j) => client.sendTransfer({ key, to: j, amount: 1n }),
    'sendTransaction(payload)': (j) => client.sendTransaction({ key, module: 'm', type: 't', payload: j }),
    'submitBatch(txs)': (j) => client.submitBatch(j),
    'formatKeyFile(key)': (j) => formatKeyFile(j),
    'saveKeyFile(key)': (j) => saveKeyFile(join(tmpdir(), 'pujiang-never-written.json'), j),
  };

  it('throws SDK_INVALID_ARGUMENT naming the argument, before any request, for every malformed value', async () => {
    // A value that happens to be valid for a call (0 as a height, bytes as a payload) is skipped.
    let refused = 0;
    for (const [name, call] of Object.entries(calls)) {
      for (const junk of JUNK) {
        const requests = server.requests.length;
        let error: unknown;
        try {
          await call(junk as never);
          continue;
        } catch (e) {
          error = e;
        }
        const what = `${name} with ${typeof junk === 'bigint' ? `${junk}n` : (JSON.stringify(junk) ?? String(junk))}`;
        if (server.requests.length > requests) continue; // valid enough to ask the node (which answered 500)
        assert.ok(error instanceof PujiangError, `${what}: ${String(error)}`);
        assert.equal(error.code, 'SDK_INVALID_ARGUMENT', `${what}: ${error.code} ${error.message}`);
        assert.equal(typeof error.details.parameter, 'string', `${what}: no parameter named`);
        refused++;
      }
    }
    // Nearly every pair is refused; the count guards against the table silently passing.
    assert.ok(refused > Object.keys(calls).length * (JUNK.length - 4), `refused ${refused}`);
  });

  it('accepts what is well-formed', () => {
    const pair = keyPairFromHex('ed25519', `0x${'11'.repeat(32)}`);
    assert.equal(addressOf('sha256', pair).length, 42);
    assert.equal(addressOf('sm3', pair.publicKey).length, 42);
    assert.equal(
      publicKeyFromHex('ed25519', Buffer.from(pair.publicKey.bytes).toString('hex')).suite,
      'ed25519',
    );
    assert.ok(new LightClient({ client, genesis: makeGenesis([key]) }));
    assert.equal(buildTransfer({ ...common, to, amount: '5' }).hash.length, 64);
  });
});
