import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certificateToPem } from '@pujiang/crypto';
import { issueMemberCertificate, loadOrganization, readKeyFile } from '@pujiang/node';
import { moduleKey } from '@pujiang/protocol';
import {
  type KeyPair,
  keyPairFromHex,
  LightClient,
  PujiangClient,
  parseGenesis,
  registerIdentity,
  VerificationError,
  verifyProvenQuery,
} from '@pujiang/sdk';
import { ethers } from 'ethers';
import { generateRandomKeys } from 'paillier-bigint';
import {
  type Artifact,
  compileContracts,
  editGenesis,
  evmNetwork,
  mappingSlot,
  operatorWallet,
  providerOf,
  rpc,
  wordValue,
} from './evm-chain-harness.js';
import { codeOf, voteThrough } from './gov-harness.js';
import { api, type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';

/**
 * The EVM module's chain properties on real node processes (issue 21): deployment under the
 * chain's membership and policies, storage proven by the SDK's light client, the
 * national-crypto precompiles called from Solidity, and a validator killed with -9 under an
 * EVM load rejoining with the same state as its peers.
 */

/** GB/T 32905-2016 Appendix A, example 1: SM3("abc"). */
const SM3_ABC = '0x66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
/** GM/T 0003.5-2012 Annex A: e = SM3(Z_A || "message digest"), the signature (r, s) and the key (x, y). */
const SM2_VECTOR = {
  e: '0xf0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: '0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: '0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
  x: '0x09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  y: '0xccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
};
/** JSON-RPC error of a refused transaction (EIP-1474). */
const TRANSACTION_REJECTED = -32003;
/** Gas price is free on Pujiang: transactions carry zero fees. */
const FREE = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } as const;

const artifacts = (() => {
  let compiled: { counter: Artifact; precompiles: Artifact } | undefined;
  return () => {
    compiled ??= compileContracts();
    return compiled;
  };
})();

