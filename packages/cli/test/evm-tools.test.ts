import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ethereumChainId } from '@pujiang/protocol';
import {
  type BaseContract,
  Contract,
  ContractFactory,
  type ContractTransactionResponse,
  type EventLog,
  type InterfaceAbi,
  JsonRpcProvider,
  Network,
  type TransactionReceipt,
  Wallet,
  zeroPadValue,
} from 'ethers';
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  webSocket,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  type Compiled,
  compileContracts,
  type HardhatNode,
  secretKeyOf,
  startHardhatNode,
} from './evm-harness.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { run } from './run-in-process.js';

/**
 * The standard Ethereum tools against a real Pujiang node, with a Hardhat node started side by
 * side as the reference: OpenZeppelin's ERC-20 through ethers 6 (same addresses, results,
 * events and gas on both chains), OpenZeppelin's ERC-721 through viem 2 (HTTP and a WebSocket
 * subscription), and reverts (a custom error with arguments, a `require` reason) decoded by
 * the tools as on Hardhat.
 */

const SUPPLY = 1_000_000n * 10n ** 18n;
/** A third account that only receives. */
const CAROL = new Wallet(`0x${'3c'.repeat(32)}`).address;

/** One chain as the tests drive it: an ethers provider, the operator (alice) and a second member (bob). */
interface Side {
  readonly name: 'pujiang' | 'hardhat';
  readonly rpcUrl: string;
  readonly wsUrl: string;
  readonly provider: JsonRpcProvider;
  readonly alice: Wallet;
  readonly bob: Wallet;
}

/** What a receipt says that does not depend on the chain's blocks: compared between the chains. */
function receiptFacts(r: TransactionReceipt) {
  return {
    status: r.status,
    gasUsed: r.gasUsed,
    from: r.from,
    to: r.to,
    contractAddress: r.contractAddress,
    logsBloom: r.logsBloom,
    logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data })),
  };
}

