import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import { addressHex, initLocalNetwork, loadHome, readKeyFile } from '../src/index.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'pujiang-localnet-')), 'net');
const read = (path: string) => readFileSync(path, 'utf8');

function throwsCode(fn: () => unknown, code: string): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    assert.ok(isPujiangError(error, code), `expected ${code}, got ${String(error)}`);
    return error.details as Record<string, unknown>;
  }
  assert.fail(`expected ${code}`);
}

describe('initLocalNetwork', () => {
  it('creates N homes of one chain: every node key a validator, ports from the base, node0 operator funded', () => {
    const dir = freshDir();
    const net = initLocalNetwork({ dir, nodes: 4, basePort: 31000, suite: 'sm2' });
    assert.equal(net.created, true);
    assert.equal(net.suite, 'sm2');
    assert.deepEqual(
      net.nodes.map((n) => [n.name, n.api, n.p2p]),
      [0, 1, 2, 3].map((i) => [
        `node${i}`,
        `http://127.0.0.1:${31000 + 2 * i}`,
        `127.0.0.1:${31001 + 2 * i}`,
      ]),
    );
    assert.deepEqual(JSON.parse(read(join(dir, 'network.json'))), {
      chainId: net.chainId,
      suite: net.suite,
      basePort: net.basePort,
      operatorKey: net.operatorKey,
      operatorAddress: net.operatorAddress,
      nodes: net.nodes,
    });
    const genesisText = read(join(net.nodes[0]!.home, 'genesis.json'));
    for (const [i, node] of net.nodes.entries()) {
      assert.equal(read(join(node.home, 'genesis.json')), genesisText, node.name);
      const home = loadHome(node.home);
      assert.equal(home.genesis.chainId, net.chainId);
      assert.equal(home.genesis.chainHash, 'sm3');
      assert.deepEqual(
        home.genesis.validators.map((v) => [
          v.name,
          v.publicKey.suite,
          Buffer.from(v.publicKey.bytes).toString('hex'),
          v.power,
        ]),
        net.nodes.map((n) => {
          const key = readKeyFile(join(n.home, 'node_key.json'));
          return [n.name, 'sm2', Buffer.from(key.publicKey.bytes).toString('hex'), 10];
        }),
      );
      assert.deepEqual(home.config.api, { host: '127.0.0.1', port: 31000 + 2 * i });
      assert.equal(home.config.p2p.listen, node.p2p);
      // Each peer named by its node key: a dial answered by another key is refused.
      assert.deepEqual(
        home.config.p2p.peers,
        net.nodes
          .filter((n) => n !== node)
          .map((n) => {
            const key = readKeyFile(join(n.home, 'node_key.json')).publicKey;
            return `sm2:${Buffer.from(key.bytes).toString('hex')}@${n.p2p}`;
          }),
      );
      // Each node's operator is its organization's admin; its CA and certificates sit beside it.
      assert.ok(existsSync(join(node.home, 'keys', 'operator.json')));
      assert.ok(existsSync(join(node.home, 'org', 'ca.pem')));
    }
    assert.equal(net.operatorKey, join(net.nodes[0]!.home, 'keys', 'operator.json'));
    const governance = JSON.parse(genesisText).modules.governance as {
      organizations: { id: string }[];
      identities: string[];
    };
    assert.deepEqual(
      governance.organizations.map((o) => o.id),
      net.nodes.map((_, i) => `org${i}`),
    );
    assert.equal(governance.identities.length, 2 * net.nodes.length);
    const operator = readKeyFile(net.operatorKey);
    assert.equal(addressHex('sm3', operator), net.operatorAddress);
    const bank = JSON.parse(genesisText).modules.bank;
    assert.equal(bank.minter, net.operatorAddress);
    assert.ok(BigInt(bank.balances[net.operatorAddress]) > 0n);
  });

  it('reuses an existing network without touching its keys; omitted parameters take its values', () => {
    const dir = freshDir();
    const net = initLocalNetwork({ dir, nodes: 3 });
    const keys = net.nodes.map((n) => read(join(n.home, 'node_key.json')));
    const again = initLocalNetwork({ dir });
    assert.equal(again.created, false);
    assert.equal(again.chainId, net.chainId);
    assert.equal(again.basePort, 26657);
    assert.equal(again.suite, 'ed25519');
    assert.deepEqual(again.nodes, net.nodes);
    // A network made before peers carried keys gets them on reuse (the upgrade); its addresses stay.
    const config0 = join(net.nodes[0]!.home, 'config.json');
    const keyed = JSON.parse(read(config0)).p2p.peers as string[];
    writeFileSync(
      config0,
      JSON.stringify({
        ...JSON.parse(read(config0)),
        p2p: { ...JSON.parse(read(config0)).p2p, peers: keyed.map((p) => p.split('@')[1]) },
      }),
    );
    initLocalNetwork({ dir });
    assert.deepEqual(JSON.parse(read(config0)).p2p.peers, keyed);
    const same = initLocalNetwork({ dir, nodes: 3, suite: 'ed25519', basePort: 26657 });
    assert.equal(same.chainId, net.chainId);
    assert.deepEqual(
      net.nodes.map((n) => read(join(n.home, 'node_key.json'))),
      keys,
    );
  });

  it('refuses parameters that disagree with an existing network, a half-made one, a broken file and bad values', () => {
    const dir = freshDir();
    const net = initLocalNetwork({ dir, nodes: 2, basePort: 32000 });
    const before = read(join(dir, 'network.json'));
    const details = throwsCode(() => initLocalNetwork({ dir, nodes: 4, suite: 'sm2' }), 'LOCALNET_MISMATCH');
    assert.equal(details.chainId, net.chainId);
    assert.deepEqual(details.mismatches, [
      { field: 'nodes', requested: 4, existing: 2 },
      { field: 'suite', requested: 'sm2', existing: 'ed25519' },
    ]);
    throwsCode(() => initLocalNetwork({ dir, basePort: 32100 }), 'LOCALNET_MISMATCH');
    assert.equal(read(join(dir, 'network.json')), before);

    const half = freshDir();
    mkdirSync(join(half, 'node0'), { recursive: true });
    assert.deepEqual(throwsCode(() => initLocalNetwork({ dir: half }), 'LOCALNET_INCOMPLETE').homes, [
      'node0',
    ]);

    const broken = freshDir();
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'network.json'), '{"chainId": 1}');
    throwsCode(() => initLocalNetwork({ dir: broken }), 'LOCALNET_INVALID');

    throwsCode(() => initLocalNetwork({ dir: freshDir(), nodes: 0 }), 'LOCALNET_BAD_PARAMETERS');
    throwsCode(
      () => initLocalNetwork({ dir: freshDir(), nodes: 4, basePort: 65530 }),
      'LOCALNET_BAD_PARAMETERS',
    );
  });
});
