import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { genesisToJson, parseGenesis } from '@pujiang/protocol';
import type { Chain } from '../src/chain/chain.js';
import {
  allowsClockControl,
  genesisHash,
  MAX_CLOCK_OFFSET_MS,
  NodeClock,
  parseConfig,
} from '../src/index.js';
import type { Mempool } from '../src/mempool/mempool.js';
import { Pacing } from '../src/validator/pacing.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/legacy-chain.json');
const legacy = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { genesis: Record<string, unknown> }).genesis;
const DAY = 24 * 3600 * 1000;

/** A wall clock the test sets. */
function wall(start: number) {
  const w = { at: start, read: () => w.at };
  return w;
}

describe('the node clock', () => {
  it('reads the wall clock plus its offset, and never goes backwards when the wall clock does', () => {
    const w = wall(1_000_000);
    const clock = new NodeClock(true, 5_000, w.read);
    assert.equal(clock.now(), 1_005_000n);
    w.at = 1_000_100;
    assert.equal(clock.now(), 1_005_100n);
    w.at = 900_000; // stepped back (NTP): the reading holds
    assert.equal(clock.now(), 1_005_100n);
    w.at = 1_000_200;
    assert.equal(clock.now(), 1_005_200n);
  });

  it('moves forward by advanceMs, to offsetMs, or to timeMs, telling listeners; never backwards', () => {
    const w = wall(1_000_000);
    const clock = new NodeClock(true, 0, w.read);
    let changes = 0;
    clock.onChange(() => changes++);
    assert.equal(clock.advance(3 * DAY), 3 * DAY);
    assert.equal(clock.now(), BigInt(1_000_000 + 3 * DAY));
    assert.equal(clock.setOffset(4 * DAY), 4 * DAY);
    assert.equal(clock.setTime(1_000_000 + 5 * DAY), 5 * DAY);
    assert.equal(clock.now(), BigInt(1_000_000 + 5 * DAY));
    assert.equal(changes, 3);
    assert.equal(clock.advance(0), 5 * DAY);
    assert.equal(changes, 3, 'no change, no call');

    assert.throws(() => clock.advance(-1), { code: 'NODE_CLOCK_BACKWARDS' });
    assert.throws(() => clock.setOffset(4 * DAY), { code: 'NODE_CLOCK_BACKWARDS' });
    assert.throws(() => clock.setTime(1_000_000 + 4 * DAY), { code: 'NODE_CLOCK_BACKWARDS' });
    for (const bad of [1.5, Number.NaN, 2 ** 60])
      assert.throws(() => clock.advance(bad), { code: 'NODE_CLOCK_OFFSET_INVALID' }, String(bad));
    assert.throws(() => clock.setOffset(MAX_CLOCK_OFFSET_MS + 1), { code: 'NODE_CLOCK_OFFSET_INVALID' });
    assert.throws(() => clock.advance(MAX_CLOCK_OFFSET_MS), { code: 'NODE_CLOCK_OFFSET_INVALID' });
    assert.equal(clock.offsetMs, 5 * DAY, 'refusals change nothing');
    assert.equal(changes, 3);
  });

  it('on a chain whose genesis does not allow it: no offset at start, no change later', () => {
    const plain = parseGenesis(legacy);
    assert.equal(allowsClockControl(plain), false);
    assert.throws(() => NodeClock.forGenesis(plain, 1), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
    const clock = NodeClock.forGenesis(plain);
    assert.equal(clock.offsetMs, 0);
    assert.throws(() => clock.advance(DAY), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
    assert.throws(() => clock.setOffset(DAY), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
    assert.throws(() => clock.setTime(Date.now() + DAY), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
    const test = parseGenesis({ ...legacy, testing: { clockControl: true } });
    assert.equal(NodeClock.forGenesis(test, DAY).offsetMs, DAY);
    // clockControl false is a test chain's genesis too, but allows nothing.
    const off = parseGenesis({ ...legacy, testing: { clockControl: false } });
    assert.throws(() => NodeClock.forGenesis(off, 1), { code: 'NODE_CLOCK_CONTROL_REFUSED' });
  });
});

describe('the genesis field testing.clockControl', () => {
  it('is absent from existing genesis documents, whose hashes stay what the build before it computed', () => {
    const plain = parseGenesis(legacy);
    assert.equal(plain.testing, undefined);
    assert.deepEqual(genesisToJson(plain), legacy);
    // Computed before the field existed (b02bd8e): the legacy fixture, and the same with enabledModules.
    assert.equal(genesisHash(plain), 'e42e4efed340cd55ab5772c139682afdc8f9c718a6ae45f0b842c54817aea6d6');
    const named = parseGenesis({ ...legacy, enabledModules: ['governance', 'bank', 'notary'] });
    assert.equal(genesisHash(named), 'e11f463a5adebccb24a13229dce5fcfeff098bc5a2a22f6fef165aa1a23f1339');
  });

  it('round-trips where present and makes another chain (another hash)', () => {
    const json = { ...legacy, testing: { clockControl: true } };
    const test = parseGenesis(json);
    assert.deepEqual(test.testing, { clockControl: true });
    assert.deepEqual(genesisToJson(test), json);
    assert.notEqual(genesisHash(test), genesisHash(parseGenesis(legacy)));
  });

  it('refuses any other shape with GENESIS_INVALID naming the field', () => {
    for (const testing of [true, null, [], {}, { clockControl: 'yes' }, { clockControl: true, extra: 1 }])
      assert.throws(
        () => parseGenesis({ ...legacy, testing }),
        (e: { code?: string; details?: { field?: string } }) =>
          e.code === 'GENESIS_INVALID' && e.details?.field === 'testing',
        JSON.stringify(testing),
      );
  });
});

describe('config.json testing', () => {
  it('is absent unless given; an offset and token digests when given', () => {
    assert.equal(parseConfig({}).testing, undefined);
    const digest = 'ab'.repeat(32);
    assert.deepEqual(parseConfig({ testing: { clockOffsetMs: DAY, clockTokenSha256: [digest] } }).testing, {
      clockOffsetMs: DAY,
      clockTokenSha256: [digest],
    });
    assert.deepEqual(parseConfig({ testing: {} }).testing, { clockOffsetMs: 0, clockTokenSha256: [] });
  });

  it('refuses a malformed section with CONFIG_INVALID naming the field', () => {
    const cases: [unknown, string][] = [
      [{ clockOffsetMs: -1 }, 'testing.clockOffsetMs'],
      [{ clockOffsetMs: MAX_CLOCK_OFFSET_MS + 1 }, 'testing.clockOffsetMs'],
      [{ clockOffsetMs: '1' }, 'testing.clockOffsetMs'],
      [{ clockTokenSha256: ['AB'.repeat(32)] }, 'testing.clockTokenSha256'],
      [{ clockTokenSha256: 'ab'.repeat(32) }, 'testing.clockTokenSha256'],
      [{ clockToken: 'secret' }, 'testing.clockToken'],
      [[], 'testing'],
    ];
    for (const [testing, field] of cases)
      assert.throws(
        () => parseConfig({ testing }),
        (e: { code?: string; details?: { field?: string } }) =>
          e.code === 'CONFIG_INVALID' && e.details?.field === field,
        JSON.stringify(testing),
      );
  });
});

/** Resolves true if `p` settles within `ms` (a bound, not a timing assertion). */
const settles = (p: Promise<void>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);

describe('pacing on the node clock', () => {
  /** An idle chain at height 5 (last block empty, nothing waiting), its last block at `lastBlockTime`. */
  function idle(intervalMs: number, lastBlockTime: bigint, clock: NodeClock): Pacing {
    const chain = {
      height: 5n,
      lastBlockTime,
      config: () => ({ emptyBlockIntervalMs: intervalMs }),
      header: () => ({ txCount: 0 }),
    } as unknown as Chain;
    const mempool = { size: 0, futureSize: 0 } as unknown as Mempool;
    return new Pacing(chain, mempool, clock);
  }

  it('an idle wait ends when the clock jumps past the interval, not when the wall clock gets there', async () => {
    const clock = new NodeClock(true);
    const pacing = idle(600_000, clock.now(), clock);
    const gate = pacing.gate();
    assert.equal(await settles(gate, 50), false, 'idle: waits for the ten-minute interval');
    clock.advance(DAY);
    assert.equal(await settles(gate, 10_000), true, 'the jump ends the wait');
    pacing.release();
  });

  it('a last block stamped ahead of this clock (another node jumped, or a restart without the offset) waits one interval, not until then', async () => {
    const clock = new NodeClock(true);
    const pacing = idle(100, clock.now() + BigInt(10 * DAY), clock);
    assert.equal(await settles(pacing.gate(), 10_000), true);
    pacing.release();
  });
});
