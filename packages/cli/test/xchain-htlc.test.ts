import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { claimHtlc, getHtlc, lockHtlc, refundHtlc } from '@pujiang/module-xchain/client';
import { readKeyFile } from '@pujiang/node';
import { addressOf, generateKeyPair, PujiangClient } from '@pujiang/sdk';
import { type Contract, ContractFactory, JsonRpcProvider, type JsonRpcSigner, parseEther } from 'ethers';
import { freePort } from './network-harness.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
/** The test's sources (dist/test -> test): the Hardhat config and the module's Solidity. */
const FIXTURES = join(HERE, '../../test/fixtures/hardhat');
const CONTRACT = require.resolve('@pujiang/module-xchain/contracts/HashTimeLock.sol');

/** HashTimeLock.sol (and the test's ERC-20) compiled offline with the solc npm package (soljson, no download). */
function compile(): Record<'HashTimeLock' | 'TestToken', { abi: unknown[]; bytecode: string }> {
  const solc = require('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: {
      'HashTimeLock.sol': { content: readFileSync(CONTRACT, 'utf8') },
      'TestToken.sol': { content: readFileSync(join(FIXTURES, 'TestToken.sol'), 'utf8') },
    },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  assert.deepEqual(errors, []);
  const of = (file: string, name: string) => {
    const c = output.contracts[file][name];
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  };
  return {
    HashTimeLock: of('HashTimeLock.sol', 'HashTimeLock'),
    TestToken: of('TestToken.sol', 'TestToken'),
  };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/**
 * Atomic exchange of a Pujiang token against ETH on an EVM chain (a Hardhat node the test
 * starts) with hash time-locked contracts on both: both legs settle with one secret, wrong
 * preimages are refused, and when the counterparty walks away each side refunds once after
 * its time-lock.
 */
describe('HTLC exchange between a Pujiang chain and a Hardhat node', () => {
  let home: InitOutput;
  let node: NodeProcess;
  let hardhat: ChildProcess;
  let scratch: string;
  let pujiang: PujiangClient;
  let provider: JsonRpcProvider;
  let alice: JsonRpcSigner;
  let bob: JsonRpcSigner;
  let htlc: Contract;
  let compiled!: ReturnType<typeof compile>;
  const bobOnPujiang = addressOf('sm3', generateKeyPair('sm2'));

  before(async () => {
    home = initHome('sm2');
    node = await startNodeProcess(home.home);
    pujiang = new PujiangClient(node.api);
    scratch = mkdtempSync(join(tmpdir(), 'pujiang-hardhat-'));
    const port = await freePort();
    hardhat = spawn(
      process.execPath,
      [
        require.resolve('hardhat/internal/cli/bootstrap.js'),
        'node',
        '--hostname',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      {
        cwd: FIXTURES,
        env: { ...process.env, PUJIANG_HARDHAT_SCRATCH: scratch, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    hardhat.stdout!.on('data', (d) => {
      out += String(d);
    });
    hardhat.stderr!.on('data', (d) => {
      out += String(d);
    });
    await until(() => out.includes('Started HTTP') || undefined, 60_000);
    provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, undefined, {
      staticNetwork: true,
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    [alice, bob] = [await provider.getSigner(0), await provider.getSigner(1)];
    compiled = compile();
    const { abi, bytecode } = compiled.HashTimeLock;
    htlc = (await (
      await new ContractFactory(abi as never, bytecode, bob).deploy()
    ).waitForDeployment()) as Contract;
    await until(async () => ((await pujiang.getStatus()).height >= 1 ? true : undefined));
  });
  after(async () => {
    hardhat?.kill('SIGKILL');
    node?.child.kill('SIGKILL');
    await node?.exited;
    rmSync(home.home, { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const key = () => readKeyFile(home.operatorKey);
  const balanceOf = async (address: string) =>
    BigInt(((await pujiang.query('bank', 'balance', { address })).result as { balance: string }).balance);
  const evmNow = async () => BigInt((await provider.getBlock('latest'))!.timestamp);
  /** The lock's id, from the HTLC's Locked event (an ERC-20 lock also logs the token's Transfer). */
  const lockId = async (tx: { wait(): Promise<unknown> }) => {
    const receipt = (await tx.wait()) as { logs: { topics: string[] }[] };
    const locked = htlc.interface.getEvent('Locked')!.topicHash;
    return receipt.logs.find((l) => l.topics[0] === locked)!.topics[1]!;
  };
  /** Reverts with the contract's custom error `error` (its selector in the revert data). */
  const reverts = async (run: () => Promise<unknown>, error: string) => {
    const selector = htlc.interface.getError(error)!.selector;
    await assert.rejects(run, (e: { data?: string }) => e.data === selector);
  };

  it('both legs settle with one secret; wrong preimages are refused', async () => {
    const secret = randomBytes(32);
    const hashlock = sha256(secret);
    // Alice locks 1000 on Pujiang for Bob, with the longer time-lock (she knows the secret).
    const locked = await lockHtlc(pujiang, {
      key: key(),
      wait: true,
      receiver: bobOnPujiang,
      amount: 1000,
      hashlock,
      timelock: Date.now() + 120_000,
    });
    assert.equal(locked.result.receipt?.code, 'OK');
    const pujiangId = locked.hash;
    // Bob, having checked Alice's lock on Pujiang, locks 1 ETH for Alice with a shorter one.
    const evmId = await lockId(
      await (htlc.connect(bob) as Contract).lock(
        await alice.getAddress(),
        '0x0000000000000000000000000000000000000000',
        parseEther('1'),
        hashlock,
        (await evmNow()) + 60n,
        { value: parseEther('1') },
      ),
    );
    await reverts(() => (htlc.connect(alice) as Contract).claim(evmId, randomBytes(32)), 'WrongPreimage');
    // Alice claims the ETH, revealing the secret on the EVM chain.
    const before = await provider.getBalance(await alice.getAddress());
    await (await (htlc.connect(alice) as Contract).claim(evmId, secret)).wait();
    const afterClaim = await provider.getBalance(await alice.getAddress());
    assert.ok(afterClaim > before + parseEther('0.99'), `${before} -> ${afterClaim}`);
    await reverts(() => (htlc.connect(alice) as Contract).claim(evmId, secret), 'NotLocked');
    // Bob reads it from the Claimed event and claims on Pujiang.
    const [claimed] = await htlc.queryFilter(htlc.filters.Claimed!(evmId));
    const revealed = (claimed as unknown as { args: [string, string] }).args[1];
    const wrong = await claimHtlc(pujiang, {
      key: key(),
      wait: true,
      throwOnFailure: false,
      id: pujiangId,
      preimage: '00',
    });
    assert.equal(wrong.result.receipt?.code, 'XCHAIN_HTLC_WRONG_PREIMAGE');
    const claim = await claimHtlc(pujiang, { key: key(), wait: true, id: pujiangId, preimage: revealed });
    assert.equal(claim.result.receipt?.code, 'OK');
    assert.equal(await balanceOf(bobOnPujiang), 1000n);
    const again = await claimHtlc(pujiang, {
      key: key(),
      wait: true,
      throwOnFailure: false,
      id: pujiangId,
      preimage: revealed,
    });
    assert.equal(again.result.receipt?.code, 'XCHAIN_HTLC_SETTLED');
    assert.equal((await getHtlc(pujiang, pujiangId))?.preimage, secret.toString('hex'));
  });

  it('when the counterparty walks away, each side refunds once after its time-lock, and not before', async () => {
    const hashlock = sha256(randomBytes(32));
    const operator = home.operatorAddress;
    const start = await balanceOf(operator);
    const locked = await lockHtlc(pujiang, {
      key: key(),
      wait: true,
      receiver: bobOnPujiang,
      amount: 500,
      hashlock,
      timelock: Date.now() + 1500,
    });
    assert.equal(await balanceOf(operator), start - 500n);
    const early = await refundHtlc(pujiang, {
      key: key(),
      wait: true,
      throwOnFailure: false,
      id: locked.hash,
    });
    assert.equal(early.result.receipt?.code, 'XCHAIN_HTLC_NOT_EXPIRED');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    let refunded = await refundHtlc(pujiang, {
      key: key(),
      wait: true,
      throwOnFailure: false,
      id: locked.hash,
    });
    for (let i = 0; refunded.result.receipt?.code === 'XCHAIN_HTLC_NOT_EXPIRED' && i < 20; i++)
      refunded = await refundHtlc(pujiang, {
        key: key(),
        wait: true,
        throwOnFailure: false,
        id: locked.hash,
      });
    assert.equal(refunded.result.receipt?.code, 'OK');
    assert.equal(await balanceOf(operator), start);
    const twice = await refundHtlc(pujiang, {
      key: key(),
      wait: true,
      throwOnFailure: false,
      id: locked.hash,
    });
    assert.equal(twice.result.receipt?.code, 'XCHAIN_HTLC_SETTLED');

    // On the EVM side Bob locked, Alice never claimed: Bob refunds after the time-lock, once.
    const evmId = await lockId(
      await (htlc.connect(bob) as Contract).lock(
        await alice.getAddress(),
        '0x0000000000000000000000000000000000000000',
        parseEther('2'),
        hashlock,
        (await evmNow()) + 30n,
        { value: parseEther('2') },
      ),
    );
    await reverts(() => (htlc.connect(bob) as Contract).refund(evmId), 'NotExpired');
    await provider.send('evm_increaseTime', [31]);
    await provider.send('evm_mine', []);
    const before = await provider.getBalance(await bob.getAddress());
    await (await (htlc.connect(bob) as Contract).refund(evmId)).wait();
    assert.ok((await provider.getBalance(await bob.getAddress())) > before + parseEther('1.99'));
    await reverts(() => (htlc.connect(bob) as Contract).refund(evmId), 'NotLocked');
  });

  it('an ERC-20 leg: locked by allowance, claimed with the secret, and the token moves once', async () => {
    const { abi, bytecode } = compiled.TestToken;
    const token = (await (
      await new ContractFactory(abi as never, bytecode, bob).deploy(1_000n)
    ).waitForDeployment()) as Contract;
    const secret = randomBytes(32);
    await (await (token.connect(bob) as Contract).approve(await htlc.getAddress(), 100n)).wait();
    const id = await lockId(
      await (htlc.connect(bob) as Contract).lock(
        await alice.getAddress(),
        await token.getAddress(),
        100n,
        sha256(secret),
        (await evmNow()) + 60n,
      ),
    );
    assert.equal(await token.balanceOf!(await htlc.getAddress()), 100n);
    // A 33-byte preimage is refused even before its hash is compared (Pujiang takes 32 bytes only).
    await reverts(
      () => (htlc.connect(alice) as Contract).claim(id, Buffer.concat([secret, Buffer.of(0)])),
      'WrongPreimage',
    );
    await (await (htlc.connect(alice) as Contract).claim(id, secret)).wait();
    assert.equal(await token.balanceOf!(await alice.getAddress()), 100n);
    assert.equal(await token.balanceOf!(await bob.getAddress()), 900n);
    await reverts(() => (htlc.connect(bob) as Contract).refund(id), 'NotLocked');
  });
});
