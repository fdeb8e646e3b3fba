import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addressOf,
  buildTransaction,
  buildTransfer,
  committedTxProof,
  decodeTx,
  deriveAddress,
  eventStream,
  eventsUrl,
  formatKeyFile,
  generateKeyPair,
  keyPairFromHex,
  keyPairFromSecretKey,
  LightClient,
  loadKeyFile,
  PujiangClient,
  PujiangError,
  parseGenesis,
  parseKeyFile,
  publicKeyFromHex,
  requestSigner,
  saveKeyFile,
  secretKeyToHex,
  signatureHeaders,
  subscribe,
  txHash,
  verifyTransaction,
  verifyTxSignature,
} from '../src/index.js';
import { cannedServer, JUNK, makeGenesis } from './fixtures.js';

type AnyCall = (junk: never) => unknown;
const skip = Symbol('skip: a valid value for this argument');

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
    'new PujiangClient(signer)': (j) => new PujiangClient({ url: 'http://127.0.0.1:1', signer: j }),
    'requestSigner(key)': (j) => requestSigner(j, async () => 'sha256'),
    'requestSigner(chainHash)': (j) => requestSigner(key, j),
    'signatureHeaders(signer)': (j) => signatureHeaders(j, 'GET', 'http://127.0.0.1:1/v1/status', undefined),
    'signatureHeaders(method)': (j) =>
      signatureHeaders(
        requestSigner(key, async () => 'sha256'),
        j,
        'http://127.0.0.1:1/',
        undefined,
      ),
    'signatureHeaders(url)': (j) =>
      signatureHeaders(
        requestSigner(key, async () => 'sha256'),
        'GET',
        j,
        undefined,
      ),
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
    'signTransaction()': (j) => client.signTransaction(j),
    'signTransaction(payload)': (j) => client.signTransaction({ key, module: 'm', type: 't', payload: j }),
    'requestRoute(method)': (j) => client.requestRoute(j, '/v1/modules/m/x'),
    'requestRoute(path)': (j) => client.requestRoute('GET', j),
    'sendTransactions()': (j) => client.sendTransactions(j),
    'sendTransactions(messages)': (j) => client.sendTransactions({ key, messages: j }),
    'sendTransactions(payload)': (j) =>
      client.sendTransactions({ key, messages: [{ module: 'm', type: 't', payload: j }] }),
    'formatKeyFile(key)': (j) => formatKeyFile(j),
    'saveKeyFile(key)': (j) => saveKeyFile(join(tmpdir(), 'pujiang-never-written.json'), j),
    // A non-empty string is a path (and would be written): only the other values are tried.
    'saveKeyFile(path)': (j) =>
      typeof j === 'string' && j !== '' ? Promise.reject(skip) : saveKeyFile(j, key),
    'loadKeyFile(path)': (j) => loadKeyFile(j),
    'parseKeyFile(text)': (j) => (typeof j === 'string' ? Promise.reject(skip) : parseKeyFile(j)),
    'deriveAddress(chainHash)': (j) => deriveAddress(j, key.publicKey),
    'deriveAddress(publicKey)': (j) => deriveAddress('sha256', j),
    'keyPairFromSecretKey(secretKey)': (j) => keyPairFromSecretKey(j),
    'committedTxProof(response)': (j) => committedTxProof(j),
    'verifyTransaction(response)': (j) => verifyTransaction(j, null as never),
    'txHash(algorithm)': (j) => txHash(j, buildTransfer({ ...common, to, amount: 1 }).tx),
    'txHash(tx)': (j) => txHash('sha256', j),
    'verifyTxSignature(tx)': (j) => verifyTxSignature(j),
    'eventsUrl(parameters)': (j) => eventsUrl(j),
    'subscribe(parameters)': (j) => subscribe(j, () => {}),
    'subscribe(onMessage)': (j) => subscribe({ url: server.url }, j),
    'eventStream(parameters)': (j) => eventStream(j),
    'client.subscribe(parameters)': (j) => client.subscribe(j, () => {}),
    'client.subscribe(onMessage)': (j) => client.subscribe({}, j),
    'client.events(parameters)': (j) => (j === undefined ? Promise.reject(skip) : client.events(j)),
    'sendTransfer(wait)': (j) => client.sendTransfer({ key, to, amount: 1n, wait: j }),
    'sendTransfer(throwOnFailure)': (j) => client.sendTransfer({ key, to, amount: 1n, throwOnFailure: j }),
    'getVerifiedValidators(height)': (j) => light().getVerifiedValidators(j),
    'getVerifiedHeader(height)': (j) => light().getVerifiedHeader(j),
    'getVerifiedBalance(address)': (j) => light().getVerifiedBalance(j),
    'getVerifiedTransaction(hash)': (j) => light().getVerifiedTransaction(j),
    'getVerifiedState(key)': (j) => light().getVerifiedState(j),
    'verifiedQuery(module)': (j) => light().verifiedQuery(j, 'balance'),
    'getHookReceipts(height)': (j) => client.getHookReceipts(j),
    'getBlockReceipts(height)': (j) => client.getBlockReceipts(j),
    'getValidators(height)': (j) => (j === undefined ? Promise.reject(skip) : client.getValidators(j)),
    'search(module)': (j) => client.search(j, 'anchors'),
    'getState(key)': (j) => client.getState(j),
    'submitTx(tx)': (j) => client.submitTx(j),
  };
  /** Calls whose refusals have their own typed codes (a parser of documents, not of arguments). */
  const OWN_CODES: Record<string, readonly string[]> = {
    'parseGenesis(json)': ['GENESIS_INVALID'],
    'decodeTx(wire)': ['TX_UNDECODABLE'],
    'parseKeyFile(text)': ['SDK_INVALID_ARGUMENT', 'KEYFILE_INVALID'],
    'loadKeyFile(path)': ['SDK_INVALID_ARGUMENT', 'KEYFILE_UNREADABLE', 'KEYFILE_INVALID'],
  };
  calls['parseGenesis(json)'] = (j) => parseGenesis(j);
  calls['decodeTx(wire)'] = (j) => decodeTx(j);
  const light = () => new LightClient({ client, genesis: makeGenesis([key]) });

  it('throws SDK_INVALID_ARGUMENT naming the argument, before any request, for every malformed value', async () => {
    // A value that happens to be valid for a call (0 as a height, bytes as a payload) is skipped.
    let refused = 0;
    for (const [name, call] of Object.entries(calls)) {
      for (const junk of JUNK) {
        const requests = server.requests.length;
        let error: unknown;
        try {
          const result = await call(junk as never);
          // A subscription that started is closed again (junk it accepted, like {} as options).
          (result as { close?: () => void } | undefined)?.close?.();
          continue;
        } catch (e) {
          error = e;
        }
        if (error === skip) continue;
        const what = `${name} with ${typeof junk === 'bigint' ? `${junk}n` : (JSON.stringify(junk) ?? String(junk))}`;
        if (server.requests.length > requests) continue; // valid enough to ask the node (which answered 500)
        assert.ok(error instanceof PujiangError, `${what}: ${String(error)}`);
        const codes = OWN_CODES[name] ?? ['SDK_INVALID_ARGUMENT'];
        assert.ok(codes.includes(error.code), `${what}: ${error.code} ${error.message}`);
        if (error.code === 'SDK_INVALID_ARGUMENT')
          assert.equal(typeof error.details.parameter, 'string', `${what}: no parameter named`);
        refused++;
      }
    }
    // Nearly every pair is refused; the count guards against the table silently passing.
    assert.ok(refused > Object.keys(calls).length * (JUNK.length - 4), `refused ${refused}`);
  });

  it('the table names every function the SDK exports and every client method', async () => {
    const sdk = await import('../src/index.js');
    const elsewhere = new Set([
      // Module calls and verifiers: module-arguments.test.ts.
      ...Object.keys(await import('@pujiang/modules/client')),
      ...Object.keys(await import('@pujiang/modules/verify')),
      ...Object.keys(await import('@pujiang/verify')),
      // The notary's document digest, re-exported from its module: module-arguments.test.ts.
      'digestDocument',
      // Take anything, or nothing: a type guard, and the client's argument-less reads.
      'isPujiangError',
      'getStatus',
      'getGenesis',
      'getLatestBlock',
      'getPeers',
      'getVerifiedLatestHeader',
      // Private helpers of the client (TypeScript's `private`: not part of its surface).
      'call',
      'send',
      'senderState',
      'provableAfter',
    ]);
    const named = new Set(Object.keys(calls).map((n) => n.split('(')[0]!.replace(/^(client\.|new )/, '')));
    const functions = Object.entries(sdk)
      .filter(([, v]) => typeof v === 'function' && !/^class\b/.test(String(v)))
      .map(([k]) => k);
    const methods = [PujiangClient, LightClient].flatMap((c) =>
      Object.getOwnPropertyNames(c.prototype).filter((m) => m !== 'constructor'),
    );
    const missing = [...new Set([...functions, ...methods])].filter(
      (n) => !named.has(n) && !elsewhere.has(n),
    );
    assert.deepEqual(missing.sort(), []);
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
