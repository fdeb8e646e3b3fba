import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateKeyPair, getSuite, type KeyPair, VerifyPool } from '@pujiang/crypto';
import {
  type CommitCertificate,
  ConsensusDriver,
  type ConsensusMessage,
  checkCertificate,
  DurableSigner,
  newValidatorSet,
  proposalSignBytes,
  proposerOf,
  type TimeoutConfig,
  voteSignBytes,
} from '../src/index.js';

const CHAIN = 'driver-test';
const FAST: TimeoutConfig = {
  proposeMs: 150,
  proposeDeltaMs: 50,
  prevoteMs: 80,
  prevoteDeltaMs: 40,
  precommitMs: 80,
  precommitDeltaMs: 40,
};

function until(condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out waiting'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

/**
 * One validator driven by hand: no timers fire, no network, height 1 of a 4-validator set.
 * The test plays the other validators by signing their messages itself.
 */
function soloDriver(
  keys: KeyPair[],
  me: number,
  dataDir: string,
  sent: ConsensusMessage[] = [],
): ConsensusDriver {
  const set = newValidatorSet(keys.map(() => 1));
  return ConsensusDriver.start({
    chainId: CHAIN,
    dataDir,
    secretKey: keys[me]!.secretKey,
    timeouts: { ...FAST, proposeMs: 60_000, prevoteMs: 60_000, precommitMs: 60_000 },
    gossipMs: 60_000,
    setTimer: () => () => {},
    broadcast: (m) => sent.push(m),
    requestDecided: () => {},
    requestVotes: () => {},
    validatorsAt: () => ({ set, keys: keys.map((k) => k.publicKey) }),
    committedHeight: () => 0,
    buildValue: async () => 'ee'.repeat(32),
    validateValue: async () => true,
    commit: async () => {},
  });
}

/** A node around a driver: an in-memory block store and a hand-wired network. */
class TestNode {
  driver!: ConsensusDriver;
  blocks: CommitCertificate[] = [];
  connected = true;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'pujiang-driver-'));

  constructor(
    readonly key: KeyPair,
    readonly net: TestNode[],
    readonly keys: KeyPair[],
    readonly pool: VerifyPool,
  ) {}

  start(): void {
    const set = newValidatorSet(this.keys.map(() => 1));
    this.driver = ConsensusDriver.start({
      chainId: CHAIN,
      dataDir: this.dataDir,
      secretKey: this.key.secretKey,
      timeouts: FAST,
      setTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return () => clearTimeout(t);
      },
      broadcast: (m) => this.send(m),
      requestDecided: (from) => this.sync(from),
      requestVotes: (h) => this.sync(h),
      validatorsAt: () => ({ set, keys: this.keys.map((k) => k.publicKey) }),
      // Incoming signatures are checked on the worker pool, off the event loop.
      verify: (publicKey, message, signature) =>
        this.pool.verify({ suite: publicKey.suite, publicKey: publicKey.bytes, message, signature }),
      committedHeight: () => this.blocks.length,
      buildValue: async (h, r) =>
        createHash('sha256')
          .update(`${h}/${r}/${this.net.indexOf(this)}`)
          .digest('hex'),
      validateValue: async () => true,
      commit: async (certificate) => {
        const problem = checkCertificate(
          CHAIN,
          certificate,
          this.keys.map((k) => ({ publicKey: k.publicKey, power: 1 })),
          certificate.height,
        );
        assert.equal(problem, undefined);
        if (certificate.height === this.blocks.length + 1) this.blocks.push(certificate);
      },
    });
  }

  private send(message: ConsensusMessage): void {
    if (!this.connected) return;
    for (const peer of this.net)
      if (peer !== this && peer.connected && peer.driver) setImmediate(() => peer.driver.receive(message));
  }

  /** Block sync, simplified: copy decided blocks from the most advanced peer. */
  private sync(from: number): void {
    const best = this.net.reduce((a, b) => (b.blocks.length > a.blocks.length ? b : a));
    for (const certificate of best.blocks.slice(from - 1)) {
      if (certificate.height !== this.blocks.length + 1) continue;
      this.blocks.push(certificate);
      this.driver.synced(certificate);
    }
  }
}

