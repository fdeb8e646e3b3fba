import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair, type SuiteId } from '@pujiang/crypto';
import {
  type ClientParameters,
  type ClientState,
  type ConsensusState,
  checkMisbehaviour,
  createClient,
  type HeaderSubmission,
  type UpdateOutcome,
  updateClient,
} from '../src/index.js';
import { ForeignChain } from './foreign-chain.js';

const HOUR = 3_600_000n;

/** A client on a host chain, driven as the module drives it: one consensus state per height. */
class Host {
  client: ClientState;
  readonly states = new Map<number, ConsensusState>();
  now: bigint;

  constructor(
    readonly chain: ForeignChain,
    params: Partial<ClientParameters> = {},
  ) {
    this.now = chain.time + 1_000n;
    const created = createClient(
      {
        chainId: chain.chainId,
        chainHash: chain.chainHash,
        trustingPeriodMs: 24n * HOUR,
        maxClockDriftMs: 10_000n,
        ...params,
      },
      chain.submission(chain.height),
      { now: this.now },
    );
    this.client = created.client;
    this.states.set(created.consensus.height, created.consensus);
  }

  update(s: HeaderSubmission): UpdateOutcome {
    const outcome = updateClient(
      this.client,
      this.states.get(this.client.latestHeight)!,
      (h) => this.states.get(h),
      s,
      { now: this.now },
    );
    if (outcome.kind === 'updated') {
      this.client = outcome.client;
      this.states.set(outcome.consensus.height, outcome.consensus);
    }
    if (outcome.kind === 'frozen') this.client = outcome.client;
    return outcome;
  }

  /** Advances the other chain `n` blocks and this host's clock with it. */
  advance(n: number): number {
    for (let i = 0; i < n; i++) this.chain.next();
    this.now = this.chain.time + 1_000n;
    return this.chain.height;
  }
}

const refused = (code: string) => ({ code });

