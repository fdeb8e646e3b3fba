import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from '@pujiang/codec';
import { deriveAddress, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import type { ChainClient, SendTransactionParameters } from '@pujiang/module-kit';
import { moduleKey, type ProvenQueryResponse, type Receipt, stateProofToJson } from '@pujiang/protocol';
import { EMPTY_ROOT, MemoryNodeStore, SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes, isPujiangError, type PujiangError } from '@pujiang/types';
import type { CertifiedHeader } from '@pujiang/verify';
import { computeAddress, getAddress } from 'ethers';
import {
  callContract,
  deployContract,
  evmAddressOf,
  evmLogsOf,
  getStorageProven,
  getStorageVerified,
  readContract,
} from '../src/client/index.js';
import { EvmCall, evmAddressOf as evmAddressOfChainAccount, NATIVE_CALL_TAG } from '../src/formats.js';
import { verifyStorageSlot } from '../src/verify/index.js';

const CONTRACT = '5fbdb2315678afecb367f032d93f642f64180aa3';
const CHECKSUMMED = getAddress(CONTRACT);

interface Recorded {
  rpc: { method: string; params: unknown[] }[];
  sent: SendTransactionParameters[];
  queries: { module: string; name: string; params: Record<string, string>; options: unknown }[];
  requests: number;
}

/**
 * A `ChainClient` that records what a call asks and answers from `rpc` (JSON-RPC results by
 * method, or an error object), a committed receipt for each transaction, and `proven` for
 * proven queries.
 */
function fakeClient(
  over: {
    rpc?: Record<string, unknown>;
    receipt?: (p: SendTransactionParameters) => Receipt | undefined;
    proven?: ProvenQueryResponse;
    answer?: (body: { id: number }) => unknown;
  } = {},
): { client: ChainClient; recorded: Recorded } {
  const recorded: Recorded = { rpc: [], sent: [], queries: [], requests: 0 };
  const client = {
    async getStatus() {
      recorded.requests++;
      return { chainId: 'test', chainHash: 'sm3', height: 9 };
    },
    async requestRoute(
      method: string,
      path: string,
      body: { id: number; method: string; params: unknown[] },
    ) {
      recorded.requests++;
      assert.equal(method, 'POST');
      assert.equal(path, '/rpc');
      recorded.rpc.push({ method: body.method, params: body.params });
      if (over.answer) return over.answer(body);
      const result = over.rpc?.[body.method];
      if (typeof result === 'object' && result !== null && 'error' in result)
        return { jsonrpc: '2.0', id: body.id, ...result };
      return { jsonrpc: '2.0', id: body.id, result };
    },
    async sendTransaction(p: SendTransactionParameters) {
      recorded.requests++;
      recorded.sent.push(p);
      const receipt = over.receipt?.(p);
      const hash = 'ab'.repeat(32);
      return {
        hash,
        nonce: 4n,
        built: {} as never,
        result:
          receipt === undefined
            ? { hash, status: 'pending' as const }
            : { hash, status: 'committed' as const, height: 10, index: 0, receipt },
      };
    },
    async queryProven(module: string, name: string, params: Record<string, string>, options: unknown) {
      recorded.requests++;
      recorded.queries.push({ module, name, params, options });
      return over.proven!;
    },
  } as unknown as ChainClient;
  return { client, recorded };
}

const refusal = async (promise: Promise<unknown> | (() => unknown)): Promise<PujiangError> => {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    assert.ok(isPujiangError(error), String(error));
    return error;
  }
  assert.fail('expected a refusal');
};

const assertInvalid = async (what: Promise<unknown> | (() => unknown), parameter: string) => {
  const error = await refusal(what);
  assert.equal(error.code, 'SDK_INVALID_ARGUMENT', `${parameter}: ${error.message}`);
  assert.equal(error.details.parameter, parameter, error.message);
};

const nativePayload = (payload: Uint8Array) => {
  assert.equal(payload[0], NATIVE_CALL_TAG);
  return decode(EvmCall, payload.subarray(1));
};