const mined = async (sent: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> => {
  const receipt = await (await sent).wait();
  assert.ok(receipt);
  return receipt;
};

/** Sends a transaction that fails in execution (its gas limit given, so no estimate refuses it first) and answers its receipt. */
async function minedFailure(sent: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const tx = await sent;
  const error = await tx.wait().then(
    () => assert.fail('the transaction succeeded'),
    (e: { code?: string; receipt?: TransactionReceipt }) => e,
  );
  assert.equal(error.code, 'CALL_EXCEPTION');
  assert.ok(error.receipt);
  assert.equal(error.receipt.status, 0);
  return error.receipt;
}

/** What ethers' CALL_EXCEPTION carries: the revert data, and the reason or error decoded from it. */
interface CallException {
  readonly code?: string;
  readonly data?: string;
  readonly reason?: string | null;
  readonly revert?: {
    readonly name: string;
    readonly signature: string;
    readonly args: readonly unknown[];
  } | null;
}

/** The rejection of `call`, which must fail. */
async function rejection(call: Promise<unknown>): Promise<CallException> {
  return call.then(
    () => assert.fail('expected a revert'),
    (e: CallException) => e,
  );
}

const argsOf = (log: EventLog) => log.args.toArray().map(String);

/**
 * ERC-20 on one chain: deploy, transfer, approve, transferFrom (by bob), reads, events and
 * logs, with the checks that hold on any chain; answers what is compared between the chains.
 */
async function erc20Flow(side: Side, token: Compiled) {
  const { provider, alice, bob } = side;
  const deployNonce = await provider.getTransactionCount(alice.address, 'pending');
  const deployed = await new ContractFactory(token.abi as InterfaceAbi, token.bytecode, alice).deploy(SUPPLY);
  const deployReceipt = await deployed.deploymentTransaction()!.wait();
  assert.ok(deployReceipt);
  const address = await deployed.getAddress();
  assert.equal(deployReceipt.contractAddress, address);
  const erc20 = new Contract(address, token.abi as InterfaceAbi, alice);
  const asBob = erc20.connect(bob) as Contract;

  const transferReturns = await erc20.transfer!.staticCall(bob.address, 1000n);
  const transferReceipt = await mined(erc20.transfer!(bob.address, 1000n));
  const approveReturns = await erc20.approve!.staticCall(bob.address, 500n);
  const approveReceipt = await mined(erc20.approve!(bob.address, 500n));
  const transferFromReturns = await asBob.transferFrom!.staticCall(alice.address, CAROL, 300n);
  const transferFromTx = await asBob.transferFrom!(alice.address, CAROL, 300n);
  const transferFromReceipt = await transferFromTx.wait();
  assert.ok(transferFromReceipt);
  // Storage refunds (EIP-2200/3529), where a slot's value at the transaction's start decides the
  // cost: the allowance spent to zero, and a transfer to oneself (the balance restored in the same call).
  const drainReceipt = await mined(asBob.transferFrom!(alice.address, CAROL, 200n));
  const selfReceipt = await mined(erc20.transfer!(alice.address, 1n));

  // What ethers reads of a mined transaction (eth_getTransactionByHash) and its block.
  const seen = await provider.getTransaction(transferFromTx.hash);
  assert.ok(seen);
  assert.equal(seen.hash, transferFromTx.hash);
  assert.equal(seen.from, bob.address);
  assert.equal(seen.to, address);
  assert.equal(seen.nonce, transferFromTx.nonce);
  assert.equal(seen.data, transferFromTx.data);
  assert.equal(seen.value, 0n);
  assert.equal(seen.chainId, (await provider.getNetwork()).chainId);
  assert.equal(seen.blockNumber, transferFromReceipt.blockNumber);
  assert.equal(seen.blockHash, transferFromReceipt.blockHash);
  assert.ok((await seen.confirmations()) >= 1);
  const block = await provider.getBlock(transferFromReceipt.blockNumber);
  assert.ok(block);
  assert.ok(block.transactions.includes(transferFromTx.hash));
  assert.equal(block.hash, transferFromReceipt.blockHash);
  // The earliest block, as tools ask for it, links to block 1.
  const [earliest, first] = await Promise.all([provider.getBlock('earliest'), provider.getBlock(1)]);
  assert.equal(earliest?.number, 0);
  assert.equal(first?.parentHash, earliest?.hash);
  for (const r of [
    deployReceipt,
    transferReceipt,
    approveReceipt,
    transferFromReceipt,
    drainReceipt,
    selfReceipt,
  ]) {
    assert.equal(r.status, 1);
    assert.equal(r.blockHash, (await provider.getBlock(r.blockNumber))!.hash);
    for (const log of r.logs) {
      assert.equal(log.transactionHash, r.hash);
      assert.equal(log.blockNumber, r.blockNumber);
    }
  }

  const transferTopic = erc20.interface.getEvent('Transfer')!.topicHash;
  const approvalTopic = erc20.interface.getEvent('Approval')!.topicHash;
  const bobTopic = zeroPadValue(bob.address, 32);
  const logs = {
    // eth_getLogs by address and topic, by a topic alone (the recipient), and by address alone.
    transfers: await provider.getLogs({ address, topics: [transferTopic], fromBlock: 0 }),
    toBob: await provider.getLogs({ topics: [transferTopic, null, bobTopic], fromBlock: 0 }),
    approvals: await provider.getLogs({ address, topics: [approvalTopic], fromBlock: 0 }),
    all: await provider.getLogs({ address, fromBlock: 0 }),
  };
  const strip = (ls: readonly { address: string; topics: readonly string[]; data: string }[]) =>
    ls.map((l) => ({ address: l.address, topics: [...l.topics], data: l.data }));

  return {
    address,
    deployNonce,
    returns: { transferReturns, approveReturns, transferFromReturns },
    // The gas limits ethers set from eth_estimateGas, as eth_getTransactionByHash shows them.
    gasLimits: await Promise.all(
      [deployReceipt, transferReceipt, approveReceipt, transferFromReceipt, drainReceipt, selfReceipt].map(
        async (r) => (await provider.getTransaction(r.hash))!.gasLimit,
      ),
    ),
    receipts: {
      deploy: receiptFacts(deployReceipt),
      transfer: receiptFacts(transferReceipt),
      approve: receiptFacts(approveReceipt),
      transferFrom: receiptFacts(transferFromReceipt),
      drainAllowance: receiptFacts(drainReceipt),
      toSelf: receiptFacts(selfReceipt),
    },
    reads: {
      name: await erc20.name!(),
      symbol: await erc20.symbol!(),
      decimals: await erc20.decimals!(),
      totalSupply: await erc20.totalSupply!(),
      alice: await erc20.balanceOf!(alice.address),
      bob: await erc20.balanceOf!(bob.address),
      carol: await erc20.balanceOf!(CAROL),
      allowance: await erc20.allowance!(alice.address, bob.address),
    },
    events: {
      transfers: ((await erc20.queryFilter(erc20.filters.Transfer!())) as EventLog[]).map(argsOf),
      fromAlice: ((await erc20.queryFilter(erc20.filters.Transfer!(alice.address))) as EventLog[]).map(
        argsOf,
      ),
      approvals: ((await erc20.queryFilter(erc20.filters.Approval!())) as EventLog[]).map(argsOf),
    },
    logs: {
      transfers: strip(logs.transfers),
      toBob: strip(logs.toBob),
      approvals: strip(logs.approvals),
      all: strip(logs.all),
    },
    code: await provider.getCode(address),
    contract: erc20,
    txType: seen.type,
  };
}

/** Reverts on one chain: the ERC-20's custom error and the `require` reason, by call, by send and mined. */
async function revertFlow(side: Side, erc20: BaseContract) {
  const { bob } = side;
  const token = erc20.connect(bob) as Contract;
  const balance = (await token.balanceOf!(bob.address)) as bigint;
  const tooMuch = balance + 1n;

  const called = await rejection(token.transfer!.staticCall(CAROL, tooMuch));
  assert.equal(called.code, 'CALL_EXCEPTION');
  const sent = await rejection(token.transfer!(CAROL, tooMuch));
  assert.equal(sent.code, 'CALL_EXCEPTION');
  assert.match(sent.data ?? '', /^0x[0-9a-f]+$/);
  const parsed = token.interface.parseError(sent.data!);
  assert.ok(parsed);
  const customMined = await minedFailure(token.transfer!(CAROL, tooMuch, { gasLimit: 200_000n }));

  const reasonCalled = await rejection(token.mint!.staticCall(bob.address, 1n));
  const reasonSent = await rejection(token.mint!(bob.address, 1n));
  const reasonMined = await minedFailure(token.mint!(bob.address, 1n, { gasLimit: 200_000n }));

  return {
    custom: {
      staticCall: {
        name: called.revert?.name,
        signature: called.revert?.signature,
        args: called.revert?.args.map(String),
      },
      send: { data: sent.data, name: parsed.name, args: parsed.args.toArray().map(String) },
      minedGas: customMined.gasUsed,
    },
    reason: {
      staticCall: { reason: reasonCalled.reason, revert: reasonCalled.revert?.name },
      send: { reason: reasonSent.reason, data: reasonSent.data },
      minedGas: reasonMined.gasUsed,
    },
    balance,
    tooMuch,
  };
}

/** ERC-721 on one chain through viem: deploy, mint, safeTransferFrom, reads, events, and a WebSocket subscription. */
async function erc721Flow(
  side: Side,
  chainId: number,
  collectible: Compiled,
  aliceKey: string,
  bobKey: string,
) {
  const chain = defineChain({
    id: chainId,
    name: side.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [side.rpcUrl], webSocket: [side.wsUrl] } },
  });
  const alice = privateKeyToAccount(`0x${aliceKey}`);
  const bob = privateKeyToAccount(`0x${bobKey}`);
  const wallet = createWalletClient({
    account: alice,
    chain,
    transport: http(side.rpcUrl),
    pollingInterval: 50,
  });
  const bobWallet = createWalletClient({
    account: bob,
    chain,
    transport: http(side.rpcUrl),
    pollingInterval: 50,
  });
  const client = createPublicClient({ chain, transport: http(side.rpcUrl), pollingInterval: 50 });
  const ws = createPublicClient({ chain, transport: webSocket(side.wsUrl, { reconnect: false }) });
  try {
    return await steps();
  } finally {
    // Closed whatever happened: an open socket would keep this process alive.
    (await ws.transport.getRpcClient()).close();
  }

  async function steps() {
    const abi = collectible.abi as Abi;
    assert.equal(await client.getChainId(), chainId);

    const deployHash = await wallet.deployContract({ abi, bytecode: collectible.bytecode, args: [] });
    const deployed = await client.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 });
    assert.equal(deployed.status, 'success');
    const address = deployed.contractAddress as Address;
    const wait = async (hash: Hex) => {
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      assert.equal(receipt.status, 'success');
      return receipt;
    };

    assert.equal(deployed.type, 'eip1559');
    const minted = await wait(
      await wallet.writeContract({ address, abi, functionName: 'mint', args: [alice.address] }),
    );
    const minted2 = await wait(
      await wallet.writeContract({ address, abi, functionName: 'mint', args: [alice.address] }),
    );

    // A subscription over WebSocket: the logs of the next Transfer and new heads. Transfers are sent only
    // once the node answered both eth_subscribe calls (viem keeps a subscription once its id comes back).
    const heads: bigint[] = [];
    const streamed: { args: Record<string, unknown>; transactionHash: Hex | null }[] = [];
    const stopHeads = ws.watchBlockNumber({ onBlockNumber: (n) => heads.push(n), emitMissed: false });
    const stopLogs = ws.watchContractEvent({
      address,
      abi,
      eventName: 'Transfer',
      onLogs: (logs) => {
        for (const l of logs)
          streamed.push({
            args: (l as unknown as { args: Record<string, unknown> }).args,
            transactionHash: l.transactionHash,
          });
      },
    });
    const socket = await ws.transport.getRpcClient();
    await until(() => socket.subscriptions.size >= 2 || undefined, 20_000);

    const transferred = await wait(
      await wallet.writeContract({
        address,
        abi,
        functionName: 'safeTransferFrom',
        args: [alice.address, bob.address, 1n],
      }),
    );
    // Bob, now the owner, sends it on to carol.
    const sentOn = await wait(
      await bobWallet.writeContract({
        address,
        abi,
        functionName: 'safeTransferFrom',
        args: [bob.address, CAROL as Address, 1n],
      }),
    );
    await until(() => streamed.length >= 2 || undefined, 20_000);
    // New heads reach the block of the last transfer, in order.
    await until(() => (heads.length > 0 && heads.at(-1)! >= sentOn.blockNumber) || undefined, 20_000);
    stopLogs();
    stopHeads();
    assert.deepEqual(
      streamed.map((s) => s.transactionHash),
      [transferred.transactionHash, sentOn.transactionHash],
    );
    assert.ok(heads.every((n, i) => i === 0 || n > heads[i - 1]!));

    // viem shows a `require` reason from a simulated call.
    const refused = await client
      .simulateContract({ address, abi, functionName: 'mint', args: [bob.address], account: bob })
      .then(
        () => assert.fail('bob minted'),
        (e: Error) => e,
      );
    assert.ok(refused instanceof BaseError);
    const revert = refused.walk((e) => e instanceof ContractFunctionRevertedError);
    assert.ok(revert instanceof ContractFunctionRevertedError);

    const read = (functionName: string, args: readonly unknown[] = []) =>
      client.readContract({ address, abi, functionName, args });
    const events = await client.getContractEvents({ address, abi, eventName: 'Transfer', fromBlock: 0n });
    const logs = await client.getLogs({ address, fromBlock: 0n, toBlock: 'latest' });

    return {
      address,
      gas: {
        deploy: deployed.gasUsed,
        mint: minted.gasUsed,
        mintAgain: minted2.gasUsed,
        safeTransferFrom: transferred.gasUsed,
        safeTransferFromAgain: sentOn.gasUsed,
      },
      reads: {
        name: await read('name'),
        symbol: await read('symbol'),
        owner1: await read('ownerOf', [1n]),
        owner2: await read('ownerOf', [2n]),
        aliceBalance: await read('balanceOf', [alice.address]),
        bobBalance: await read('balanceOf', [bob.address]),
        carolBalance: await read('balanceOf', [CAROL]),
        uri: await read('tokenURI', [2n]),
      },
      events: events.map((e) => {
        const args = (e as unknown as { args: { from: string; to: string; tokenId: bigint } }).args;
        return [args.from, args.to, args.tokenId];
      }),
      logCount: logs.length,
      streamed: streamed.map((s) => s.args),
      reason: revert.reason,
    };
  }
}