const running = new Set<NodeProcess>();
const homes: string[] = [];
after(async () => {
  for (const node of running) {
    node.child.kill('SIGKILL');
    await node.exited;
  }
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

async function start(home: string): Promise<NodeProcess> {
  const node = await startNodeProcess(home);
  running.add(node);
  return node;
}

async function kill(node: NodeProcess): Promise<void> {
  node.child.kill('SIGKILL');
  await node.exited;
  running.delete(node);
}

/** A deployment's signed raw transaction, ready for eth_sendRawTransaction. */
async function signedDeploy(wallet: ethers.BaseWallet, artifact: Artifact, chainId: bigint): Promise<string> {
  const deploy = await new ethers.ContractFactory(artifact.abi, artifact.bytecode).getDeployTransaction();
  const nonce = await wallet.provider!.getTransactionCount(wallet.address, 'pending');
  return wallet.signTransaction({ ...deploy, type: 2, chainId, nonce, gasLimit: 1_000_000n, ...FREE });
}

async function deploy(artifact: Artifact, wallet: ethers.Signer): Promise<ethers.Contract> {
  const contract = await new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallet).deploy();
  const receipt = await contract.deploymentTransaction()!.wait();
  assert.equal(receipt?.status, 1);
  return contract as ethers.Contract;
}

describe('the EVM module on one validator: permissions, proofs and precompiles', () => {
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  let provider: ethers.JsonRpcProvider;
  /** The genesis operator (admin of org0): it votes governance proposals (native transactions). */
  let operator: ethers.Wallet;
  let operatorKey: KeyPair;
  /** An admin of org0 registered in the genesis, which sends only Ethereum transactions. */
  let deployer: ethers.Wallet;
  /** A client of org0 registered in the genesis, which sends only Ethereum transactions. */
  let member: ethers.Wallet;
  let chainId: bigint;
  before(async () => {
    // An idle block every 250 ms (blocks come at once for transactions): fewer heights for the
    // light client to follow from the genesis.
    init = initHome('secp256k1', 250);
    homes.push(init.home);
    const org = loadOrganization(join(init.home, 'org'));
    const certify = (secretKey: string, role: 'admin' | 'client') =>
      certificateToPem(
        issueMemberCertificate(org, {
          publicKey: keyPairFromHex('secp256k1', secretKey.slice(2)).publicKey,
          role,
          commonName: `evm ${role}`,
        }),
      );
    const deployerKey = ethers.Wallet.createRandom().privateKey;
    const memberKey = ethers.Wallet.createRandom().privateKey;
    // Both members are in the genesis, so their first transaction is an Ethereum one (see the
    // nonce test below for a member that registers itself first). No time-lock: the policy
    // proposal executes as soon as it is queued.
    editGenesis(init.genesis, {
      timelock: 0,
      identities: [certify(deployerKey, 'admin'), certify(memberKey, 'client')],
    });
    node = await start(init.home);
    client = new PujiangClient({ url: node.api });
    provider = await providerOf(node.api);
    operator = operatorWallet(init.operatorKey, provider);
    operatorKey = readKeyFile(init.operatorKey);
    deployer = new ethers.Wallet(deployerKey, provider);
    member = new ethers.Wallet(memberKey, provider);
    chainId = (await provider.getNetwork()).chainId;
  });
  after(() => provider?.destroy());

  it('refuses a deployment signed by an unregistered key at admission with MEMBER_UNKNOWN', async () => {
    const stranger = ethers.Wallet.createRandom(provider);
    const raw = await signedDeploy(stranger, artifacts().counter, chainId);
    const answer = await rpc(node.api, 'eth_sendRawTransaction', [raw]);
    assert.equal(answer.result, undefined);
    assert.equal(answer.error?.code, TRANSACTION_REJECTED);
    assert.equal(answer.error?.data?.code, 'MEMBER_UNKNOWN');
    // Nothing entered the mempool, and ethers reports the node's refusal as it came.
    assert.equal((await rpc(node.api, 'eth_getTransactionByHash', [ethers.keccak256(raw)])).result, null);
    assert.equal(await provider.getTransactionCount(stranger.address, 'pending'), 0);
    const factory = new ethers.ContractFactory(
      artifacts().counter.abi,
      artifacts().counter.bytecode,
      stranger,
    );
    await assert.rejects(factory.deploy(), (e: RefusedByNode) => {
      assert.equal(e.error?.code, TRANSACTION_REJECTED);
      assert.equal(e.error?.data?.code, 'MEMBER_UNKNOWN');
      return true;
    });
  });

  it('governs deployment by the evm/deploy policy: a client is refused once admins alone may deploy; its calls still run', async () => {
    // Under the default policy (an admin or a client of any member organization) the client deploys.
    await deploy(artifacts().counter, member);

    await voteThrough([client], [operatorKey], [], 'only admins deploy contracts', {
      type: 'setPolicy',
      value: {
        resource: 'evm/deploy',
        policy: { rule: { type: 'any', value: {} }, roles: ['admin'], orgs: [], vetoBy: [] },
      },
    });
    const policy = await client.query('governance', 'policy', { resource: 'evm/deploy' });
    assert.deepEqual((policy.result as { policy: { roles: string[] } }).policy.roles, ['admin']);

    // The client's deployment is refused when the node admits it: governance's authorize runs
    // at admission (before the nonce is looked at), so nothing reaches a block and no receipt is made.
    const raw = await signedDeploy(member, artifacts().counter, chainId);
    const answer = await rpc(node.api, 'eth_sendRawTransaction', [raw]);
    assert.equal(answer.error?.code, TRANSACTION_REJECTED, JSON.stringify(answer));
    assert.equal(answer.error?.data?.code, 'POLICY_UNSATISFIED');
    assert.equal(answer.error?.data?.resource, 'evm/deploy');
    assert.equal((await rpc(node.api, 'eth_getTransactionByHash', [ethers.keccak256(raw)])).result, null);
    const factory = new ethers.ContractFactory(artifacts().counter.abi, artifacts().counter.bytecode, member);
    await assert.rejects(factory.deploy(), (e: RefusedByNode) => {
      assert.equal(e.error?.data?.code, 'POLICY_UNSATISFIED');
      return true;
    });

    // An admin, whom the policy names, deploys; the client still calls the contract (evm/call
    // keeps the default policy).
    const counter = await deploy(artifacts().counter, deployer);
    const called = await (await (counter.connect(member) as ethers.Contract).increment!()).wait();
    assert.equal(called.status, 1);
    assert.equal(await counter.count!(), 1n);
    assert.equal(await counter.incrementsBy!(member.address), 1n);
  });

  it('answers eth_getTransactionCount with the chain nonce of a member whose transactions so far were native', async () => {
    // The operator proposed and finalized in the test before (native governance transactions).
    const operatorAccount = await client.getAccount(init.operatorAddress);
    assert.ok(BigInt(operatorAccount.nonce) > 0n);
    assert.equal(
      BigInt(await provider.getTransactionCount(operator.address, 'pending')),
      BigInt(operatorAccount.pendingNonce),
    );
    // A member that registers itself (nonce 0, a governance transaction), then deploys with ethers.
    const joiner = ethers.Wallet.createRandom(provider);
    const joinerKey = keyPairFromHex('secp256k1', joiner.privateKey.slice(2));
    const certificate = issueMemberCertificate(loadOrganization(join(init.home, 'org')), {
      publicKey: joinerKey.publicKey,
      role: 'admin',
      commonName: 'evm joiner',
    });
    assert.equal(await codeOf(registerIdentity(client, { key: joinerKey, certificate, wait: true })), 'OK');
    assert.equal(await provider.getTransactionCount(joiner.address, 'pending'), 1);
    await deploy(artifacts().counter, joiner);
  });

  it('proves a storage slot under certified headers with the light client, equal to eth_getStorageAt; a tampered proof fails', async () => {
    const counter = await deploy(artifacts().counter, deployer);
    const address = (await counter.getAddress()).toLowerCase();
    for (let i = 0; i < 3; i++) assert.equal((await (await counter.increment!()).wait()).status, 1);
    const last = await (await counter.increment!()).wait();
    const block = last.blockNumber as number;
    // Header h commits the state after block h - 1: the state after the last increment is
    // proven under header block + 1.
    await until(async () => ((await client.getStatus()).height >= block + 1 ? true : undefined));
    const genesis = parseGenesis(JSON.parse(readFileSync(init.genesis, 'utf8')));
    const light = new LightClient({ client, genesis });
    const slots = {
      count: ethers.zeroPadValue('0x00', 32),
      mine: mappingSlot(deployer.address, 1n),
      unwritten: ethers.zeroPadValue('0x07', 32),
    };
    const proven: Record<string, bigint> = {};
    for (const [name, slot] of Object.entries(slots)) {
      const params = { address: address.slice(2), slot: slot.slice(2) };
      const key = moduleKey('evm', `s/${params.address}/${params.slot}`);
      const verified = await light.verifiedQuery('evm', 'storage', params, [key], { height: block + 1 });
      assert.equal(verified.height, block + 1);
      const value = wordValue(verified.reads.get(Buffer.from(key).toString('hex')));
      assert.equal(value, wordValue((verified.result as { value: string }).value), name);
      assert.equal(value, BigInt(await provider.getStorage(address, slot, block)), name);
      proven[name] = value;
    }
    assert.deepEqual(proven, { count: 4n, mine: 4n, unwritten: 0n });
    // Under the header before, the state before the last increment: 3.
    const countParams = { address: address.slice(2), slot: slots.count.slice(2) };
    const countKey = moduleKey('evm', `s/${countParams.address}/${countParams.slot}`);
    const earlier = await light.verifiedQuery('evm', 'storage', countParams, [countKey], { height: block });
    assert.equal(wordValue(earlier.reads.get(Buffer.from(countKey).toString('hex'))), 3n);
    assert.equal(BigInt(await provider.getStorage(address, slots.count, block - 1)), 3n);

    // Tampered answers fail against the certified header: another value, a changed sibling,
    // another state root.
    const header = await light.getVerifiedHeader(block + 1);
    const response = await client.queryProven('evm', 'storage', countParams, { height: block + 1 });
    assert.equal(verifyProvenQuery(response, header, { requiredKeys: [countKey] }).height, block + 1);
    const read = response.reads[0]!;
    assert.equal(read.value, '04');
    assert.ok(read.proof.siblings.length > 0);
    const flip = (hex: string) => `${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`;
    const tampered = [
      { ...response, reads: [{ ...read, value: '05' }] },
      {
        ...response,
        reads: [
          {
            ...read,
            proof: {
              ...read.proof,
              siblings: [flip(read.proof.siblings[0]!), ...read.proof.siblings.slice(1)],
            },
          },
        ],
      },
      { ...response, stateRoot: flip(response.stateRoot) },
    ];
    for (const [i, bad] of tampered.entries())
      assert.throws(
        () => verifyProvenQuery(bad, header, { requiredKeys: [countKey] }),
        (e: unknown) => e instanceof VerificationError && e.code === 'SDK_VERIFICATION_FAILED',
        `tampering ${i}`,
      );
  });

  it('runs the SM3, SM2 and Paillier precompiles from Solidity with the published vectors', async () => {
    const contract = await deploy(artifacts().precompiles, deployer);
    const v = SM2_VECTOR;
    assert.equal(await contract.sm3Abc!(), SM3_ABC);
    assert.equal(await contract.sm3!(ethers.toUtf8Bytes('abc')), SM3_ABC);
    assert.equal(await contract.sm2Verify!(v.e, v.r, v.s, v.x, v.y), true);
    const flipped = `${v.s.slice(0, -1)}${v.s.endsWith('a') ? 'b' : 'a'}`;
    assert.equal(await contract.sm2Verify!(v.e, v.r, flipped, v.x, v.y), false);

    // Paillier: a small key (256-bit n); ciphertexts as long as n² in bytes.
    const { publicKey, privateKey } = await generateRandomKeys(256, true);
    const length = Math.ceil(publicKey._n2.toString(16).length / 2);
    const n = ethers.toBeHex(publicKey.n, 32);
    const c1 = ethers.toBeHex(publicKey.encrypt(40n), length);
    const c2 = ethers.toBeHex(publicKey.encrypt(2n), length);
    const sum = (await contract.paillierAdd!(n, c1, c2)) as string;
    assert.equal(privateKey.decrypt(BigInt(sum)), 42n);

    // In transactions too: the results are stored and the event carries the verdict.
    const recorded = await (
      await contract.record!(ethers.toUtf8Bytes('abc'), v.e, v.r, v.s, v.x, v.y)
    ).wait();
    assert.equal(recorded.status, 1);
    const event = contract.interface.parseLog(recorded.logs[0]);
    assert.deepEqual([event?.name, event?.args.e, event?.args.valid], ['Verified', v.e, true]);
    assert.equal(await contract.lastDigest!(), SM3_ABC);
    assert.equal(await contract.lastVerified!(), true);
    assert.equal((await (await contract.recordSum!(n, c1, c2)).wait()).status, 1);
    assert.equal(privateKey.decrypt(BigInt(await contract.lastSum!())), 42n);
  });
});

/** What ethers throws for a JSON-RPC error it cannot map: the node's error is `error`. */
type RefusedByNode = ethers.EthersError & { error?: { code: number; data?: Record<string, unknown> } };

describe('four validators: one killed with -9 under an EVM load', () => {
  const LOAD = 200;
  const CHUNK = 25;

  it('restarts and ends with the same state root and contract storage as its peers; the counter counts every success', {
    timeout: 90_000,
  }, async () => {
    const { dir, net } = await evmNetwork();
    homes.push(dir);
    const network = net.nodes;
    const nodes = await Promise.all(network.map((n) => start(n.home)));
    const height = async (n: NodeProcess) => (await api(n.api, '/v1/status')).body.height as number;
    const waitHeight = (targets: readonly NodeProcess[], h: number) =>
      until(async () => ((await Promise.all(targets.map(height))).every((x) => x >= h) ? true : undefined));
    await waitHeight(nodes, 2);

    // The load goes to nodes 0 and 1, which stay up; node 3 is the one killed.
    const providers = await Promise.all([providerOf(nodes[0]!.api), providerOf(nodes[1]!.api)]);
    try {
      const wallet = operatorWallet(net.operatorKey, providers[0]);
      const counter = await deploy(artifacts().counter, wallet);
      const address = await counter.getAddress();
      const chainId = (await providers[0]!.getNetwork()).chainId;
      const first = await providers[0]!.getTransactionCount(wallet.address, 'pending');
      const data = counter.interface.encodeFunctionData('increment');
      const signed = await Promise.all(
        Array.from({ length: LOAD }, (_, i) =>
          wallet.signTransaction({
            type: 2,
            chainId,
            nonce: first + i,
            to: address,
            data,
            gasLimit: 100_000n,
            ...FREE,
          }),
        ),
      );
      // Fire and forget: each chunk is sent (ethers batches the calls) without waiting for commits.
      let sent = 0;
      const sendChunks = async (upTo: number) => {
        for (; sent < upTo; sent += CHUNK) {
          const provider = providers[(sent / CHUNK) % 2]!;
          await Promise.all(
            signed.slice(sent, sent + CHUNK).map((raw) => provider.broadcastTransaction(raw)),
          );
        }
      };
      const committedNonce = async (n: NodeProcess) =>
        Number((await rpc(n.api, 'eth_getTransactionCount', [wallet.address, 'latest'])).result);

      await sendChunks(75);
      // Node 3 has executed part of the load: kill it mid-load.
      await until(async () => ((await committedNonce(nodes[3]!)) >= first + 25 ? true : undefined));
      await kill(nodes[3]!);
      const killedAt = await height(nodes[0]!);
      await sendChunks(150);
      // Three of four validators keep committing the load.
      await until(async () => ((await committedNonce(nodes[0]!)) >= first + 100 ? true : undefined));
      nodes[3] = await start(network[3]!.home);
      await sendChunks(LOAD);
      await until(async () => ((await committedNonce(nodes[0]!)) === first + LOAD ? true : undefined));

      const receipts = await Promise.all(
        signed.map((raw) => providers[0]!.getTransactionReceipt(ethers.keccak256(raw))),
      );
      const succeeded = receipts.filter((r) => r?.status === 1).length;
      assert.equal(succeeded, LOAD);
      const lastBlock = Math.max(...receipts.map((r) => r!.blockNumber));
      assert.ok(lastBlock > killedAt, `the load went on after the kill (${lastBlock} > ${killedAt})`);

      // Every node, the restarted one included, holds the blocks up to one after the load's last.
      await waitHeight(nodes, lastBlock + 1);
      const common = Math.min(...(await Promise.all(nodes.map(height))));
      // The same block hash and state root at every height on all four (20 heights at a time).
      const heights = Array.from({ length: common }, (_, i) => i + 1);
      for (let from = 0; from < heights.length; from += 20)
        await Promise.all(
          heights.slice(from, from + 20).map(async (h) => {
            const seen = await Promise.all(
              nodes.map(async (n) => {
                const { body } = await api(n.api, `/v1/headers/${h}`);
                return `${body.hash}/${body.header.stateRoot}`;
              }),
            );
            assert.equal(new Set(seen).size, 1, `height ${h}: ${seen.join(' ')}`);
          }),
        );
      // The same storage on all four, at the load's last block and at the common height.
      const slots = [ethers.zeroPadValue('0x00', 32), mappingSlot(wallet.address, 1n)];
      for (const at of [lastBlock, common])
        for (const slot of slots) {
          const values = await Promise.all(
            nodes.map(
              async (n) =>
                (await rpc(n.api, 'eth_getStorageAt', [address, slot, ethers.toQuantity(at)])).result,
            ),
          );
          assert.equal(new Set(values).size, 1, `slot ${slot} at ${at}: ${values.join(' ')}`);
          assert.equal(BigInt(values[0] as string), BigInt(succeeded), `slot ${slot} at ${at}`);
        }
    } finally {
      for (const p of providers) p.destroy();
    }
  });
});