const senderOf = (key: KeyPair) =>
  `0x${evmAddressOfChainAccount(key.publicKey, bytesToHex(deriveAddress('sm3', key.publicKey)))}`;

/** A receipt as the chain writes it for a deployment: a log whose data spans two chunks, then `executed`. */
function deployReceipt(from: string): Receipt {
  const data = 'cd'.repeat(600);
  return {
    txHash: 'ab'.repeat(32),
    code: 'OK',
    gasUsed: 123_456,
    events: [
      { module: 'bank', type: 'transfer', attributes: { amount: '1' } },
      {
        module: 'evm',
        type: 'log',
        attributes: {
          address: CONTRACT,
          topics: `${'11'.repeat(32)},${'22'.repeat(32)}`,
          data: data.slice(0, 1024),
          data1: data.slice(1024),
        },
      },
      {
        module: 'evm',
        type: 'executed',
        attributes: { hash: '', from: from.slice(2), to: '', created: CONTRACT, gasUsed: '123456' },
      },
    ],
  };
}

describe('evm client: native accounts of any suite deploy and call contracts', () => {
  for (const suite of ['ed25519', 'sm2', 'ml-dsa-65', 'secp256k1'] as const) {
    it(`deployContract (${suite}): 0x00 || EvmCall {to: empty, value, data: bytecode || constructor data}, gas estimated`, async () => {
      const key = generateKeyPair(suite);
      const from = senderOf(key);
      const { client, recorded } = fakeClient({
        rpc: { eth_estimateGas: '0x186a0' },
        receipt: () => deployReceipt(from),
      });
      const deployed = await deployContract(client, {
        key,
        bytecode: '0x6080aa',
        constructorData: new Uint8Array([1, 2]),
        value: 256n,
        wait: true,
      });
      assert.deepEqual(recorded.rpc, [
        {
          method: 'eth_estimateGas',
          params: [{ from, data: '0x6080aa0102', value: '0x100' }, 'latest'],
        },
      ]);
      const [sent] = recorded.sent;
      assert.equal(sent!.module, 'evm');
      assert.equal(sent!.type, 'deploy');
      assert.equal(sent!.gasLimit, 120_000n, 'the estimate and a fifth');
      assert.equal(sent!.wait, true);
      assert.equal(
        (sent as { value?: unknown }).value,
        undefined,
        'value is in the payload, not the transaction',
      );
      assert.deepEqual(nativePayload(sent!.payload), {
        to: new Uint8Array(0),
        value: new Uint8Array([1, 0]),
        data: hexToBytes('6080aa0102'),
      });
      assert.equal(deployed.contractAddress, `0x${CONTRACT}`);
      assert.equal(deployed.from, from);
      assert.equal(deployed.gasUsed, 123_456n);
      assert.equal(deployed.status, 'committed');
      assert.deepEqual(deployed.logs, [
        {
          address: `0x${CONTRACT}`,
          topics: [`0x${'11'.repeat(32)}`, `0x${'22'.repeat(32)}`],
          data: `0x${'cd'.repeat(600)}`,
        },
      ]);
    });
  }

  it('callContract: evm/call to the contract; a given gas limit skips the estimate; pending without wait', async () => {
    const key = generateKeyPair('sm2');
    const { client, recorded } = fakeClient();
    const called = await callContract(client, { key, to: CHECKSUMMED, data: '0xa9059cbb', gasLimit: 90_000 });
    assert.deepEqual(recorded.rpc, []);
    const [sent] = recorded.sent;
    assert.equal(sent!.type, 'call');
    assert.equal(sent!.gasLimit, 90_000n);
    assert.deepEqual(nativePayload(sent!.payload), {
      to: hexToBytes(CONTRACT),
      value: new Uint8Array(0),
      data: hexToBytes('a9059cbb'),
    });
    assert.equal(called.status, 'pending');
    assert.equal(called.receipt, undefined);
    assert.equal(called.from, senderOf(key));
    assert.deepEqual(called.logs, []);
  });

  it('a call the estimate finds reverting throws EVM_REVERTED with the revert data, and sends nothing', async () => {
    const data = '0x4e487b710000000000000000000000000000000000000000000000000000000000000011';
    const { client, recorded } = fakeClient({
      rpc: { eth_estimateGas: { error: { code: 3, message: 'execution reverted', data } } },
    });
    const error = await refusal(
      callContract(client, { key: generateKeyPair('ed25519'), to: CONTRACT, data: '0x01' }),
    );
    assert.equal(error.code, 'EVM_REVERTED');
    assert.equal(error.details.data, data);
    assert.deepEqual(recorded.sent, []);
  });

  it('readContract: eth_call at the latest block or a height; JSON-RPC errors typed', async () => {
    const { client, recorded } = fakeClient({
      rpc: { eth_call: '0x00000000000000000000000000000000000000000000000000000000000000FF' },
    });
    assert.equal(
      await readContract(client, { to: CONTRACT, data: new Uint8Array([0x18, 0x16, 0x0d, 0xdd]) }),
      `0x${'00'.repeat(31)}ff`,
    );
    await readContract(client, { to: CHECKSUMMED, data: '18160ddd', from: CONTRACT, value: '10', height: 7 });
    assert.deepEqual(recorded.rpc, [
      { method: 'eth_call', params: [{ to: `0x${CONTRACT}`, data: '0x18160ddd' }, 'latest'] },
      {
        method: 'eth_call',
        params: [{ to: `0x${CONTRACT}`, data: '0x18160ddd', from: `0x${CONTRACT}`, value: '0xa' }, '0x7'],
      },
    ]);

    const reverted = fakeClient({
      rpc: { eth_call: { error: { code: 3, message: 'execution reverted: no', data: '0x08c379a0' } } },
    });
    const revert = await refusal(readContract(reverted.client, { to: CONTRACT, data: '0x' }));
    assert.equal(revert.code, 'EVM_REVERTED');
    assert.equal(revert.message, 'execution reverted: no');
    assert.equal(revert.details.data, '0x08c379a0');

    const other = fakeClient({ rpc: { eth_call: { error: { code: -32602, message: 'params[0].to' } } } });
    const rpcError = await refusal(readContract(other.client, { to: CONTRACT, data: '0x' }));
    assert.equal(rpcError.code, 'EVM_RPC_ERROR');
    assert.equal(rpcError.details.rpcCode, -32602);

    for (const answer of [
      () => null,
      () => ({ jsonrpc: '2.0', id: -1, result: '0x' }),
      (b: { id: number }) => ({ id: b.id, result: 5 }),
    ]) {
      const bad = fakeClient({ answer });
      assert.equal(
        (await refusal(readContract(bad.client, { to: CONTRACT, data: '0x' }))).code,
        'SDK_BAD_RESPONSE',
      );
    }
  });

  it('checks every argument before any request: SDK_INVALID_ARGUMENT naming the parameter', async () => {
    const { client, recorded } = fakeClient();
    const key = generateKeyPair('ed25519');
    await assertInvalid(deployContract(client, null as never), 'parameters');
    await assertInvalid(deployContract(client, { key: {} as never, bytecode: '0x60' }), 'key');
    for (const bytecode of [undefined, '', '0x', 'zz', '0x123', 5])
      await assertInvalid(deployContract(client, { key, bytecode: bytecode as never }), 'bytecode');
    await assertInvalid(
      deployContract(client, { key, bytecode: '0x60', constructorData: 'x' }),
      'constructorData',
    );
    for (const value of [-1n, 1.5, '1e3', 2n ** 256n, '0x'])
      await assertInvalid(deployContract(client, { key, bytecode: '0x60', value: value as never }), 'value');
    await assertInvalid(deployContract(client, { key, bytecode: '0x60', gasLimit: -1 }), 'gasLimit');
    await assertInvalid(deployContract(client, { key, bytecode: new Uint8Array(61 * 1024) }), 'data');
    for (const to of [undefined, '0x12', CONTRACT.replace('f', 'F'), new Uint8Array(21)])
      await assertInvalid(callContract(client, { key, to: to as never }), 'to');
    await assertInvalid(callContract(client, { key, to: CONTRACT, data: 'nothex' }), 'data');
    await assertInvalid(readContract(client, { to: CONTRACT, data: undefined as never }), 'data');
    await assertInvalid(readContract(client, { to: CONTRACT, data: '0x', from: 'me' }), 'from');
    await assertInvalid(readContract(client, { to: CONTRACT, data: '0x', height: -1 }), 'height');
    for (const slot of [undefined, -1n, 2n ** 256n, '12', '0x', new Uint8Array(31)])
      await assertInvalid(getStorageProven(client, { address: CONTRACT, slot: slot as never }), 'slot');
    await assertInvalid(getStorageProven(client, { address: 'x', slot: 0 }), 'address');
    await assertInvalid(
      getStorageProven(client, { address: CONTRACT, slot: 0, provenAfter: 'x' }),
      'provenAfter',
    );
    await assertInvalid(getStorageVerified({} as never, { address: CONTRACT, slot: 0 }), 'querier');
    await assertInvalid(() => evmAddressOf(null as never, 'sm3'), 'key');
    await assertInvalid(() => evmAddressOf(key, 'md5'), 'chain');
    await assertInvalid(
      () => evmAddressOf({ suite: 'ed25519', bytes: new Uint8Array(3) } as never, 'sm3'),
      'key',
    );
    await assertInvalid(() => evmLogsOf({ events: 'no' as never }), 'receipt.events');
    await assertInvalid(
      () => evmLogsOf({ events: [{ module: 'evm', type: 'log', attributes: { address: 'zz' } }] }),
      'receipt.events[0]',
    );
    assert.equal(recorded.requests, 0);
  });

  it("evmAddressOf: a secp256k1 key's Ethereum address; other suites' from their chain address", () => {
    const eth = generateKeyPair('secp256k1');
    assert.equal(
      getAddress(evmAddressOf(eth, 'sm3')),
      computeAddress(`0x${bytesToHex(eth.publicKey.bytes)}`),
    );
    const ed = generateKeyPair('ed25519');
    const chainAddress = bytesToHex(deriveAddress('sha256', ed.publicKey));
    assert.equal(
      evmAddressOf(ed.publicKey, 'sha256'),
      `0x${evmAddressOfChainAccount(ed.publicKey, chainAddress)}`,
    );
    assert.equal(evmAddressOf(ed, chainAddress), evmAddressOf(ed, 'sha256'));
    assert.notEqual(evmAddressOf(ed, 'sm3'), evmAddressOf(ed, 'sha256'));
  });
});

