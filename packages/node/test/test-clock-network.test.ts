import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateKeyPair, hash } from '@pujiang/crypto';
import { type Genesis, parseGenesis } from '@pujiang/protocol';
import { bytesToHex, isPujiangError, utf8ToBytes } from '@pujiang/types';
import {
  ApiServer,
  advanceNetworkClock,
  bank,
  clockTokenPath,
  governance,
  initLocalNetwork,
  loadHome,
  readClockToken,
  type ValidatorNode,
} from '../src/index.js';
import { until } from './helpers.js';
import { Bus, equalValidatorsGenesis, startOnBus } from './memory-bus.js';

const DAY = 24 * 3600 * 1000;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the test clock on a network of three validators (in process)', () => {
  const keys = Array.from({ length: 3 }, () => generateKeyPair('ed25519'));
  const base = equalValidatorsGenesis('clock-net', keys);
  const genesis: Genesis = parseGenesis({
    chainId: base.chainId,
    chainHash: base.chainHash,
    acceptedSuites: base.acceptedSuites,
    validators: base.validators.map((v) => ({
      suite: v.publicKey.suite,
      publicKey: bytesToHex(v.publicKey.bytes),
      power: v.power,
    })),
    limits: base.limits,
    modules: { governance: { emptyBlockIntervalMs: 0 } },
    testing: { clockControl: true },
  });
  const bus = new Bus();
  const apis: ApiServer[] = [];
  after(async () => {
    for (const api of apis) await api.close();
    for (const node of bus.nodes.values()) await node.stop();
  });

  it('followers accept blocks stamped ahead of their own clocks; advanceNetworkClock moves every node to one offset', async () => {
    const nodes = keys.map((key, i) =>
      startOnBus(bus, i, { key, genesis, modules: [governance, bank], dirs }),
    );
    const [v0] = nodes as [ValidatorNode];
    const committedEverywhere = (h: bigint) => nodes.every((n) => n.chain.height >= h) || undefined;
    await until(() => committedEverywhere(3n));

    // Only v0 jumps a day: its blocks are a day ahead of the others' clocks, and they commit them.
    v0.clock.advance(DAY);
    const jump = v0.clock.now();
    // The first block at or after the jump can only be v0's: the others' clocks are a day behind.
    const fromV0 = await until(() => {
      for (let h = 1n; h <= v0.chain.height; h++) if (v0.chain.header(h)!.time >= jump) return h;
      return undefined;
    });
    assert.equal(bytesToHex(v0.chain.header(fromV0)!.proposer), v0.nodeId);
    await until(() => committedEverywhere(fromV0 + 3n));
    for (const n of nodes) assert.equal(n.chain.header(fromV0)!.time, v0.chain.header(fromV0)!.time);
    // The others propose too, their block times kept after v0's (time never goes backwards).
    for (let h = fromV0 + 1n; h <= fromV0 + 3n; h++)
      assert.ok(v0.chain.header(h)!.time > v0.chain.header(h - 1n)!.time, `height ${h}`);

    // Over the route: every node ends at the largest offset plus the advance.
    const tokens = nodes.map((_, i) => `token-${i}-${'x'.repeat(20)}`);
    const clockNodes = await Promise.all(
      nodes.map(async (node, i) => {
        const digest = bytesToHex(hash('sha256', utf8ToBytes(tokens[i]!)));
        const api = new ApiServer(node, { port: 0, clockTokenSha256: [digest] });
        apis.push(api);
        return { api: `http://127.0.0.1:${await api.listen()}`, token: tokens[i]! };
      }),
    );
    const answers = await advanceNetworkClock(clockNodes, 2 * DAY);
    assert.deepEqual(
      answers.map((a) => a.offsetMs),
      nodes.map(() => 3 * DAY),
    );
    for (const n of nodes) assert.equal(n.clock.offsetMs, 3 * DAY);
    const latest = BigInt(Math.max(...answers.map((a) => a.nowMs)));
    const from = BigInt(Math.max(...answers.map((a) => a.height))) + 2n;
    await until(() => committedEverywhere(from + 3n));
    for (let h = from; h <= from + 3n; h++)
      assert.ok(v0.chain.header(h)!.time >= latest, `height ${h} is before the network's jump`);
    // A wrong token on one node refuses the whole advance before any node moves.
    await assert.rejects(
      advanceNetworkClock([clockNodes[0]!, { api: clockNodes[1]!.api, token: tokens[2]! }], DAY),
      (e) => isPujiangError(e, 'NODE_CLOCK_UNAUTHORIZED'),
    );
    for (const n of nodes) assert.equal(n.clock.offsetMs, 3 * DAY);
  });
});

describe('a local network made with testClock', () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pujiang-clock-net-'));
    dirs.push(dir);
    return join(dir, 'net');
  };

  it('is a test chain: its genesis allows clock control and every home keeps its own token, config its digest', () => {
    const dir = fresh();
    const net = initLocalNetwork({ dir, nodes: 2, basePort: 31200, testClock: true });
    const tokens = net.nodes.map((node) => {
      const home = loadHome(node.home);
      assert.deepEqual(home.genesis.testing, { clockControl: true });
      const token = readClockToken(node.home);
      assert.equal(statSync(clockTokenPath(node.home)).mode & 0o777, 0o600);
      assert.deepEqual(home.config.testing, {
        clockOffsetMs: 0,
        clockTokenSha256: [bytesToHex(hash('sha256', utf8ToBytes(token)))],
      });
      assert.ok(!readFileSync(join(node.home, 'config.json'), 'utf8').includes(token));
      return token;
    });
    assert.notEqual(tokens[0], tokens[1]);
    assert.equal(initLocalNetwork({ dir, testClock: true }).created, false, 'resumes');
  });

  it('is not made by resuming a network without it, and homes without it have no token', () => {
    const dir = fresh();
    const net = initLocalNetwork({ dir, nodes: 1, basePort: 31300 });
    assert.equal(loadHome(net.nodes[0]!.home).genesis.testing, undefined);
    assert.equal(loadHome(net.nodes[0]!.home).config.testing, undefined);
    assert.throws(() => readClockToken(net.nodes[0]!.home), { code: 'NODE_CLOCK_TOKEN_MISSING' });
    assert.throws(
      () => initLocalNetwork({ dir, testClock: true }),
      (e) => {
        assert.ok(isPujiangError(e, 'LOCALNET_MISMATCH'));
        assert.deepEqual((e.details as { mismatches: unknown[] }).mismatches, [
          { field: 'testClock', requested: true, existing: false },
        ]);
        return true;
      },
    );
  });
});
