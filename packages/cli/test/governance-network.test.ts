import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { GovernanceAction } from '@pujiang/module-governance';
import {
  initLocalNetwork,
  issueMemberCertificate,
  joinHome,
  loadOrganization,
  readKeyFile,
} from '@pujiang/node';
import {
  finalizeProposal,
  getProposal,
  type KeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  registerIdentity,
  submitProposal,
  voteOnProposal,
} from '@pujiang/sdk';
import { freePort } from './network-harness.js';
import { api, FAST_CONFIG, type NodeProcess, startNodeProcess, until } from './node-harness.js';

/**
 * The issue's test on real processes: four validators, one organization each; a fifth node,
 * certified by org1 and registered, is added as a validator by proposal and votes, joins
 * consensus at the height the change names, and is removed again the same way.
 */
describe('validator set changes by governance on a running four-node network', () => {
  const running: NodeProcess[] = [];
  after(async () => {
    for (const node of running) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
  });

  it('adds a fifth validator by proposal and votes; it syncs, joins at the decided height, and is removed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-gov-net-'));
    const basePort = await freePort();
    const net = initLocalNetwork({
      dir: join(dir, 'net'),
      nodes: 4,
      basePort: 20000 + (basePort % 30000),
      emptyBlockIntervalMs: 0, // the test watches heights go by while idle
    });
    // A short time-lock keeps the test quick; fast consensus timeouts as in the other network tests.
    const genesisJson = JSON.parse(readFileSync(join(net.nodes[0]!.home, 'genesis.json'), 'utf8'));
    genesisJson.modules.governance.timelock = 2;
    const genesisText = `${JSON.stringify(genesisJson, null, 2)}\n`;
    for (const node of net.nodes) {
      writeFileSync(join(node.home, 'genesis.json'), genesisText);
      const configPath = join(node.home, 'config.json');
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      writeFileSync(
        configPath,
        JSON.stringify({ ...config, ...FAST_CONFIG, api: { ...config.api, port: 0 } }),
      );
    }
    for (const node of net.nodes) running.push(await startNodeProcess(node.home));
    const clients = running.map((n) => new PujiangClient({ url: n.api }));
    const admins: KeyPair[] = net.nodes.map((n) => readKeyFile(join(n.home, 'keys', 'operator.json')));
    await until(async () => ((await clients[0]!.getStatus()).height >= 2 ? true : undefined));

    // The fifth node: a key certified as a validator by org1, registered by itself, then started.
    const fifthHome = join(dir, 'node4');
    const p2pPort = await freePort();
    const joined = joinHome({
      home: fifthHome,
      genesisText,
      apiPort: 0,
      p2p: { listen: `127.0.0.1:${p2pPort}`, peers: net.nodes.map((n) => n.p2p) },
    });
    const fifthConfigPath = join(fifthHome, 'config.json');
    writeFileSync(
      fifthConfigPath,
      JSON.stringify({ ...JSON.parse(readFileSync(fifthConfigPath, 'utf8')), ...FAST_CONFIG }),
    );
    const nodeKey = joined.nodeKey;
    const certificate = issueMemberCertificate(loadOrganization(join(net.nodes[1]!.home, 'org')), {
      publicKey: nodeKey.publicKey,
      role: 'validator',
      commonName: 'org1 second node',
    });
    const registered = await registerIdentity(clients[1]!, { key: nodeKey, certificate, wait: true });
    assert.equal(registered.result.receipt?.code, 'OK');
    const fifth = await startNodeProcess(fifthHome);
    running.push(fifth);
    const fifthClient = new PujiangClient({ url: fifth.api });
    // It is a member now, so the validators let it in; it syncs as a full node.
    await until(async () => {
      const [a, b] = await Promise.all([clients[0]!.getStatus(), fifthClient.getStatus()]);
      return b.height >= a.height - 1 && b.peers >= 4 ? true : undefined;
    });
    assert.equal((await fifthClient.getStatus()).validator, false);

    /** Proposes with org1's admin, votes with org2 and org3 (3 of 4), waits out the time-lock, executes. */
    const decide = async (action: GovernanceAction): Promise<bigint> => {
      const proposed = await submitProposal(clients[1]!, {
        key: admins[1]!,
        title: action.type,
        action,
        wait: true,
      });
      assert.equal(proposed.result.receipt?.code, 'OK');
      const id = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
      for (const i of [2, 3]) {
        const voted = await voteOnProposal(clients[i]!, { key: admins[i]!, id, approve: true, wait: true });
        assert.equal(voted.result.receipt?.code, 'OK');
      }
      const queued = await getProposal(clients[3]!, id); // the node that confirmed the last vote
      assert.equal(queued.status, 'queued');
      await until(async () =>
        (await clients[0]!.getStatus()).height >= Number(queued.executableAt) ? true : undefined,
      );
      const executed = await finalizeProposal(clients[0]!, { key: admins[0]!, id, wait: true });
      assert.equal(executed.result.receipt?.code, 'OK');
      const change = executed.result.receipt!.events.find((e) => e.type === 'validators_changed')!;
      const history = (await getProposal(clients[0]!, id)).history.map((h) => h.status);
      assert.deepEqual(history, ['voting', 'queued', 'executed']);
      return BigInt(change.attributes.since!);
    };

    const signersAt = async (height: number) =>
      (await api(running[0]!.api, `/v1/headers/${height}`)).body.certificate.precommits.map(
        (p: { validator: number }) => p.validator,
      ) as number[];
    const key = { suite: nodeKey.suite, publicKey: nodeKey.publicKey.bytes };

    const since = await decide({ type: 'setValidator', value: { ...key, power: 10n, name: 'node4' } });
    const sets = await Promise.all(
      [since - 1n, since].map(async (h) => (await api(running[0]!.api, `/v1/validators?height=${h}`)).body),
    );
    assert.equal(sets[0].validators.length, 4);
    assert.equal(sets[1].validators.length, 5);
    // From that height on, the fifth node signs: wait for certificates carrying its precommit.
    await until(async () => ((await fifthClient.getStatus()).validator ? true : undefined));
    const joinedAt = await until(async () => {
      const head = (await clients[0]!.getStatus()).height;
      for (let h = Number(since); h <= head; h++) if ((await signersAt(h)).includes(4)) return h;
      return undefined;
    });
    assert.ok(joinedAt >= Number(since));
    for (let h = 1; h < Number(since); h++)
      assert.ok(
        (await signersAt(h)).every((v) => v < 4),
        `height ${h}`,
      );
    // The chain goes on with five: all agree on a later block.
    const target = joinedAt + 3;
    await until(async () =>
      (await Promise.all([...clients, fifthClient].map((c) => c.getStatus()))).every(
        (s) => s.height >= target,
      )
        ? true
        : undefined,
    );
    const hashes = await Promise.all(
      [...clients, fifthClient].map(async (c) => (await c.getBlock(target)).hash),
    );
    assert.equal(new Set(hashes).size, 1);
    // A light client pinned to the genesis follows the change: it proves the five-validator
    // set under the previous certified header and accepts the header the fifth node signed.
    const light = new LightClient({ client: clients[2]!, genesis: parseGenesis(genesisJson) });
    const proven = await light.getVerifiedValidators(Number(since));
    assert.equal(proven.length, 5);
    assert.equal((await light.getVerifiedHeader(joinedAt)).hash, (await clients[0]!.getBlock(joinedAt)).hash);

    // And removed again.
    const removedSince = await decide({ type: 'setValidator', value: { ...key, power: 0n, name: 'node4' } });
    const after = (await api(running[0]!.api, `/v1/validators?height=${removedSince}`)).body;
    assert.equal(after.validators.length, 4);
    await until(async () =>
      (await clients[0]!.getStatus()).height >= Number(removedSince) + 3 ? true : undefined,
    );
    for (let h = Number(removedSince); h <= Number(removedSince) + 3; h++)
      assert.ok(
        (await signersAt(h)).every((v) => v < 4),
        `height ${h}`,
      );
    assert.equal((await fifthClient.getStatus()).validator, false);
  });
});
