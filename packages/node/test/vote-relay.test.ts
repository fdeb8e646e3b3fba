import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { advanceValidatorSet, newValidatorSet, proposerOf } from '@pujiang/consensus';
import { generateKeyPair } from '@pujiang/crypto';
import { decodeWire } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { until } from './helpers.js';
import { Bus, equalValidatorsGenesis, startOnBus } from './memory-bus.js';

/** The round-0 proposer of a height, for four validators of equal power (the chain's rotation). */
function proposerAt(height: number): number {
  let set = newValidatorSet([10, 10, 10, 10]);
  for (let h = 1; h < height; h++) set = advanceValidatorSet(set);
  return proposerOf(set, 0);
}

/**
 * The lock that only one survivor can justify. At height H the proposer P sends its block to
 * A and B1 but not B2, and its prevote to A alone, then crashes. A sees three prevotes (P, A,
 * B1) and locks on the block; B1 and B2 never see P's prevote. From then on A prevotes nothing
 * but its locked block, and when A proposes it again (valid round 0) the others cannot check
 * its proof of lock unless someone gives them P's prevote: without the votes of a round
 * travelling on request, the three survivors (30 of 40 power) go through rounds for ever.
 */
describe('a validator that crashed after only one peer heard its prevote', () => {
  const keys = Array.from({ length: 4 }, () => generateKeyPair('ed25519'));
  const genesis = equalValidatorsGenesis('vote-relay', keys);
  const dirs: string[] = [];
  const bus = new Bus();
  after(async () => {
    for (const node of bus.nodes.values()) await node.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('does not stop the other three: the survivor that locked gives the others the prevote they lack', async () => {
    const H = 3;
    const p = proposerAt(H);
    const [a, b1, b2] = [1, 2, 3].map((k) => `v${(p + k) % 4}`);
    const victim = `v${p}`;
    let lockFormed = false;
    let proposed: string | undefined;
    bus.drop = (from, to, payload) => {
      if (from !== victim) return false;
      const m = decodeWire(payload);
      if (m.type === 'block') return to === b2 && !lockFormed; // B2 never gets the block from P
      if (m.type === 'proposal' && Number(m.value.height) === H) {
        proposed = bytesToHex(m.value.value);
        return to === b2;
      }
      if (m.type === 'vote' && Number(m.value.height) === H) {
        if (m.value.type === 'precommit') return true;
        if (to !== a) return true;
        lockFormed = true; // P's prevote reaches A, and P crashes right after
        setImmediate(() => bus.down.add(victim));
        return false;
      }
      return false;
    };
    for (let i = 0; i < 4; i++) startOnBus(bus, i, { key: keys[i]!, genesis, modules: [], dirs });
    const survivors = [a, b1, b2].map((name) => bus.nodes.get(name)!);
    await until(() => (lockFormed && bus.down.has(victim) ? true : undefined), 20_000);
    // Height H is decided without P, by the three, and the chain goes on after it.
    await until(() => (survivors.every((n) => n.chain.height >= BigInt(H + 2)) ? true : undefined), 30_000);
    const decided = survivors.map((n) => n.chain.certificate(BigInt(H))!);
    assert.equal(new Set(decided.map((c) => c.value)).size, 1, 'one block at H');
    // A was locked on P's block in round 0, so that is the block decided, in a later round.
    assert.equal(decided[0]!.value, proposed);
    assert.ok(decided[0]!.round > 0, `decided in round ${decided[0]!.round}`);
    for (const node of survivors) assert.equal(node.driver.failure, undefined);
  });
});