describe('consensus driver with WAL and durable signer', () => {
  it('4 drivers decide heights; one stops and restarts from its data, catches up, and the chain agrees', async () => {
    const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
    const net: TestNode[] = [];
    const pool = new VerifyPool({ workers: 2 });
    for (const key of keys) net.push(new TestNode(key, net, keys, pool));
    for (const n of net) n.start();
    await until(() => net.every((n) => n.blocks.length >= 3));

    const victim = net[2]!;
    victim.driver.stop();
    victim.connected = false;
    const stoppedAt = victim.blocks.length;
    await until(() => net.filter((n) => n !== victim).every((n) => n.blocks.length >= stoppedAt + 3));

    victim.connected = true;
    victim.start();
    const target = Math.max(...net.map((n) => n.blocks.length)) + 2;
    await until(() => net.every((n) => n.blocks.length >= target));
    for (const n of net) n.driver.stop();
    await pool.close();

    for (let h = 0; h < target; h++) {
      const values = new Set(net.map((n) => n.blocks[h]!.value));
      assert.equal(values.size, 1, `nodes disagree at height ${h + 1}`);
    }
    assert.deepEqual(
      net.map((n) => n.driver.failure),
      [undefined, undefined, undefined, undefined],
    );
  });

  it('a restarted validator resumes with its lock and re-sends the same signature', async () => {
    const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
    const set = newValidatorSet([1, 1, 1, 1]);
    const proposer = proposerOf(set, 0);
    const me = (proposer + 1) % 4;
    const dataDir = mkdtempSync(join(tmpdir(), 'pujiang-lock-'));
    const sent: ConsensusMessage[] = [];
    const start = () => soloDriver(keys, me, dataDir, sent);
    const value = 'ab'.repeat(32);
    const proposal = { height: 1, round: 0, value, validRound: -1, proposer };
    const ed = getSuite('ed25519');
    let driver = start();
    driver.receive({
      kind: 'proposal',
      signed: {
        message: proposal,
        signature: ed.sign(keys[proposer]!.secretKey.bytes, proposalSignBytes(CHAIN, proposal)),
      },
    });
    for (const v of [0, 1, 2, 3].filter((i) => i !== me)) {
      const vote = { type: 'prevote' as const, height: 1, round: 0, value, validator: v };
      driver.receive({
        kind: 'vote',
        signed: { message: vote, signature: ed.sign(keys[v]!.secretKey.bytes, voteSignBytes(CHAIN, vote)) },
      });
    }
    // A forged vote (bad signature) must not count.
    driver.receive({
      kind: 'vote',
      signed: {
        message: { type: 'precommit', height: 1, round: 0, value, validator: proposer },
        signature: new Uint8Array(64),
      },
    });
    await until(() => driver.state.lockedRound === 0);
    await driver.idle();
    const precommit = sent.find((m) => m.kind === 'vote' && m.signed.message.type === 'precommit')!;
    assert.ok(precommit, 'no precommit was sent');
    assert.equal(
      driver.state.rounds.get(0)!.precommits.powerFor(value),
      1,
      'the forged precommit was counted',
    );

    driver.stop(); // as if the process died here: the WAL and signer record are on disk
    sent.length = 0;
    driver = start();
    await until(() => driver.state.lockedRound === 0 && sent.length > 0);
    await driver.idle();
    assert.equal(driver.state.lockedValue, value);
    const resent = sent.find((m) => m.kind === 'vote' && m.signed.message.type === 'precommit')!;
    assert.deepEqual(resent.signed.signature, precommit.signed.signature);
    assert.equal(driver.failure, undefined);
    driver.stop();
  });
});

