import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  evmAddressOf,
  getStorageProven,
  getStorageVerified,
  LightClient,
  PujiangClient,
  parseGenesis,
  verifyHeader,
  verifyStorageSlot,
} from '@pujiang/sdk';
import { ethers } from 'ethers';
import { initHome, type NodeProcess, runCliProcess, startNodeProcess } from './node-harness.js';
import { run } from './run-in-process.js';

const require = createRequire(import.meta.url);

const SOURCE = `// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

contract Counter {
    uint256 public count;
    address public owner;

    event Added(address indexed by, uint256 amount, uint256 total);
    error TooMuch(uint256 asked, uint256 limit);

    constructor(uint256 start) {
        count = start;
        owner = msg.sender;
    }

    function add(uint256 amount) external {
        if (amount > 100) revert TooMuch(amount, 100);
        count += amount;
        emit Added(msg.sender, amount, count);
    }
}

interface ICounter {
    function count() external view returns (uint256);
}
`;

/** solc's standard-JSON output for SOURCE, as the solc npm package answers it (Cancun, optimized). */
function compile(): Record<string, unknown> {
  const solc = require('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'Counter.sol': { content: SOURCE } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  return output;
}

const json = (out: string) => JSON.parse(out) as Record<string, any>;

/**
 * `pujiang evm deploy | send | call` against a real node whose operator key is Ed25519: a
 * native account of another suite than Ethereum's deploys and calls a contract compiled
 * with solc in the test. Then ethers over `/rpc` and the SDK's proofs see the same state.
 */
describe('pujiang evm: deploy, send and call a compiled contract from an Ed25519 account', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-evm-cli-'));
  const solcOutput = join(dir, 'solc-output.json');
  const hardhatArtifact = join(dir, 'Counter.json');
  let home: string;
  let genesisFile: string;
  let keyFile: string;
  let node: NodeProcess;
  let api: string;
  let contract: string;
  let from: string;
  let lastTx: string;
  const standard = ['--contract', 'Counter.sol:Counter'];

  before(async () => {
    const output = compile();
    writeFileSync(solcOutput, JSON.stringify(output));
    const counter = (output as any).contracts['Counter.sol'].Counter;
    writeFileSync(
      hardhatArtifact,
      JSON.stringify({
        _format: 'hh-sol-artifact-1',
        contractName: 'Counter',
        sourceName: 'contracts/Counter.sol',
        abi: counter.abi,
        bytecode: `0x${counter.evm.bytecode.object}`,
        deployedBytecode: '0x',
        linkReferences: {},
        deployedLinkReferences: {},
      }),
    );
    const init = initHome('ed25519');
    home = init.home;
    genesisFile = init.genesis;
    keyFile = init.operatorKey;
    node = await startNodeProcess(home);
    api = node.api;
  });

  after(async () => {
    node?.child.kill('SIGKILL');
    await node?.exited;
    rmSync(dir, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('deploy: the contract address and the receipt; the artifact must name one contract', async () => {
    const ambiguous = await run('evm', 'deploy', solcOutput, '--key', keyFile, '--node', api);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.err, /EVM_ARTIFACT_INVALID: .*several contracts.*Counter\.sol:Counter/);
    const iface = await run(
      'evm',
      'deploy',
      solcOutput,
      '--contract',
      'ICounter',
      '--key',
      keyFile,
      '--node',
      api,
    );
    assert.equal(iface.code, 2);
    assert.match(iface.err, /no bytecode/);
    const badArgs = await run('evm', 'deploy', solcOutput, ...standard, '--args', '["x"]', '--key', keyFile);
    assert.equal(badArgs.code, 2);
    assert.match(badArgs.err, /CLI_USAGE: --args for Counter\.sol:Counter's constructor/);

    // The real binary, in its own process.
    const r = runCliProcess(
      'evm',
      'deploy',
      solcOutput,
      ...standard,
      '--args',
      '[5]',
      '--key',
      keyFile,
      '--node',
      api,
    );
    assert.equal(r.status, 0, r.stderr);
    const out = json(r.stdout);
    assert.equal(out.status, 'committed');
    assert.equal(out.receipt.code, 'OK');
    assert.match(out.contractAddress, /^0x[0-9a-fA-F]{40}$/);
    assert.equal(out.contractAddress, ethers.getAddress(out.contractAddress), 'checksummed');
    contract = out.contractAddress;
    from = out.from;
    // An Ed25519 account's EVM address: Keccak-256 of a domain and its chain address.
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { suite: string; publicKey: string };
    assert.equal(key.suite, 'ed25519');
    const status = await new PujiangClient({ url: api }).getStatus();
    const publicKey = {
      suite: 'ed25519' as const,
      bytes: Uint8Array.from(Buffer.from(key.publicKey, 'hex')),
    };
    assert.equal(from.toLowerCase(), evmAddressOf(publicKey, status.chainHash));
    // CREATE's address follows the chain nonce (the first transaction of the account: 0).
    assert.equal(contract, ethers.getCreateAddress({ from, nonce: out.nonce }));
  });

  it('send: a transaction calling the function, its events decoded from the ABI', async () => {
    const r = await run(
      'evm',
      'send',
      solcOutput,
      ...standard,
      '--to',
      contract,
      '--function',
      'add',
      '--args',
      '[7]',
      '--key',
      keyFile,
      '--node',
      api,
    );
    assert.equal(r.code, 0, r.err);
    const out = json(r.out);
    assert.equal(out.receipt.code, 'OK');
    assert.equal(out.from, from);
    assert.ok(Number(out.gasUsed) > 21_000);
    assert.deepEqual(out.events, [
      {
        address: contract,
        event: 'Added(address,uint256,uint256)',
        args: { by: from, amount: '7', total: '12' },
      },
    ]);
    lastTx = out.hash;

    // By signature, without an artifact: the event is printed raw.
    const bySignature = await run(
      'evm',
      'send',
      '--to',
      contract,
      '--function',
      'add(uint256)',
      '--args',
      '["3"]',
      '--key',
      keyFile,
      '--node',
      api,
    );
    assert.equal(bySignature.code, 0, bySignature.err);
    const raw = json(bySignature.out).events[0];
    assert.equal(raw.address, contract);
    assert.equal(raw.topics[0], ethers.id('Added(address,uint256,uint256)'));
    assert.equal(BigInt(ethers.dataSlice(raw.data, 32, 64)), 15n);
    lastTx = json(bySignature.out).hash;
  });

  it('send: a call that reverts exits 1 with its custom error decoded, before sending or in its block', async () => {
    const args = ['--to', contract, '--function', 'add', '--args', '[500]', '--key', keyFile, '--node', api];
    // The gas estimate runs it first: nothing is signed.
    const estimated = await run('evm', 'send', solcOutput, ...standard, ...args);
    assert.equal(estimated.code, 1);
    const notSent = json(estimated.out);
    assert.equal(notSent.status, 'reverted');
    assert.equal(notSent.sent, false);
    assert.equal(notSent.error, 'TooMuch(uint256,uint256)');
    assert.deepEqual(notSent.args, { asked: '500', limit: '100' });
    // With --gas it is sent, and fails in its block.
    const inBlock = await run('evm', 'send', solcOutput, ...standard, ...args, '--gas', '100000');
    assert.equal(inBlock.code, 1);
    const failed = json(inBlock.out);
    assert.equal(failed.status, 'committed');
    assert.equal(failed.receipt.code, 'EVM_REVERTED');
    assert.match(inBlock.err, /reverted: TooMuch\(uint256,uint256\) \{"asked":"500","limit":"100"\}/);
  });

  it('call: a read (eth_call) printing decoded results, from a Hardhat artifact or a signature', async () => {
    const count = await run(
      'evm',
      'call',
      hardhatArtifact,
      '--to',
      contract,
      '--function',
      'count',
      '--node',
      api,
    );
    assert.equal(count.code, 0, count.err);
    assert.deepEqual(json(count.out).result, ['15']);
    assert.equal(json(count.out).function, 'count()');
    const owner = await run(
      'evm',
      'call',
      hardhatArtifact,
      '--to',
      contract.toLowerCase(),
      '--function',
      'owner',
      '--node',
      api,
    );
    assert.deepEqual(json(owner.out).result, [from]);
    const signature = await run(
      'evm',
      'call',
      '--to',
      contract,
      '--function',
      'count() view returns (uint256)',
      '--node',
      api,
    );
    assert.deepEqual(json(signature.out).result, ['15']);
    // Without `returns`, the raw return data.
    const rawData = await run('evm', 'call', '--to', contract, '--function', 'count()', '--node', api);
    assert.equal(BigInt(json(rawData.out).data), 15n);
    assert.equal(json(rawData.out).result, undefined);

    const reverted = await run(
      'evm',
      'call',
      hardhatArtifact,
      '--to',
      contract,
      '--function',
      'add',
      '--args',
      '[101]',
      '--key',
      keyFile,
      '--node',
      api,
    );
    assert.equal(reverted.code, 1);
    assert.equal(json(reverted.out).status, 'reverted');
    assert.equal(json(reverted.out).error, 'TooMuch(uint256,uint256)');
    assert.deepEqual(json(reverted.out).args, { asked: '101', limit: '100' });
  });

  it('bad input exits 2', async () => {
    const cases: string[][] = [
      ['send', solcOutput, ...standard, '--function', 'add', '--args', '[1]', '--key', keyFile],
      ['send', solcOutput, ...standard, '--to', '0x12', '--function', 'add', '--key', keyFile],
      ['call', hardhatArtifact, '--to', contract, '--function', 'nothing'],
      ['call', '--to', contract, '--function', 'count'],
      ['call', hardhatArtifact, '--to', contract, '--function', 'add', '--args', 'seven'],
      ['call', hardhatArtifact, '--to', contract, '--function', 'add', '--args', '[1e300]'],
      [
        'call',
        hardhatArtifact,
        '--to',
        // One letter's case flipped: a checksum (EIP-55) that fails.
        `0x${contract.slice(2).replace(/[a-fA-F]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))}`,
        '--function',
        'count',
      ],
      ['deploy', join(dir, 'missing.json'), '--key', keyFile],
      ['deploy', hardhatArtifact, '--key', keyFile, '--gas', 'lots'],
      ['frobnicate'],
    ];
    for (const argv of cases) {
      const r = await run('evm', ...argv, '--node', api);
      assert.equal(r.code, 2, `evm ${argv.join(' ')}: ${r.out} ${r.err}`);
      assert.match(r.err, /^error [A-Z_]+: /);
    }
  });

  it('ethers over /rpc and the SDK (a proven slot, the light client) see the same state', async () => {
    const provider = new ethers.JsonRpcProvider(`${api}/rpc`, undefined, { staticNetwork: true });
    try {
      const artifact = JSON.parse(readFileSync(hardhatArtifact, 'utf8')) as { abi: ethers.InterfaceAbi };
      const counter = new ethers.Contract(contract, artifact.abi, provider);
      assert.equal(await counter.count!(), 15n);
      assert.equal(await counter.owner!(), from);
      assert.equal(BigInt(await provider.getStorage(contract, 0)), 15n);
    } finally {
      provider.destroy();
    }

    const client = new PujiangClient({ url: api });
    const genesis = parseGenesis(JSON.parse(readFileSync(genesisFile, 'utf8')));
    const proven = await getStorageProven(client, { address: contract, slot: 0n, provenAfter: lastTx });
    assert.equal(BigInt(proven.value), 15n);
    const { header, certificate } = await client.getHeader(proven.height);
    const certified = verifyHeader({ genesis, header, certificate });
    const verified = verifyStorageSlot(proven.proof, certified, { address: contract, slot: 0n });
    assert.equal(verified.value, ethers.toBeHex(15n, 32));
    assert.equal(verified.address, contract.toLowerCase());
    // A value the node did not prove fails.
    const lying = { ...proven.proof, result: { value: ethers.toBeHex(16n, 32).slice(2) } };
    assert.throws(
      () => verifyStorageSlot(lying, certified, { address: contract, slot: 0 }),
      /result-mismatch/,
    );

    const light = new LightClient({ client, genesis });
    const owner = await getStorageVerified(light, { address: contract, slot: 1, provenAfter: lastTx });
    assert.equal(ethers.getAddress(ethers.dataSlice(owner.value, 12)), from);
  });
});