describe('ethers, viem and Hardhat against a Pujiang node (a Hardhat node side by side)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-evm-tools-'));
  const bobKeyFile = join(dir, 'bob.json');
  const bobCert = join(dir, 'bob.pem');
  let init: InitOutput | undefined;
  let node: NodeProcess | undefined;
  let hardhat: HardhatNode | undefined;
  const starting: Promise<unknown>[] = [];
  let compiled: Record<string, Compiled>;
  let chainId: bigint;
  let aliceKey: string;
  let bobKey: string;
  let pujiang: Side;
  let reference: Side;
  let tokens: { pujiang: Contract; hardhat: Contract };

  const side = (name: Side['name'], rpcUrl: string, wsUrl: string): Side => {
    const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), {
      staticNetwork: true,
      pollingInterval: 50,
      cacheTimeout: -1,
    });
    return {
      name,
      rpcUrl,
      wsUrl,
      provider,
      alice: new Wallet(`0x${aliceKey}`, provider),
      bob: new Wallet(`0x${bobKey}`, provider),
    };
  };

  before(async () => {
    init = initHome('secp256k1');
    const generated = await run('keys', 'generate', '--suite', 'secp256k1', '--out', bobKeyFile);
    assert.equal(generated.code, 0, generated.err);
    aliceKey = secretKeyOf(init.operatorKey);
    bobKey = secretKeyOf(bobKeyFile);
    chainId = ethereumChainId(init.chainId);
    // Both nodes start while solc compiles (in this process).
    const startingNode = startNodeProcess(init.home).then((n) => {
      node = n;
    });
    const startingHardhat = startHardhatNode(Number(chainId), [aliceKey, bobKey]).then((h) => {
      hardhat = h;
    });
    starting.push(startingNode, startingHardhat);
    compiled = compileContracts(['Token.sol', 'Collectible.sol']);
    await Promise.all(starting);
    // Bob is a member: a certificate from the operator's organization, registered by his key.
    const issued = await run(
      'cert',
      'issue',
      '--org-dir',
      join(init.home, 'org'),
      '--role',
      'client',
      '--key-file',
      bobKeyFile,
      '--out',
      bobCert,
    );
    assert.equal(issued.code, 0, issued.err);
    const registered = await run('register', '--cert', bobCert, '--key', bobKeyFile, '--node', node!.api);
    assert.equal(registered.code, 0, registered.err);
    pujiang = side('pujiang', `${node!.api}/rpc`, `${node!.api.replace(/^http/, 'ws')}/rpc`);
    reference = side('hardhat', hardhat!.rpcUrl, hardhat!.wsUrl);
  });

  after(async () => {
    await Promise.allSettled(starting);
    pujiang?.provider.destroy();
    reference?.provider.destroy();
    if (node) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    await hardhat?.stop();
    if (init) rmSync(init.home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('OpenZeppelin ERC-20 through ethers 6: the same address, results, events, logs and gas as on Hardhat', async (t) => {
    assert.equal(BigInt(await pujiang.provider.send('eth_chainId', [])), chainId);
    assert.equal(await pujiang.provider.send('net_version', []), String(chainId));
    const [ours, theirs] = await Promise.all([
      erc20Flow(pujiang, compiled.Token!),
      erc20Flow(reference, compiled.Token!),
    ]);
    tokens = { pujiang: ours.contract, hardhat: theirs.contract };
    t.diagnostic(`estimates (pujiang/hardhat): ${ours.gasLimits.join(',')} / ${theirs.gasLimits.join(',')}`);
    t.diagnostic(
      `gas (pujiang = hardhat): ${Object.entries(ours.receipts)
        .map(([k, r]) => `${k} ${r.gasUsed}/${theirs.receipts[k as keyof typeof theirs.receipts].gasUsed}`)
        .join(', ')}`,
    );

    // What must hold on any chain.
    const { alice, bob } = pujiang;
    assert.equal(ours.deployNonce, 0);
    assert.deepEqual(ours.returns, {
      transferReturns: true,
      approveReturns: true,
      transferFromReturns: true,
    });
    assert.deepEqual(ours.reads, {
      name: 'Pujiang Token',
      symbol: 'PJT',
      decimals: 18n,
      totalSupply: SUPPLY,
      alice: SUPPLY - 1500n,
      bob: 1000n,
      carol: 500n,
      allowance: 0n,
    });
    const zero = '0x0000000000000000000000000000000000000000';
    assert.deepEqual(ours.events.transfers, [
      [zero, alice.address, String(SUPPLY)],
      [alice.address, bob.address, '1000'],
      [alice.address, CAROL, '300'],
      [alice.address, CAROL, '200'],
      [alice.address, alice.address, '1'],
    ]);
    assert.deepEqual(ours.events.fromAlice, ours.events.transfers.slice(1));
    assert.deepEqual(ours.events.approvals, [[alice.address, bob.address, '500']]);
    assert.equal(ours.logs.transfers.length, 5);
    assert.equal(ours.logs.toBob.length, 1);
    assert.equal(ours.logs.all.length, 6);
    assert.ok(ours.code.length > 2);
    assert.equal(ours.receipts.deploy.to, null);
    assert.equal(ours.receipts.transferFrom.from, bob.address);

    // ethers reads a base fee of 0 as none, so on Pujiang it sends legacy transactions (EIP-155), on Hardhat EIP-1559 ones.
    assert.equal(ours.txType, 0);
    assert.equal(theirs.txType, 2);
    // And the same as on Hardhat, gas included. The estimates (the gas limits ethers set) are equal
    // where no storage refund is due; with one, Hardhat's search stops a little above the least
    // limit, which Pujiang answers (checked below).
    const { contract: _ours, txType: _oursType, gasLimits: oursLimits, ...oursCompared } = ours;
    const { contract: _theirs, txType: _theirsType, gasLimits: theirsLimits, ...theirsCompared } = theirs;
    assert.deepEqual(oursCompared, theirsCompared);
    assert.deepEqual(oursLimits.slice(0, 4), theirsLimits.slice(0, 4));
    for (const [i, limit] of oursLimits.entries()) assert.ok(limit <= theirsLimits[i]!);

    // eth_estimateGas answers the least gas limit with which the call succeeds: with one unit
    // less it runs out of gas, on both chains (a transfer to oneself: refunded, and repeatable).
    const selfTransfer = {
      from: alice.address,
      to: ours.address,
      data: ours.contract.interface.encodeFunctionData('transfer', [alice.address, 1n]),
    };
    const least = await pujiang.provider.estimateGas(selfTransfer);
    assert.ok(least <= (await reference.provider.estimateGas(selfTransfer)));
    for (const chain of [pujiang, reference]) {
      const ok = await chain.provider.call({ ...selfTransfer, gasLimit: least });
      assert.equal(BigInt(ok), 1n);
      await assert.rejects(chain.provider.call({ ...selfTransfer, gasLimit: least - 1n }));
    }
  });

  it('reverts: a custom error with arguments and a require reason, decoded by ethers as on Hardhat', async (t) => {
    const [ours, theirs] = await Promise.all([
      revertFlow(pujiang, tokens.pujiang),
      revertFlow(reference, tokens.hardhat),
    ]);
    t.diagnostic(
      `gas of mined reverts (pujiang/hardhat): custom error ${ours.custom.minedGas}/${theirs.custom.minedGas}, require ${ours.reason.minedGas}/${theirs.reason.minedGas}`,
    );
    const bob = pujiang.bob.address;
    assert.deepEqual(ours.custom.staticCall, {
      name: 'ERC20InsufficientBalance',
      signature: 'ERC20InsufficientBalance(address,uint256,uint256)',
      args: [bob, String(ours.balance), String(ours.tooMuch)],
    });
    assert.equal(ours.custom.send.name, 'ERC20InsufficientBalance');
    assert.deepEqual(ours.custom.send.args, [bob, String(ours.balance), String(ours.tooMuch)]);
    assert.deepEqual(ours.reason.staticCall, { reason: 'Token: only the minter mints', revert: 'Error' });
    assert.equal(ours.reason.send.reason, 'Token: only the minter mints');
    assert.deepEqual(ours, theirs);
  });

  it('OpenZeppelin ERC-721 through viem 2 (HTTP and a WebSocket subscription), with the gas Hardhat uses', async (t) => {
    const [ours, theirs] = await Promise.all([
      erc721Flow(pujiang, Number(chainId), compiled.Collectible!, aliceKey, bobKey),
      erc721Flow(reference, Number(chainId), compiled.Collectible!, aliceKey, bobKey),
    ]);
    t.diagnostic(
      `gas (pujiang/hardhat): ${Object.entries(ours.gas)
        .map(([k, g]) => `${k} ${g}/${theirs.gas[k as keyof typeof theirs.gas]}`)
        .join(', ')}`,
    );
    const alice = pujiang.alice.address;
    const bob = pujiang.bob.address;
    const zero = '0x0000000000000000000000000000000000000000';
    assert.deepEqual(ours.reads, {
      name: 'Pujiang Collectible',
      symbol: 'PJC',
      owner1: CAROL,
      owner2: alice,
      aliceBalance: 1n,
      bobBalance: 0n,
      carolBalance: 1n,
      uri: 'https://pujiang.example/collectible/2',
    });
    assert.deepEqual(ours.events, [
      [zero, alice, 1n],
      [zero, alice, 2n],
      [alice, bob, 1n],
      [bob, CAROL, 1n],
    ]);
    assert.equal(ours.logCount, 4);
    assert.deepEqual(ours.streamed, [
      { from: alice, to: bob, tokenId: 1n },
      { from: bob, to: CAROL, tokenId: 1n },
    ]);
    assert.equal(ours.reason, 'Collectible: only the minter mints');
    assert.deepEqual(ours, theirs);
  });
});