describe('consensus driver: bad input and lost data', () => {
  const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
  const set = newValidatorSet([1, 1, 1, 1]);
  const proposer = proposerOf(set, 0);
  const me = (proposer + 1) % 4;
  const value = 'ab'.repeat(32);
  const ed = getSuite('ed25519');
  const signedPrevote = (v: number, round = 0, height = 1) => {
    const vote = { type: 'prevote' as const, height, round, value, validator: v };
    return {
      kind: 'vote' as const,
      signed: { message: vote, signature: ed.sign(keys[v]!.secretKey.bytes, voteSignBytes(CHAIN, vote)) },
    };
  };
  const solo = (dataDir: string) => soloDriver(keys, me, dataDir);

  it('malformed messages are dropped; the driver keeps working', async () => {
    const driver = solo(mkdtempSync(join(tmpdir(), 'pujiang-bad-')));
    const good = signedPrevote((me + 1) % 4);
    const bad: unknown[] = [
      null,
      { kind: 'vote' },
      {
        kind: 'vote',
        signed: { message: { ...good.signed.message, value: 'zz' }, signature: good.signed.signature },
      },
      {
        kind: 'vote',
        signed: { message: { ...good.signed.message, round: -1 }, signature: good.signed.signature },
      },
      {
        kind: 'vote',
        signed: { message: { ...good.signed.message, validator: 1.5 }, signature: good.signed.signature },
      },
      {
        kind: 'proposal',
        signed: {
          message: { height: 1, round: 0, value, validRound: -7, proposer },
          signature: new Uint8Array(64),
        },
      },
      { kind: 'gossip', signed: good.signed },
      { kind: 'vote', signed: { message: good.signed.message, signature: 'not bytes' } },
    ];
    for (const message of bad) driver.receive(message as ConsensusMessage);
    driver.receive(good);
    await until(() => (driver.state.rounds.get(0)?.prevotes.powerForAny ?? 0) === 1);
    await driver.idle();
    assert.equal(driver.failure, undefined);
    driver.stop();
  });

  it('re-sent copies and messages for other heights do not grow the WAL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pujiang-dup-'));
    const driver = solo(dataDir);
    const vote = signedPrevote((me + 1) % 4);
    driver.receive(vote);
    await until(() => (driver.state.rounds.get(0)?.prevotes.powerForAny ?? 0) === 1);
    await driver.idle();
    const walPath = join(dataDir, 'consensus.wal');
    const before = statSync(walPath).size;
    for (let i = 0; i < 200; i++) {
      driver.receive(vote);
      driver.receive(signedPrevote((me + 2) % 4, 0, 50)); // far-ahead height
      driver.receive({
        ...signedPrevote((me + 3) % 4),
        signed: { ...signedPrevote((me + 3) % 4).signed, signature: new Uint8Array(64) },
      }); // forged
    }
    await driver.idle();
    await new Promise((r) => setTimeout(r, 50));
    await driver.idle();
    assert.equal(statSync(walPath).size, before);
    assert.equal(driver.failure, undefined);
    driver.stop();
  });

  it('a node whose data was wiped but whose signer record survived refuses to re-sign and keeps running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pujiang-wiped-'));
    new DurableSigner(join(dataDir, 'signer.json'), keys[me]!.secretKey).sign(
      5,
      0,
      'prevote',
      value,
      new Uint8Array([1]),
    );
    const driver = solo(dataDir);
    // Height 1 again: a proposal arrives, the core wants to prevote, the signer says no (height 5 was reached).
    const proposal = { height: 1, round: 0, value, validRound: -1, proposer };
    driver.receive({
      kind: 'proposal',
      signed: {
        message: proposal,
        signature: ed.sign(keys[proposer]!.secretKey.bytes, proposalSignBytes(CHAIN, proposal)),
      },
    });
    await until(() => driver.refusedToSign > 0);
    await driver.idle();
    assert.equal(driver.failure, undefined);
    assert.equal(driver.state.step, 'prevote');
    driver.stop();
  });
});
