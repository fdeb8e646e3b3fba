import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPujiangError } from '@pujiang/types';
import {
  bank,
  governance,
  initHome,
  joinHome,
  nodeClock,
  type RunningNode,
  readClockToken,
  setNodeClock,
  startNode,
  TESTING_CLOCK_PATH,
  ValidatorNode,
} from '../src/index.js';
import { FAST_CONFIG, until } from './helpers.js';

const DAY = 24 * 3600 * 1000;
const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A one-validator home (a test chain with `testClock`), with the tests' fast config and `config` on top. */
function home(o: { testClock: boolean; emptyBlockIntervalMs?: number; config?: Record<string, unknown> }) {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-clock-'));
  homes.push(dir);
  const init = initHome({
    home: dir,
    apiPort: 0,
    emptyBlockIntervalMs: o.emptyBlockIntervalMs ?? 0,
    ...(o.testClock ? { testClock: true } : {}),
  });
  writeConfig(dir, { ...FAST_CONFIG, verifyWorkers: 1, ...o.config });
  return { dir, init };
}

function writeConfig(dir: string, over: Record<string, unknown>): void {
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), ...over }));
}

const heightAtLeast = (running: RunningNode, h: bigint, ms = 30_000) =>
  until(() => running.node.chain.height >= h || undefined, ms);
const timeAt = (running: RunningNode, h: bigint) => running.node.chain.header(h)!.time;

async function rejects(p: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (error) {
    assert.ok(isPujiangError(error, code), `expected ${code}, got ${String(error)}`);
    return error.details as Record<string, unknown>;
  }
  assert.fail(`expected ${code}`);
}

async function send(url: string, init: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('the test clock on a test chain (one validator, in process)', () => {
  it('moves block time forward by the amount: every block proposed after the answer is at least that late', async () => {
    const { dir } = home({ testClock: true });
    const running = await startNode({ home: dir });
    try {
      await heightAtLeast(running, 2n);
      const node = { api: running.apiUrl, home: dir };
      assert.deepEqual((await nodeClock(node)).offsetMs, 0);
      const before = timeAt(running, running.node.chain.height);
      const jumped = await setNodeClock(node, { advanceMs: 10 * DAY });
      assert.equal(jumped.offsetMs, 10 * DAY);
      assert.ok(BigInt(jumped.nowMs) >= before + BigInt(10 * DAY));
      // Height h+1 may have been built before the jump; from h+2 on, every block was built after it.
      const from = BigInt(jumped.height) + 2n;
      await heightAtLeast(running, from + 2n);
      for (let h = from; h <= running.node.chain.height; h++)
        assert.ok(timeAt(running, h) >= BigInt(jumped.nowMs), `height ${h} is before the jump`);

      // The offset adds up; offsetMs and timeMs set it; none of them goes back.
      assert.equal((await setNodeClock(node, { advanceMs: DAY })).offsetMs, 11 * DAY);
      assert.equal((await setNodeClock(node, { offsetMs: 12 * DAY })).offsetMs, 12 * DAY);
      const target = Date.now() + 13 * DAY;
      const set = await setNodeClock(node, { timeMs: target });
      // The clock read `target` when it was set (the offset is 13 days less the ms the request took).
      assert.ok(set.nowMs >= target, `${set.nowMs} < ${target}`);
      assert.ok(set.offsetMs > 12 * DAY && set.offsetMs <= 13 * DAY, String(set.offsetMs));
      await rejects(setNodeClock(node, { offsetMs: DAY }), 'NODE_CLOCK_BACKWARDS');
      await rejects(setNodeClock(node, { timeMs: Date.now() }), 'NODE_CLOCK_BACKWARDS');
      await rejects(setNodeClock(node, { advanceMs: -1 }), 'NODE_CLOCK_BACKWARDS');
      await rejects(setNodeClock(node, { advanceMs: 1000 * 366 * DAY }), 'NODE_CLOCK_OFFSET_INVALID');
      assert.equal((await nodeClock(node)).offsetMs, set.offsetMs, 'refusals changed nothing');
    } finally {
      await running.stop();
    }
  });

  it('is admin-only: without the bearer token of config testing.clockTokenSha256, 401; bad bodies 4xx', async () => {
    const { dir } = home({ testClock: true });
    const running = await startNode({ home: dir });
    try {
      const url = `${running.apiUrl}${TESTING_CLOCK_PATH}`;
      const token = readClockToken(dir);
      const json = (body: string, headers: Record<string, string> = {}) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const advance = JSON.stringify({ advanceMs: DAY });
      const unauthorized = [
        json(advance),
        json(advance, { authorization: `Bearer ${'x'.repeat(43)}` }),
        json(advance, { authorization: `Bearer ${token}x` }),
        json(advance, { authorization: token }),
        json(advance, { authorization: `Basic ${token}` }),
        { method: 'GET' },
        { method: 'GET', headers: { authorization: 'Bearer short' } },
      ];
      for (const [i, init] of unauthorized.entries()) {
        const { status, body } = await send(url, init);
        assert.equal(status, 401, `case ${i}`);
        assert.equal(body.error.code, 'NODE_CLOCK_UNAUTHORIZED', `case ${i}`);
      }
      const auth = { authorization: `Bearer ${token}` };
      const bad: [RequestInit, number, string][] = [
        [json('{}', auth), 400, 'API_BAD_REQUEST'],
        [json('[]', auth), 400, 'API_BAD_REQUEST'],
        [json('{"advanceMs": 1, "offsetMs": 2}', auth), 400, 'API_BAD_REQUEST'],
        [json('{"advanceMs": "1"}', auth), 400, 'API_BAD_REQUEST'],
        [json('{"advanceMs": 1.5}', auth), 400, 'API_BAD_REQUEST'],
        [json('{"rewindMs": 1}', auth), 400, 'API_BAD_REQUEST'],
        [json('{"advanceMs":', auth), 400, 'API_BAD_JSON'],
        [{ method: 'POST', headers: auth, body: advance }, 415, 'API_UNSUPPORTED_MEDIA_TYPE'],
        [json(`{"advanceMs": 1, "pad": "${'x'.repeat(2000)}"}`, auth), 413, 'API_BODY_TOO_LARGE'],
      ];
      for (const [init, status, code] of bad) {
        const answer = await send(url, init);
        assert.deepEqual([answer.status, answer.body.error.code], [status, code], String(init.body));
      }
      const put = await send(url, { method: 'PUT', headers: auth });
      assert.equal(put.status, 405);
      const { status, body } = await send(url, { method: 'GET', headers: auth });
      assert.equal(status, 200);
      assert.equal(body.offsetMs, 0, 'no refused request moved the clock');
      assert.equal((await send(url, json(advance, auth))).body.offsetMs, DAY);
    } finally {
      await running.stop();
    }
  });

  it('starts at config testing.clockOffsetMs; idle blocks keep their interval; restarted without it, the chain goes on', async () => {
    const interval = 1_000;
    const { dir } = home({ testClock: true, emptyBlockIntervalMs: interval });
    writeConfig(dir, {
      testing: {
        ...JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).testing,
        clockOffsetMs: 5 * DAY,
      },
    });
    const started = Date.now();
    let running = await startNode({ home: dir });
    try {
      assert.equal(running.node.clock.offsetMs, 5 * DAY);
      await heightAtLeast(running, 3n, 4 * interval + 20_000);
      assert.ok(timeAt(running, 1n) >= BigInt(started + 5 * DAY));
      // Idle: each block an interval after the one before, by the same clock (no spinning).
      for (const h of [2n, 3n])
        assert.ok(timeAt(running, h) - timeAt(running, h - 1n) >= BigInt(interval - 5), `height ${h}`);
    } finally {
      await running.stop();
    }
    // The chain's last block is five days ahead of this node's clock now: pacing must not wait for it.
    writeConfig(dir, { testing: { clockOffsetMs: 0 } });
    running = await startNode({ home: dir });
    try {
      const at = running.node.chain.height;
      const last = running.node.chain.lastBlockTime;
      assert.ok(last > BigInt(Date.now() + 4 * DAY));
      await heightAtLeast(running, at + 2n, 4 * interval + 20_000);
      assert.ok(timeAt(running, at + 1n) > last, 'block time still never goes backwards');
    } finally {
      await running.stop();
    }
  });
});

