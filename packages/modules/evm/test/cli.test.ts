import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandContext } from '@pujiang/cli-kit';
import { decode } from '@pujiang/codec';
import { generateKeyPair } from '@pujiang/crypto';
import type { ChainClient, SendTransactionParameters } from '@pujiang/module-kit';
import type { Receipt } from '@pujiang/protocol';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import { AbiCoder, getAddress, Interface, id } from 'ethers';
import { parseContractArtifact } from '../src/artifact.js';
import { evmCommands } from '../src/cli/index.js';
import { EvmCall } from '../src/formats.js';

const ABI = [
  {
    type: 'constructor',
    inputs: [
      { name: 'supply', type: 'uint256' },
      { name: 'admin', type: 'address' },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    name: 'transfer',
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'amount', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    name: 'balanceOf',
    inputs: [{ name: 'who', type: 'address' }],
    outputs: [{ name: 'balance', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'event',
    name: 'Transfer',
    anonymous: false,
    inputs: [
      { name: 'from', type: 'address', indexed: true },
      { name: 'to', type: 'address', indexed: true },
      { name: 'value', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'error',
    name: 'Insufficient',
    inputs: [
      { name: 'have', type: 'uint256' },
      { name: 'want', type: 'uint256' },
    ],
  },
];
const BYTECODE = '0x6080604052';
const CONTRACT = '5fbdb2315678afecb367f032d93f642f64180aa3';
const ALICE = '70997970c51812dc3a010c7d01b50e20d17dc79c';
const iface = new Interface(ABI);
const coder = AbiCoder.defaultAbiCoder();

describe('artifacts: solc standard JSON, combined JSON, Hardhat and Foundry', () => {
  const entry = { abi: ABI, evm: { bytecode: { object: BYTECODE.slice(2), linkReferences: {} } } };
  const standard = {
    contracts: {
      'contracts/Token.sol': { Token: entry, IToken: { abi: [], evm: { bytecode: { object: '' } } } },
      'contracts/Other.sol': { Token: entry },
    },
  };

  it('picks a contract out of solc standard-JSON output', () => {
    const token = parseContractArtifact(standard, 'contracts/Token.sol:Token');
    assert.deepEqual(token, { name: 'contracts/Token.sol:Token', abi: ABI, bytecode: BYTECODE });
    assert.equal(parseContractArtifact(standard, 'IToken').bytecode, '0x');
    const one = { contracts: { 'A.sol': { A: entry } } };
    assert.equal(parseContractArtifact(one).name, 'A.sol:A');
    assert.equal(parseContractArtifact(one, 'A').name, 'A.sol:A');
  });

  it('reads combined JSON, Hardhat and Foundry artifacts', () => {
    const combined = {
      contracts: { 'T.sol:T': { abi: JSON.stringify(ABI), bin: BYTECODE.slice(2) } },
      version: '0.8.30',
    };
    assert.deepEqual(parseContractArtifact(combined, 'T'), { name: 'T.sol:T', abi: ABI, bytecode: BYTECODE });
    const hardhat = {
      _format: 'hh-sol-artifact-1',
      contractName: 'Token',
      sourceName: 'contracts/Token.sol',
      abi: ABI,
      bytecode: BYTECODE.toUpperCase().replace('0X', '0x'),
    };
    assert.deepEqual(parseContractArtifact(hardhat), {
      name: 'contracts/Token.sol:Token',
      abi: ABI,
      bytecode: BYTECODE,
    });
    assert.equal(parseContractArtifact(hardhat, 'Token').name, 'contracts/Token.sol:Token');
    const foundry = {
      abi: ABI,
      bytecode: { object: BYTECODE, linkReferences: {} },
      deployedBytecode: { object: '0x' },
    };
    assert.deepEqual(parseContractArtifact(foundry), { name: 'contract', abi: ABI, bytecode: BYTECODE });
  });

  it('refuses what is not a usable artifact with EVM_ARTIFACT_INVALID', () => {
    const refused = (json: unknown, contract?: string) => {
      try {
        parseContractArtifact(json, contract);
      } catch (error) {
        assert.ok(isPujiangError(error));
        assert.equal(error.code, 'EVM_ARTIFACT_INVALID');
        return error.message;
      }
      assert.fail('accepted');
    };
    assert.match(refused(standard), /several contracts/);
    assert.match(
      refused(standard, 'Token'),
      /ambiguous.*contracts\/Token\.sol:Token, contracts\/Other\.sol:Token/,
    );
    assert.match(refused(standard, 'Nope'), /no contract Nope/);
    assert.match(refused({ contracts: {} }), /no contract/);
    assert.match(
      refused({ ...standard, errors: [{ severity: 'error', formattedMessage: 'ParserError: x' }] }),
      /ParserError/,
    );
    assert.match(refused([]), /not a JSON object/);
    assert.match(refused({ bytecode: BYTECODE }), /neither/);
    assert.match(refused({ abi: {}, bytecode: BYTECODE }), /abi is not an array/);
    assert.match(refused({ abi: ABI, bytecode: '0x60zz' }), /not hex/);
    assert.match(refused({ abi: ABI, bytecode: `0x60__$${'ab'.repeat(17)}$__00` }), /unlinked libraries/);
    assert.match(refused({ contractName: 'A', abi: ABI, bytecode: BYTECODE }, 'B'), /is A, not B/);
  });
});

interface Run {
  code: number;
  out: string;
  err: string;
  sent: SendTransactionParameters[];
  rpc: { method: string; params: unknown[] }[];
}

describe('pujiang evm: commands over a fake node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-evm-cli-unit-'));
  const artifact = join(dir, 'Token.json');
  writeFileSync(artifact, JSON.stringify({ contractName: 'Token', abi: ABI, bytecode: BYTECODE }));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const key = generateKeyPair('sm2');

  /** Runs `pujiang evm ...` with a node that answers `rpc` by method and commits every transaction with `receipt`. */
  async function evm(
    args: string[],
    node: { rpc?: Record<string, unknown>; receipt?: Receipt } = {},
  ): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const sent: SendTransactionParameters[] = [];
    const rpc: Run['rpc'] = [];
    const client = {
      getStatus: async () => ({ chainId: 'test', chainHash: 'sm3', height: 3 }),
      requestRoute: async (
        _m: string,
        _p: string,
        body: { id: number; method: string; params: unknown[] },
      ) => {
        rpc.push({ method: body.method, params: body.params });
        const result = node.rpc?.[body.method];
        if (typeof result === 'object' && result !== null && 'error' in result)
          return { jsonrpc: '2.0', id: body.id, ...result };
        return { jsonrpc: '2.0', id: body.id, result };
      },
      sendTransaction: async (p: SendTransactionParameters) => {
        sent.push(p);
        const hash = 'cd'.repeat(32);
        return {
          hash,
          nonce: 2n,
          built: {},
          result: { hash, status: 'committed', height: 4, index: 0, receipt: node.receipt },
        };
      },
    } as unknown as ChainClient;
    const ctx = {
      io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) },
      client: () => client,
      readKey: () => key,
    } as unknown as CommandContext;
    let code: number;
    try {
      code = await evmCommands[0]!.run(args, ctx);
    } catch (error) {
      // What the CLI does with a typed error: print it, exit 2.
      if (!isPujiangError(error) && !(error instanceof TypeError)) throw error;
      err.push(`error ${isPujiangError(error) ? error.code : 'CLI_USAGE'}: ${error.message}`);
      code = 2;
    }
    return { code, out: out.join('\n'), err: err.join('\n'), sent, rpc };
  }

  const ok = (events: Receipt['events'] = []): Receipt => ({
    txHash: 'cd'.repeat(32),
    code: 'OK',
    gasUsed: 51_000,
    events,
  });

  it('deploy: the constructor arguments ABI-encoded after the bytecode; the address checksummed', async () => {
    const r = await evm(
      ['deploy', artifact, '--key', 'k.json', '--args', `["1000", "0x${ALICE}"]`, '--gas', '300000'],
      {
        receipt: ok([
          {
            module: 'evm',
            type: 'executed',
            attributes: { hash: '', from: ALICE, to: '', created: CONTRACT, gasUsed: '51000' },
          },
        ]),
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.rpc, [], 'a given gas limit skips the estimate');
    const [sent] = r.sent;
    assert.equal(sent!.type, 'deploy');
    assert.equal(sent!.gasLimit, 300_000n);
    assert.equal(sent!.wait, true);
    const call = decode(EvmCall, sent!.payload.subarray(1));
    assert.equal(
      `0x${bytesToHex(call.data)}`,
      BYTECODE + coder.encode(['uint256', 'address'], [1000n, `0x${ALICE}`]).slice(2),
    );
    const out = JSON.parse(r.out);
    assert.equal(out.contractAddress, getAddress(CONTRACT));
    assert.equal(out.gasUsed, '51000');
    assert.equal(out.status, 'committed');
  });

  it('send: the function encoded from the ABI or a signature; events decoded', async () => {
    const transfer = iface.encodeEventLog('Transfer', [`0x${ALICE}`, `0x${CONTRACT}`, 5n]);
    const log = {
      module: 'evm',
      type: 'log',
      attributes: {
        address: CONTRACT,
        topics: transfer.topics.map((t) => t.slice(2)).join(','),
        data: transfer.data.slice(2),
      },
    };
    const r = await evm(
      [
        'send',
        artifact,
        '--to',
        CONTRACT,
        '--function',
        'transfer',
        '--args',
        `["0x${ALICE}", 5]`,
        '--key',
        'k',
        '--value',
        '7',
      ],
      {
        rpc: { eth_estimateGas: '0x5208' },
        receipt: ok([
          log,
          { module: 'evm', type: 'log', attributes: { address: ALICE, topics: '', data: 'ff' } },
        ]),
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.rpc[0]!.method, 'eth_estimateGas');
    const call = decode(EvmCall, r.sent[0]!.payload.subarray(1));
    assert.equal(bytesToHex(call.to), CONTRACT);
    assert.deepEqual(call.value, new Uint8Array([7]));
    assert.equal(`0x${bytesToHex(call.data)}`, iface.encodeFunctionData('transfer', [`0x${ALICE}`, 5n]));
    assert.equal(r.sent[0]!.gasLimit, 21_000n + 4_200n);
    assert.deepEqual(JSON.parse(r.out).events, [
      {
        address: getAddress(CONTRACT),
        event: 'Transfer(address,address,uint256)',
        args: { from: getAddress(ALICE), to: getAddress(CONTRACT), value: '5' },
      },
      { address: getAddress(ALICE), topics: [], data: '0xff' },
    ]);

    const bySignature = await evm(
      [
        'send',
        '--to',
        CONTRACT,
        '--function',
        'approve(address,uint256)',
        '--args',
        `["0x${ALICE}", "1"]`,
        '--key',
        'k',
        '--gas',
        '50000',
      ],
      { receipt: ok() },
    );
    assert.equal(bySignature.code, 0, bySignature.err);
    const data = `0x${bytesToHex(decode(EvmCall, bySignature.sent[0]!.payload.subarray(1)).data)}`;
    assert.equal(data.slice(0, 10), id('approve(address,uint256)').slice(0, 10));
  });

  it('a revert: before sending (the estimate) or in the block, decoded with the ABI; exit 1', async () => {
    const revert = iface.encodeErrorResult('Insufficient', [1n, 5n]);
    const estimated = await evm(
      [
        'send',
        artifact,
        '--to',
        CONTRACT,
        '--function',
        'transfer',
        '--args',
        `["0x${ALICE}", 5]`,
        '--key',
        'k',
      ],
      {
        rpc: { eth_estimateGas: { error: { code: 3, message: 'execution reverted', data: revert } } },
      },
    );
    assert.equal(estimated.code, 1);
    assert.deepEqual(estimated.sent, []);
    const out = JSON.parse(estimated.out);
    assert.equal(out.status, 'reverted');
    assert.equal(out.error, 'Insufficient(uint256,uint256)');
    assert.deepEqual(out.args, { have: '1', want: '5' });

    const inBlock = await evm(
      [
        'send',
        artifact,
        '--to',
        CONTRACT,
        '--function',
        'transfer',
        '--args',
        `["0x${ALICE}", 5]`,
        '--key',
        'k',
        '--gas',
        '90000',
      ],
      {
        receipt: {
          txHash: 'cd'.repeat(32),
          code: 'EVM_REVERTED',
          message: `execution reverted: ${revert}`,
          gasUsed: 25_000,
          events: [],
        },
      },
    );
    assert.equal(inBlock.code, 1);
    assert.match(inBlock.err, /reverted: Insufficient\(uint256,uint256\) \{"have":"1","want":"5"\}/);

    // Error(string) decodes without an ABI.
    const reason = iface.encodeErrorResult('Error', ['not yours']);
    const read = await evm(['call', '--to', CONTRACT, '--function', 'f()'], {
      rpc: { eth_call: { error: { code: 3, message: 'execution reverted: not yours', data: reason } } },
    });
    assert.equal(read.code, 1);
    assert.deepEqual(JSON.parse(read.out).args, ['not yours']);
  });

  it('call: eth_call from --from or the key, results decoded by name', async () => {
    const r = await evm(
      [
        'call',
        artifact,
        '--to',
        CONTRACT,
        '--function',
        'balanceOf',
        '--args',
        `["0x${ALICE}"]`,
        '--from',
        ALICE,
        '--height',
        '2',
      ],
      {
        rpc: { eth_call: coder.encode(['uint256'], [10n ** 20n]) },
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.rpc, [
      {
        method: 'eth_call',
        params: [
          {
            to: `0x${CONTRACT}`,
            data: iface.encodeFunctionData('balanceOf', [`0x${ALICE}`]),
            from: `0x${ALICE}`,
          },
          '0x2',
        ],
      },
    ]);
    assert.deepEqual(JSON.parse(r.out).result, { balance: '100000000000000000000' });
    const fromKey = await evm(
      ['call', '--to', CONTRACT, '--function', 'totalSupply() returns (uint256)', '--key', 'k'],
      {
        rpc: { eth_call: coder.encode(['uint256'], [3n]) },
      },
    );
    assert.deepEqual(JSON.parse(fromKey.out).result, ['3']);
    assert.match(String((fromKey.rpc[0]!.params[0] as { from: string }).from), /^0x[0-9a-f]{40}$/);
  });

  it('bad input exits 2 before anything is sent', async () => {
    const cases = [
      ['deploy', '--key', 'k'],
      ['deploy', artifact, '--key', 'k', '--args', '[1]'],
      ['deploy', artifact, '--key', 'k', '--args', `[1, "0x${ALICE}"]`, '--value', '-1'],
      ['deploy', artifact, '--key', 'k', '--args', `[1, "0x${ALICE}"]`, '--gas', '0'],
      ['send', artifact, '--function', 'transfer', '--key', 'k'],
      ['send', artifact, '--to', CONTRACT, '--function', 'mint', '--key', 'k'],
      ['send', artifact, '--to', CONTRACT, '--function', 'transfer(address', '--key', 'k'],
      ['send', '--to', CONTRACT, '--function', 'transfer', '--key', 'k'],
      ['call', '--contract', 'Token', '--to', CONTRACT, '--function', 'f()'],
      ['call', artifact, '--to', CONTRACT, '--function', 'balanceOf', '--from', ALICE, '--key', 'k'],
      ['call', artifact, '--to', CONTRACT, '--function', 'balanceOf', '--args', '{"who": 1}'],
      ['call', artifact, artifact, '--to', CONTRACT, '--function', 'balanceOf'],
      ['call', artifact, '--to', CONTRACT, '--function', 'balanceOf', '--bogus'],
      ['upgrade'],
    ];
    for (const args of cases) {
      const r = await evm(args);
      assert.equal(r.code, 2, `evm ${args.join(' ')}: ${r.out}`);
      assert.deepEqual(r.sent, []);
      assert.deepEqual(r.rpc, [], `evm ${args.join(' ')}`);
    }
  });
});
