import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Signed, type Vote, voteSignBytes } from '@pujiang/consensus';
import { generateKeyPair, sign } from '@pujiang/crypto';
import type { Evidence } from '@pujiang/module-governance';
import { PujiangError } from '@pujiang/types';
import type { Chain } from '../src/chain/chain.js';
import type { Mempool } from '../src/mempool/mempool.js';
import { type EvidenceLedger, EvidenceReporter } from '../src/validator/evidence-reporter.js';
import { until } from './helpers.js';

const key = generateKeyPair('ed25519');
const vote = (value: string | null): Signed<Vote> => {
  const v: Vote = { type: 'precommit', height: 7, round: 0, value, validator: 1 };
  return { message: v, signature: sign(key.secretKey, voteSignBytes('reporter-test', v)).bytes };
};
const A = vote('aa'.repeat(32));
const B = vote(null);
const ID = '7/0/precommit/1';

/** A chain and mempool in memory: a submission is held until `include` records it, drops it or refuses it. */
class FakeLedger implements EvidenceLedger {
  recordedNow = false;
  heightNow = 10n;
  readonly mempool = new Set<string>();
  readonly submissions: { hash: string; expiresAt: bigint }[] = [];
  refuseNext: PujiangError[] = [];
  enabled = () => true;
  recorded = (_e: Evidence) => this.recordedNow;
  height = () => this.heightNow;
  pending = (hash: string) => this.mempool.has(hash);
  async submit(_e: Evidence, expiresAt: bigint): Promise<string> {
    const refusal = this.refuseNext.shift();
    if (refusal) throw refusal;
    const hash = `tx${this.submissions.length}`;
    this.submissions.push({ hash, expiresAt });
    this.mempool.add(hash);
    return hash;
  }
}

function reporter(ledger: EvidenceLedger, over: { maxAttempts?: number; random?: () => number } = {}) {
  const lines: string[] = [];
  const r = new EvidenceReporter({
    chain: undefined as unknown as Chain,
    mempool: undefined as unknown as Mempool,
    secretKey: key.secretKey,
    submit: async () => '',
    ledger,
    jitterMs: 20,
    checkMs: 5,
    log: (line) => lines.push(line),
    ...over,
  });
  return { r, lines };
}

describe('evidence reporter (unit)', () => {
  it('counts an equivocation reported only once the state records it; an expired or failed transaction is submitted again', async () => {
    const ledger = new FakeLedger();
    const { r } = reporter(ledger);
    try {
      r.report(A, B);
      r.report(B, A); // the same equivocation, reported again by the driver: followed once
      await until(() => ledger.submissions.length === 1 || undefined, 5_000);
      assert.equal(r.isRecorded(ID), false);
      // Included but failed in execution (it left the mempool, the state has nothing): retried.
      ledger.mempool.clear();
      await until(() => ledger.submissions.length === 2 || undefined, 5_000);
      // Expired while still in the mempool: retried too.
      ledger.heightNow = ledger.submissions[1]!.expiresAt + 1n;
      await until(() => ledger.submissions.length === 3 || undefined, 5_000);
      ledger.recordedNow = true;
      await until(() => r.isRecorded(ID) || undefined, 5_000);
      assert.equal(r.waiting, 0);
      assert.equal(r.submitted, 3);
      // Recorded: a later report of it submits nothing.
      r.report(A, B);
      assert.equal(r.waiting, 0);
    } finally {
      r.stop();
    }
  });

  it('skips what the state already records, and retries a refused submission a bounded number of times', async () => {
    const recorded = new FakeLedger();
    recorded.recordedNow = true;
    const first = reporter(recorded);
    first.r.report(A, B);
    await until(() => first.r.isRecorded(ID) || undefined, 5_000);
    assert.equal(recorded.submissions.length, 0);
    first.r.stop();

    const busy = new FakeLedger();
    busy.refuseNext = Array.from({ length: 10 }, () => new PujiangError('MEMPOOL_FULL', 'full'));
    const second = reporter(busy, { maxAttempts: 3 });
    second.r.report(A, B);
    await until(() => second.r.waiting === 0 || undefined, 5_000);
    assert.equal(busy.refuseNext.length, 7, 'three attempts, no more');
    assert.equal(second.r.isRecorded(ID), false);
    assert.ok(second.lines.some((l) => l.includes('giving up')));

    // A refusal governance gives for good (not a duplicate) is not retried.
    const stale = new FakeLedger();
    stale.refuseNext = [new PujiangError('GOV_EVIDENCE_STALE', 'too old')];
    const third = reporter(stale);
    third.r.report(A, B);
    await until(() => third.r.waiting === 0 || undefined, 5_000);
    assert.equal(stale.submissions.length, 0);
    assert.equal(stale.refuseNext.length, 0);
  });

  it('waits a random delay per node before its first submission, and stop cancels what waits', async () => {
    const ledger = new FakeLedger();
    const { r } = reporter(ledger, { random: () => 0.999 });
    const late = new EvidenceReporter({
      chain: undefined as unknown as Chain,
      mempool: undefined as unknown as Mempool,
      secretKey: key.secretKey,
      submit: async () => '',
      ledger,
      jitterMs: 60_000,
      random: () => 0.5,
    });
    r.report(A, B);
    late.report(A, B);
    await until(() => ledger.submissions.length === 1 || undefined, 5_000);
    // The node that drew a 30 s delay has not submitted; stopping it leaves nothing behind.
    assert.equal(late.waiting, 1);
    assert.equal(late.submitted, 0);
    late.stop();
    r.stop();
    assert.equal(late.waiting, 0);
  });
});