describe('evm storage proofs: getStorageProven and verifyStorageSlot', () => {
  const tree = new SparseMerkleTree('sm3', new MemoryNodeStore());
  const slot0 = '00'.repeat(32);
  const slot1 = `${'00'.repeat(31)}01`;
  const keyOf = (slot: string) => moduleKey('evm', `s/${CONTRACT}/${slot}`);
  let root: Uint8Array = EMPTY_ROOT;
  root = tree.update(root, keyOf(slot0), new Uint8Array([0x30, 0x39]));
  for (let i = 0; i < 10; i++)
    root = tree.update(root, moduleKey('evm', `s/${CONTRACT}/${i + 10}`), new Uint8Array([i + 1]));
  const read = (slot: string) => {
    const value = tree.get(root, keyOf(slot));
    return {
      key: bytesToHex(keyOf(slot)),
      value: value === undefined ? null : bytesToHex(value),
      proof: stateProofToJson(tree.prove(root, keyOf(slot))),
    };
  };
  const response = (slot: string, value: string): ProvenQueryResponse => ({
    height: 5,
    stateRoot: bytesToHex(root),
    result: { value },
    reads: [read(slot)],
  });
  /** What `verifyHeader` returns (its certificate is @pujiang/verify's to check). */
  const header = {
    chainId: 'test',
    chainHash: 'sm3',
    height: 5,
    hash: '00'.repeat(32),
    header: { stateRoot: root },
    certificate: {},
  } as unknown as CertifiedHeader;
  const word = (n: number) => n.toString(16).padStart(64, '0');

  it('getStorageProven asks evm/storage with the slot as a word, and returns the proof', async () => {
    const proven = response(slot0, word(12345));
    const { client, recorded } = fakeClient({ proven });
    const answer = await getStorageProven(client, { address: CHECKSUMMED, slot: 0n, height: 5 });
    assert.deepEqual(recorded.queries, [
      { module: 'evm', name: 'storage', params: { address: CONTRACT, slot: slot0 }, options: { height: 5 } },
    ]);
    assert.deepEqual(answer, {
      address: `0x${CONTRACT}`,
      slot: `0x${slot0}`,
      value: `0x${word(12345)}`,
      height: 5,
      proof: proven,
    });
  });

  it('verifyStorageSlot: the proven value (zero for an unwritten slot); a lie fails with the check it fails', async () => {
    const verified = verifyStorageSlot(response(slot0, word(12345)), header, {
      address: CONTRACT,
      slot: '0x0',
    });
    assert.deepEqual(verified, {
      address: `0x${CONTRACT}`,
      slot: `0x${slot0}`,
      value: `0x${word(12345)}`,
      height: 5,
    });
    const absent = verifyStorageSlot(response(slot1, word(0)), header, { address: `0x${CONTRACT}`, slot: 1 });
    assert.equal(absent.value, `0x${word(0)}`);

    const check = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { details?: { check?: string } }).details?.check;
      }
      return 'passed';
    };
    assert.equal(
      check(() => verifyStorageSlot(response(slot0, word(1)), header, { address: CONTRACT, slot: 0 })),
      'result-mismatch',
    );
    assert.equal(
      check(() => verifyStorageSlot(response(slot0, word(12345)), header, { address: CONTRACT, slot: 1 })),
      'missing-read',
    );
    const forged = response(slot0, word(1));
    forged.reads[0] = { ...forged.reads[0]!, value: '01' };
    assert.equal(
      check(() => verifyStorageSlot(forged, header, { address: CONTRACT, slot: 0 })),
      'state-proof',
    );
    const otherRoot = { ...response(slot0, word(12345)), stateRoot: '11'.repeat(32) };
    assert.equal(
      check(() => verifyStorageSlot(otherRoot, header, { address: CONTRACT, slot: 0 })),
      'state-root',
    );
    await assertInvalid(
      () => verifyStorageSlot(response(slot0, word(1)), header, null as never),
      'parameters',
    );
    await assertInvalid(
      () => verifyStorageSlot(response(slot0, word(1)), header, { address: CONTRACT, slot: 'x' }),
      'slot',
    );
    await assertInvalid(
      () => verifyStorageSlot(response(slot0, word(1)), {} as never, { address: CONTRACT, slot: 0 }),
      'header',
    );
  });

  it('getStorageVerified: the value a verified querier proves', async () => {
    const asked: unknown[] = [];
    const querier = {
      getVerifiedLatestHeader: async () => ({ height: 5, header: { chainId: 'test', time: 0n } }),
      verifiedQuery: async (...args: unknown[]) => {
        asked.push(args);
        return { height: 5, reads: new Map([[bytesToHex(keyOf(slot0)), new Uint8Array([0x30, 0x39])]]) };
      },
    };
    const verified = await getStorageVerified(querier, {
      address: CONTRACT,
      slot: 0,
      provenAfter: 'AB'.repeat(32),
    });
    assert.equal(verified.value, `0x${word(12345)}`);
    assert.deepEqual(asked, [
      [
        'evm',
        'storage',
        { address: CONTRACT, slot: slot0 },
        [keyOf(slot0)],
        { provenAfter: 'ab'.repeat(32) },
      ],
    ]);
  });
});