describe('the test clock on any other chain', () => {
  it('refuses a node whose config has a testing section, and the route answers 403, with or without a token', async () => {
    const { dir } = home({ testClock: false });
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8'));
    assert.equal(genesis.testing, undefined, 'init writes no testing field without --test-clock');
    writeConfig(dir, { testing: { clockOffsetMs: DAY } });
    await rejects(startNode({ home: dir }), 'NODE_CLOCK_CONTROL_REFUSED');
    writeConfig(dir, { testing: { clockTokenSha256: ['ab'.repeat(32)] } });
    await rejects(startNode({ home: dir }), 'NODE_CLOCK_CONTROL_REFUSED');

    writeConfig(dir, { testing: undefined });
    const running = await startNode({ home: dir }); // the refusals released the home's lock
    try {
      const url = `${running.apiUrl}${TESTING_CLOCK_PATH}`;
      for (const init of [
        { method: 'GET' },
        {
          method: 'POST',
          headers: { authorization: `Bearer ${'t'.repeat(43)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ advanceMs: DAY }),
        },
      ]) {
        const { status, body } = await send(url, init);
        assert.deepEqual([status, body.error.code], [403, 'NODE_CLOCK_CONTROL_REFUSED'], init.method);
      }
      assert.equal(running.node.clock.offsetMs, 0);
      assert.throws(() => running.node.clock.advance(DAY), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
    } finally {
      await running.stop();
    }
  });

  it('refuses a clock offset in process and a test-clock home joining it', () => {
    const { dir, init } = home({ testClock: false });
    assert.throws(
      () =>
        new ValidatorNode({
          dataDir: join(dir, 'data'),
          genesis: init.genesis,
          modules: [governance, bank],
          secretKey: init.nodeKey.secretKey,
          clockOffsetMs: DAY,
        }),
      { code: 'NODE_CLOCK_CONTROL_REFUSED' },
    );
    const joining = mkdtempSync(join(tmpdir(), 'pujiang-clock-join-'));
    homes.push(joining);
    assert.throws(
      () =>
        joinHome({
          home: joining,
          genesisText: readFileSync(join(dir, 'genesis.json'), 'utf8'),
          testClock: true,
        }),
      { code: 'NODE_CLOCK_CONTROL_REFUSED' },
    );
  });
});
