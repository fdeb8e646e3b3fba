import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak256 } from '@pujiang/crypto';
import type { RouteHost } from '@pujiang/module-kit';
import { decodeTx } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import fc from 'fast-check';
import { accountKey, codeKey, encodeAccount } from '../src/chain/keys.js';
import { dispatch, MAX_BATCH } from '../src/chain/rpc/dispatch.js';

/**
 * The JSON-RPC layer on a host with a state in memory: standard error codes for malformed
 * calls, bounded batches, calls and estimates run by the interpreter, and no input that makes
 * the dispatcher throw (a property over arbitrary JSON).
 */
const RETURNS_42 = '602a60005260206000f3'; // MSTORE(0, 42); RETURN(0, 32)
const REVERTS = '63deadbeef6000526004601cfd'; // REVERT with 0xdeadbeef
const ANSWER = '11'.repeat(20);
const REFUSER = '22'.repeat(20);
const LOOPS = '33'.repeat(20);

function hostWith(contracts: Record<string, string>): RouteHost {
  const state = new Map<string, Uint8Array>();
  for (const [address, code] of Object.entries(contracts)) {
    const bytes = hexToBytes(code);
    const codeHash = keccak256(bytes);
    state.set(codeKey(bytesToHex(codeHash)), bytes);
    state.set(accountKey(address), encodeAccount({ nonce: 1n, balance: 0n, codeHash }));
  }
  const read = (key: string) => state.get(key);
  return {
    chainId: 'rpc-test',
    chainHash: 'sha256',
    height: () => 5n,
    stateAfter: (height = 5n) => (height <= 5n ? { height, read } : undefined),
    blocks: {
      header: () => undefined,
      hash: () => undefined,
      body: () => undefined,
      receipts: () => undefined,
      heightOf: () => undefined,
      locate: () => undefined,
      maxBlockGas: () => 500_000_000,
    },
    scanIndex: () => [],
    onCommit: () => () => {},
    // As the node admits: decoding first (an undecodable transaction is refused).
    submit: async (wire: Uint8Array) => {
      decodeTx(wire);
      return '00'.repeat(32);
    },
    pendingNonce: () => 0n,
    committedNonce: () => 0n,
  } as unknown as RouteHost;
}

