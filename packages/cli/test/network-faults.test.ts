import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { advanceValidatorSet, newValidatorSet, proposerOf } from '@pujiang/consensus';
import { generateKeyPair as generateNodeKey } from '@pujiang/crypto';
import { genesisHash, loadHome, readKeyFile } from '@pujiang/node';
import { dialPeer, type PeerLink } from '@pujiang/p2p';
import { encodeWire } from '@pujiang/protocol';
import { addressOf, generateKeyPair, type KeyPair, PujiangClient } from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { initNetwork, joinAsFullNode, type NetworkHome, nodeKeyName } from './network-harness.js';
import { api, initHome, type NodeProcess, runCliProcess, startNodeProcess, until } from './node-harness.js';

/**
 * Fault tests of real validator processes on loopback: crashes under load, the proposer
 * killed again and again, half the network stopped, a partition, a full node joining from
 * genesis, and peers that misbehave. After each, every node must agree on every block.
 */
const running = new Set<NodeProcess>();
after(async () => {
  for (const node of running) {
    node.child.kill('SIGKILL');
    await node.exited;
  }
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

async function stop(node: NodeProcess): Promise<void> {
  node.child.kill('SIGTERM');
  assert.equal(await node.exited, 0, node.stderr());
  running.delete(node);
}

const height = async (node: NodeProcess) => (await api(node.api, '/v1/status')).body.height as number;

async function waitHeight(nodes: readonly NodeProcess[], target: number, ms = 60_000): Promise<void> {
  try {
    await until(
      async () => ((await Promise.all(nodes.map(height))).every((h) => h >= target) ? true : undefined),
      ms,
    );
  } catch {
    const seen = await Promise.all(
      nodes.map(async (n) => {
        const s = await api(n.api, '/v1/status').catch(() => undefined);
        return s ? `${s.body.height}/r${s.body.round}` : 'down';
      }),
    );
    const logs = nodes.map((n) => n.stderr().split('\n').slice(-8).join('\n')).join('\n---\n');
    throw new Error(`heights ${seen.join(' ')} never all reached ${target}\n${logs}`);
  }
}

/** Every node reports the same block hash and header state root at every height they all hold. */
async function assertSameChain(nodes: readonly NodeProcess[]): Promise<number> {
  const common = Math.min(...(await Promise.all(nodes.map(height))));
  for (let h = 1; h <= common; h++) {
    const seen = new Set(
      await Promise.all(
        nodes.map(async (node) => {
          const header = (await api(node.api, `/v1/headers/${h}`)).body;
          return `${header.hash}/${header.header.stateRoot}`;
        }),
      ),
    );
    assert.equal(seen.size, 1, `height ${h} differs: ${[...seen].join(' ')}`);
  }
  return common;
}

/**
 * A steady load: one transfer at a time from the operator, to whichever node is up,
 * recording every transfer a node reported committed (hash and height).
 */
class Load {
  readonly committed = new Map<string, number>();
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly targets: () => readonly NodeProcess[],
    private readonly key: KeyPair,
    private readonly to: string,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const nodes = this.targets();
      const node = nodes[Math.floor(Math.random() * nodes.length)];
      if (!node) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      try {
        const client = new PujiangClient({ url: node.api, timeoutMs: 5_000 });
        const { result } = await client.sendTransfer({
          key: this.key,
          to: this.to,
          amount: 1n,
          wait: true,
          waitTimeoutMs: 4_000,
        });
        if (result.status === 'committed' && result.height !== undefined)
          this.committed.set(result.hash, Number(result.height));
      } catch {
        // The node died under us, or the wait ran out (the chain may be halted): try again,
        // with the nonce the next node reports.
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Every transfer reported committed is there, at the same height, on every node. */
  async check(nodes: readonly NodeProcess[]): Promise<void> {
    assert.ok(this.committed.size > 0, 'the load committed something');
    // The load ran until stop(): a node that was behind may still be fetching its last blocks.
    await waitHeight(nodes, Math.max(...this.committed.values()));
    for (const node of nodes)
      for (const [hash, at] of this.committed) {
        const { status, body } = await api(node.api, `/v1/txs/${hash}`);
        if (status !== 200) {
          const heights = await Promise.all(nodes.map(height));
          assert.fail(`${hash} (committed at ${at}) missing on ${node.api}; heights ${heights.join(', ')}`);
        }
        assert.equal(body.status, 'committed');
        assert.equal(Number(body.height), at);
      }
  }
}

function operatorLoad(homes: readonly NetworkHome[], targets: () => readonly NodeProcess[]): Load {
  return new Load(
    targets,
    readKeyFile(homes[0]!.operatorKey),
    addressOf('sha256', generateKeyPair('ed25519')),
  );
}

/** The validator index that proposes round 0 of `height` (the rotation every node computes). */
function proposerAt(validators: number, height: number): number {
  let set = newValidatorSet(new Array(validators).fill(10));
  for (let h = 1; h < height; h++) set = advanceValidatorSet(set);
  return proposerOf(set, 0);
}

/** Four validators deciding blocks, under a steady load aimed at whichever of them are live. */
async function loadedNetwork() {
  const { homes } = await initNetwork(4);
  const nodes = await Promise.all(homes.map((h) => start(h.home)));
  await waitHeight(nodes, 2);
  const live = new Set(nodes);
  const load = operatorLoad(homes, () => [...live]);
  return { homes, nodes, live, load };
}

describe('validator processes on loopback under faults', () => {
  it('under steady load, one validator killed with -9 restarts and catches up; all agree at every height', {
    timeout: 120_000,
  }, async () => {
    const { homes, nodes, live, load } = await loadedNetwork();
    await until(() => (load.committed.size >= 5 ? true : undefined));
    live.delete(nodes[2]!);
    await kill(nodes[2]!);
    const before = await height(nodes[0]!);
    await waitHeight([nodes[0]!, nodes[1]!, nodes[3]!], before + 5);
    nodes[2] = await start(homes[2]!.home);
    live.add(nodes[2]);
    const tip = await height(nodes[0]!);
    await waitHeight([nodes[2]], tip);
    await load.stop();
    await assertSameChain(nodes);
    await load.check(nodes);
    for (const node of nodes) await stop(node);
    // The restarted node's store re-executes from genesis to the same roots.
    const replay = runCliProcess('node', 'replay', '--home', homes[2]!.home);
    assert.equal(replay.status, 0, replay.stdout);
  });

  it('the proposer of the next height, killed three times over, does not stop the chain', {
    timeout: 120_000,
  }, async () => {
    const { homes, nodes, live, load } = await loadedNetwork();
    for (let round = 0; round < 3; round++) {
      const witness = [...live][0]!;
      const h = await height(witness);
      const victim = proposerAt(4, h + 1);
      live.delete(nodes[victim]!);
      await kill(nodes[victim]!);
      // The height it was to propose is decided without it (a later round), and more after.
      await waitHeight([...live], h + 3);
      nodes[victim] = await start(homes[victim]!.home);
      live.add(nodes[victim]);
    }
    await waitHeight(nodes, await height(nodes[0]!));
    await load.stop();
    const tip = await assertSameChain(nodes);
    await load.check(nodes);
    // The killed proposers' heights were decided in later rounds (round 0 had no proposal).
    let laterRounds = 0;
    for (let h = 1; h <= tip; h++)
      if ((await api(nodes[0]!.api, `/v1/headers/${h}`)).body.certificate.round > 0) laterRounds++;
    assert.ok(laterRounds >= 2, `heights decided after round 0: ${laterRounds}`);
    for (const node of nodes) await stop(node);
  });

  it('two of four stopped: the chain halts without deciding; one back, it resumes and loses nothing', {
    timeout: 120_000,
  }, async () => {
    const { homes, nodes, live, load } = await loadedNetwork();
    await until(() => (load.committed.size >= 5 ? true : undefined));
    for (const i of [2, 3]) {
      live.delete(nodes[i]!);
      await kill(nodes[i]!);
    }
    // 20 of 40 power cannot decide: heights stand still, and what was decided stays.
    await new Promise((r) => setTimeout(r, 1_500));
    const halted = await Promise.all([height(nodes[0]!), height(nodes[1]!)]);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.deepEqual(await Promise.all([height(nodes[0]!), height(nodes[1]!)]), halted);
    await assertSameChain([nodes[0]!, nodes[1]!]);
    nodes[2] = await start(homes[2]!.home);
    live.add(nodes[2]);
    const resumeFrom = Math.max(...halted);
    await waitHeight([nodes[0]!, nodes[1]!, nodes[2]!], resumeFrom + 3);
    const committedBefore = load.committed.size;
    await until(() => (load.committed.size > committedBefore ? true : undefined));
    await load.stop();
    nodes[3] = await start(homes[3]!.home);
    await waitHeight([nodes[3]], await height(nodes[0]!));
    await assertSameChain(nodes);
    await load.check(nodes);
    for (const node of nodes) await stop(node);
  });

  it('a validator cut off by a partition falls behind, and catches up when it heals', {
    timeout: 120_000,
  }, async () => {
    const { homes, proxies } = await initNetwork(4, { proxies: true });
    const nodes = await Promise.all(homes.map((h) => start(h.home)));
    try {
      await waitHeight(nodes, 2);
      proxies!.isolate(3);
      const cutAt = await height(nodes[3]!);
      const others = [nodes[0]!, nodes[1]!, nodes[2]!];
      await waitHeight(others, cutAt + 8);
      // Alone, it decides nothing.
      assert.ok((await height(nodes[3]!)) <= cutAt + 1);
      proxies!.heal();
      await waitHeight([nodes[3]!], await height(nodes[0]!), 30_000);
      const status = (await api(nodes[3]!.api, '/v1/status')).body;
      assert.equal(status.validator, true);
      await assertSameChain(nodes);
      for (const node of nodes) await stop(node);
    } finally {
      await proxies!.close();
    }
  });

  it('a new full node syncs from genesis to the tip, follows, and relays a transaction', {
    timeout: 120_000,
  }, async () => {
    const fullHome = initHome();
    const { homes } = await initNetwork(4, { admit: [nodeKeyName(fullHome.home)] });
    joinAsFullNode(fullHome, homes);
    const nodes = await Promise.all(homes.map((h) => start(h.home)));
    await waitHeight(nodes, 30);
    const full = await start(fullHome.home);
    const tip = await height(nodes[0]!);
    await waitHeight([full], tip);
    const status = (await api(full.api, '/v1/status')).body;
    assert.equal(status.validator, false);
    assert.ok(status.peers >= 1);
    const metrics = await (await fetch(`${full.api}/metrics`)).text();
    assert.match(metrics, /^pujiang_blocks_synced_total [1-9]/m);
    // A transfer sent to the full node reaches the validators by gossip and commits.
    const operator = readKeyFile(homes[0]!.operatorKey);
    const to = addressOf('sha256', generateKeyPair('ed25519'));
    const sent = await new PujiangClient({ url: full.api }).sendTransfer({
      key: operator,
      to,
      amount: 9n,
      wait: true,
    });
    assert.equal(sent.result.status, 'committed');
    await waitHeight([full], await height(nodes[1]!));
    await assertSameChain([...nodes, full]);
    for (const node of [...nodes, full]) await stop(node);
  });

  it('peers sending garbage, forged votes or floods are disconnected and banned; the chain goes on', {
    timeout: 120_000,
  }, async () => {
    const rogues = [generateNodeKey('ed25519'), generateNodeKey('ed25519'), generateNodeKey('ed25519')];
    const { homes } = await initNetwork(4, {
      admit: rogues.map((k) => `ed25519:${bytesToHex(k.publicKey.bytes)}`),
    });
    const nodes = await Promise.all(homes.map((h) => start(h.home)));
    await waitHeight(nodes, 2);
    const chainId = homes[0]!.chainId;
    const genesis = loadHome(homes[0]!.home).genesis;
    const connect = (key: (typeof rogues)[number]) =>
      dialPeer('127.0.0.1', homes[0]!.p2pPort, {
        chainId,
        genesisHash: hexToBytes(genesisHash(genesis)),
        nodeKey: key,
        isMember: () => true,
        aead: 'aes-256-gcm',
      });
    // A link reads (and so sees the close) once someone listens for its messages.
    const closed = (link: PeerLink) =>
      new Promise<string | undefined>((r) => link.on('message', () => {}).once('close', (e) => r(e?.code)));

    // Garbage: authenticated frames whose content decodes as nothing.
    const garbage = await connect(rogues[0]!);
    const garbageClosed = closed(garbage);
    for (let i = 0; i < 10; i++) garbage.send(randomBytes(200));
    await garbageClosed;
    // Forged votes: well-formed, signed by nobody, for the height under way (re-read, as
    // blocks keep coming, until the node has had enough).
    const forger = await connect(rogues[1]!);
    let forgerOpen = true;
    const forgerClosed = closed(forger).then(() => {
      forgerOpen = false;
    });
    for (let i = 0; forgerOpen && i < 200; i++) {
      const h = await height(nodes[0]!);
      for (let j = 0; j < 2; j++)
        forger.send(
          encodeWire({
            type: 'vote',
            value: {
              type: 'prevote',
              height: BigInt(h + 1),
              round: i,
              value: { type: 'nil', value: {} },
              validator: (i + j) % 4,
              signature: randomBytes(64),
            },
          }),
        );
      await new Promise((r) => setTimeout(r, 50));
    }
    await forgerClosed;
    // A flood: far more messages a second than any honest peer sends.
    const flooder = await connect(rogues[2]!);
    const flooderClosed = closed(flooder);
    const status = encodeWire({ type: 'status', value: { height: 0n } });
    for (let i = 0; i < 30_000 && flooder.send(status); i++);
    await flooderClosed;
    // Banned: they cannot come straight back.
    for (const key of rogues) await assert.rejects(connect(key));
    const after = await height(nodes[0]!);
    await waitHeight(nodes, after + 3);
    await assertSameChain(nodes);
    const metrics = await (await fetch(`${nodes[0]!.api}/metrics`)).text();
    assert.match(metrics, /^pujiang_peer_offences_total\{type="[a-z-]+"\} [1-9]/m);
    for (const node of nodes) await stop(node);
  });
});