describe('light clients of other chains', () => {
  for (const [suite, hash] of [
    ['sm2', 'sm3'],
    ['ed25519', 'sha256'],
    ['sm2+ml-dsa-65', 'sm3'],
  ] as [SuiteId, 'sm3' | 'sha256'][]) {
    it(`${suite} chain (${hash}): consecutive and skipping updates with proven validator sets`, () => {
      const chain = ForeignChain.withSuite(`sector-${suite}`, hash, suite);
      chain.next();
      const host = new Host(chain);
      // Consecutive: the set of height 2 was proven under header 1.
      host.advance(1);
      assert.equal(host.update(chain.submission(2)).kind, 'updated');
      // Skipping 8 heights: the same validators, over a third of the trusted power.
      const h = host.advance(8);
      assert.equal(host.update(chain.submission(h)).kind, 'updated');
      assert.equal(host.client.latestHeight, h);
      // The same header again (a second relayer): nothing to do.
      assert.equal(host.update(chain.submission(h)).kind, 'known');
      const held = host.states.get(h)!;
      assert.deepEqual(held.stateRoot, chain.header(h).stateRoot);
    });
  }

  it('follows a validator-set change by its proof; the old set signing after the change is refused', () => {
    const chain = ForeignChain.withSuite('customs', 'sm3', 'sm2');
    chain.next();
    const host = new Host(chain);
    const old = chain.keys;
    const fresh = Array.from({ length: 4 }, () => generateKeyPair('sm2'));
    chain.changeValidators(fresh);
    const k = host.advance(1); // the change's block; the new set signs from k + 2
    assert.equal(host.update(chain.submission(k)).kind, 'updated');
    host.advance(1);
    // Header k+1 proves the set of k+2: the new one.
    assert.equal(host.update(chain.submission(k + 1)).kind, 'updated');
    assert.deepEqual(host.states.get(k + 1)!.nextValidators![0]!.publicKey, fresh[0]!.publicKey);
    host.advance(1);
    // The old set signs a header of k+2: not the proven set.
    assert.throws(() => host.update(chain.forge(k + 2, old)), refused('XCHAIN_VALIDATORS_MISMATCH'));
    assert.equal(host.update(chain.submission(k + 2)).kind, 'updated');
    // Later, skipping: the old set's signatures carry none of the trusted power.
    const later = host.advance(5);
    assert.throws(() => host.update(chain.forge(later, old)), refused('XCHAIN_UNTRUSTED_VALIDATORS'));
    assert.equal(host.update(chain.submission(later)).kind, 'updated');
  });

  it('refuses a minority certificate, another chain, forged and tampered headers', () => {
    const chain = ForeignChain.withSuite('finance', 'sha256', 'ed25519');
    chain.next();
    const host = new Host(chain);
    const h = host.advance(3);
    const good = chain.submission(h);
    // Two of four validators: not more than 2/3.
    const minority = { ...good, certificate: chain.certify(chain.header(h), chain.keys, [0, 1]) };
    assert.throws(() => host.update(minority), refused('XCHAIN_BAD_CERTIFICATE'));
    // A header altered after signing.
    const tampered = { ...good, header: { ...chain.header(h), txCount: 7 } };
    assert.throws(() => host.update(tampered), refused('XCHAIN_BAD_CERTIFICATE'));
    // Strangers certifying a header with a set of their own: none of the trusted power signed.
    const strangers = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
    assert.throws(() => host.update(chain.forge(h, strangers)), refused('XCHAIN_UNTRUSTED_VALIDATORS'));
    // Another chain's header.
    const other = ForeignChain.withSuite('other', 'sha256', 'ed25519');
    other.next();
    assert.throws(() => host.update(other.submission(1)), refused('XCHAIN_WRONG_CHAIN'));
    // A validator-set proof under another header's root.
    assert.throws(
      () => host.update({ ...good, nextValidatorsRead: chain.read(1) }),
      refused('XCHAIN_BAD_PROOF'),
    );
    assert.equal(host.update(good).kind, 'updated');
  });

  it('a relayer cannot choose the set the client trusts: offered powers are used for one certificate, the proven set is what is trusted next', () => {
    const chain = ForeignChain.withSuite('relabel', 'sha256', 'ed25519');
    chain.next();
    const host = new Host(chain);
    const h = host.advance(3);
    // A real header, skipped to, offered with validator 0's power inflated: two of four real
    // validators signed (over 1/3 of the trusted power), and the certificate verifies against
    // the offered powers, so the header (genuine) is accepted ...
    const relabelled = chain
      .submission(h)
      .validators.map((v, i) => (i === 0 ? { ...v, power: 1_000_000 } : v));
    const offered = {
      ...chain.submission(h),
      validators: relabelled,
      certificate: chain.certify(chain.header(h), chain.keys, [0, 1]),
    };
    assert.equal(host.update(offered).kind, 'updated');
    // ... but what the client trusts for h + 1 is the set proven under h, not the offered one.
    assert.deepEqual(
      host.states.get(h)!.nextValidators!.map((v) => v.power),
      chain.submission(h).validators.map((v) => v.power),
    );
    // So validator 0 alone, with its inflated power, cannot certify the next header.
    host.advance(1);
    const alone = {
      ...chain.submission(h + 1),
      validators: relabelled,
      certificate: chain.certify(chain.header(h + 1), chain.keys, [0]),
    };
    assert.throws(() => host.update(alone), refused('XCHAIN_VALIDATORS_MISMATCH'));
    // A submission without the validator-set read is refused outright.
    const { nextValidatorsRead: _read, ...unproven } = chain.submission(h + 1);
    assert.throws(() => host.update(unproven as never), refused('XCHAIN_BAD_PROOF'));
    // Powers beyond 2^40 (sums would lose precision) are refused.
    const huge = { ...chain.submission(h + 1) };
    const heavy = { ...huge, validators: huge.validators.map((v) => ({ ...v, power: 2 ** 41 })) };
    assert.throws(() => host.update(heavy), refused('XCHAIN_BAD_CERTIFICATE'));
    assert.equal(host.update(chain.submission(h + 1)).kind, 'updated');
  });

  it('refuses old headers, headers from the future and, past the trusting period, everything', () => {
    const chain = ForeignChain.withSuite('carbon', 'sm3', 'sm2');
    chain.next();
    const host = new Host(chain, { trustingPeriodMs: 60_000n, maxClockDriftMs: 5_000n });
    host.advance(4);
    assert.equal(host.update(chain.submission(5)).kind, 'updated');
    // Below the latest and never held.
    assert.throws(() => host.update(chain.submission(3)), refused('XCHAIN_HEADER_OLD'));
    // Timed beyond the host's clock plus the drift.
    chain.next(60_000n);
    assert.throws(() => host.update(chain.submission(6)), refused('XCHAIN_HEADER_FUTURE'));
    // Past the trusting period since header 5, the client is expired.
    host.now = chain.time + 1_000n;
    assert.throws(() => host.update(chain.submission(6)), refused('XCHAIN_CLIENT_EXPIRED'));
  });

  it('two certified headers of one height freeze the client; it then accepts nothing', () => {
    const chain = ForeignChain.withSuite('trade', 'sha256', 'ed25519');
    chain.next();
    const host = new Host(chain);
    const h = host.advance(2);
    // Evidence any relayer can submit: the real header and another, both certified by the set.
    const conflicting = chain.forge(h, chain.keys);
    const frozen = checkMisbehaviour(
      host.client,
      host.states.get(host.client.latestHeight)!,
      chain.submission(h),
      conflicting,
      { now: host.now },
    );
    assert.equal(frozen.frozenHeight, h);
    // Not misbehaviour: the same header twice, or two heights.
    const latest = host.states.get(host.client.latestHeight)!;
    assert.throws(
      () =>
        checkMisbehaviour(host.client, latest, chain.submission(h), chain.submission(h), { now: host.now }),
      refused('XCHAIN_NOT_MISBEHAVIOUR'),
    );
    // A conflict with a header the client holds freezes it through an update too.
    assert.equal(host.update(chain.submission(h)).kind, 'updated');
    assert.equal(host.update(conflicting).kind, 'frozen');
    host.advance(1);
    assert.throws(() => host.update(chain.submission(h + 1)), refused('XCHAIN_CLIENT_FROZEN'));
  });
});