const call = (method: string, params: unknown[] = [], id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});
type Answer = {
  jsonrpc: string;
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

describe('Ethereum JSON-RPC dispatch', () => {
  const host = hostWith({ [ANSWER]: RETURNS_42, [REFUSER]: REVERTS });

  it('answers the chain id, zero fees and state reads', async () => {
    const [chainId, gasPrice, code, balance, slot] = (await dispatch(host, [
      call('eth_chainId'),
      call('eth_gasPrice'),
      call('eth_getCode', [`0x${ANSWER}`, 'latest']),
      call('eth_getBalance', [`0x${'33'.repeat(20)}`, 'latest']),
      call('eth_getStorageAt', [`0x${ANSWER}`, '0x0', 'latest']),
    ])) as Answer[];
    assert.match(String(chainId!.result), /^0x[1-9a-f][0-9a-f]*$/);
    assert.equal(gasPrice!.result, '0x0');
    assert.equal(code!.result, `0x${RETURNS_42}`);
    assert.equal(balance!.result, '0x0');
    assert.equal(slot!.result, `0x${'0'.repeat(64)}`);
  });

  it('runs eth_call and eth_estimateGas in the interpreter; a revert is code 3 with its data', async () => {
    const answer = (await dispatch(host, call('eth_call', [{ to: `0x${ANSWER}` }, 'latest']))) as Answer;
    assert.equal(BigInt(answer.result as string), 42n);
    const estimate = (await dispatch(host, call('eth_estimateGas', [{ to: `0x${ANSWER}` }]))) as Answer;
    // 21,000 intrinsic + the opcodes' gas: the least limit that succeeds.
    assert.ok(BigInt(estimate.result as string) > 21_000n && BigInt(estimate.result as string) < 21_100n);
    const reverted = (await dispatch(host, call('eth_call', [{ to: `0x${REFUSER}` }]))) as Answer;
    assert.equal(reverted.error!.code, 3);
    assert.equal(reverted.error!.data, '0xdeadbeef');
    const unknownBlock = (await dispatch(host, call('eth_call', [{ to: `0x${ANSWER}` }, '0x99']))) as Answer;
    assert.equal(unknownBlock.error!.code, -32001);
  });

  it('bounds the work of a request: the gas cap, the simulated gas of a batch, reward percentiles', async () => {
    // A loop over cold accounts (EXTCODESIZE, 2,600 gas each) spends gas fast.
    const looping = hostWith({ [LOOPS]: '60015b803b50600101600256' });
    // Asked for 2^64 - 1 gas, the call runs out at the cap (10,000,000) instead of forever.
    const capped = (await dispatch(
      looping,
      call('eth_call', [{ to: `0x${LOOPS}`, gas: '0xffffffffffffffff' }]),
    )) as Answer;
    assert.equal(capped.error!.code, -32000);
    assert.match(capped.error!.message, /out of gas/);
    // Each call reserves its limit (the cap) from the batch's budget (3 caps), whatever it then uses.
    const many = (await dispatch(
      host,
      Array.from({ length: 10 }, (_, i) => call('eth_call', [{ to: `0x${ANSWER}` }], i)),
    )) as Answer[];
    assert.equal(BigInt(many[0]!.result as string), 42n);
    assert.ok(
      many.some((a) => a.error?.code === -32005),
      'a batch spends one budget of simulated gas',
    );
    const fees = (await dispatch(
      looping,
      call('eth_feeHistory', ['0x1', 'latest', Array.from({ length: 101 }, () => 50)]),
    )) as Answer;
    assert.equal(fees.error!.code, -32602);
    const huge = (await dispatch(
      looping,
      call('eth_call', [{ to: `0x${LOOPS}`, value: `0x1${'0'.repeat(64)}` }]),
    )) as Answer;
    assert.equal(huge.error!.code, -32602);
  });

  it('refuses malformed calls with the standard codes and bounds batches', async () => {
    const codeOf = async (body: unknown) => ((await dispatch(host, body)) as Answer).error?.code;
    assert.equal(await codeOf(call('eth_nothing')), -32601);
    assert.equal(await codeOf({ id: 1, method: 'eth_chainId' }), -32600);
    assert.equal(await codeOf({ jsonrpc: '2.0', id: {}, method: 'eth_chainId' }), -32600);
    assert.equal(await codeOf({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: {} }), -32602);
    assert.equal(await codeOf(call('eth_getBalance', ['0x12', 'latest'])), -32602);
    assert.equal(await codeOf(call('eth_getBalance', [`0x${ANSWER}`, '0x01'])), -32602);
    assert.equal(await codeOf(call('eth_sendRawTransaction', ['0x'])), -32000);
    assert.equal(await codeOf(call('constructor')), -32601);
    assert.equal(await codeOf([]), -32600);
    assert.equal(await codeOf(Array.from({ length: MAX_BATCH + 1 }, () => call('eth_chainId'))), -32005);
    const batch = (await dispatch(host, [call('eth_chainId', [], 'a'), 'junk'])) as Answer[];
    assert.equal(batch[0]!.id, 'a');
    assert.equal(batch[1]!.error!.code, -32600);
  });

  it('never throws on arbitrary JSON: every answer is a JSON-RPC result or error (property)', async () => {
    const methods = [
      'eth_call',
      'eth_getLogs',
      'eth_getBalance',
      'eth_feeHistory',
      'eth_getBlockByNumber',
      'eth_sendRawTransaction',
      'eth_estimateGas',
      'eth_getStorageAt',
      'x',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.array(fc.jsonValue(), { maxLength: 4 }),
        async (method, params) => {
          const answer = (await dispatch(host, call(method, params))) as Answer;
          assert.equal(answer.jsonrpc, '2.0');
          assert.ok('result' in answer !== 'error' in answer);
          if (answer.error) assert.ok(Number.isInteger(answer.error.code));
        },
      ),
      { numRuns: 300 },
    );
  });
});
