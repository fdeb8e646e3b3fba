import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Signed, type Vote, voteSignBytes } from '@pujiang/consensus';
import { generateKeyPair, type KeyPair, sign } from '@pujiang/crypto';
import { Evidence, evidenceFromVotes, GOVERNANCE_MODULE } from '@pujiang/module-governance';
import { evidenceRecorded } from '@pujiang/module-governance/chain';
import { CHAIN, consortium } from './governance-harness.js';

const BLOCK_A = 'aa'.repeat(32);
const BLOCK_B = 'bb'.repeat(32);

function signedVote(key: KeyPair, vote: Vote): Signed<Vote> {
  return { message: vote, signature: sign(key.secretKey, voteSignBytes(CHAIN, vote)).bytes };
}

const prevote = (height: number, value: string | null, over: Partial<Vote> = {}): Vote => ({
  type: 'prevote',
  height,
  round: 0,
  value,
  validator: 0,
  ...over,
});

/**
 * `governance/evidence` in execution: two conflicting votes of the set's validator are
 * recorded once, with an `evidence` event and a query; everything that is not a proven
 * equivocation of that height's set is refused with its code.
 */
describe('equivocation evidence on chain (governance/evidence)', () => {
  it('records a proven equivocation once, with its event, its query and its state key', async () => {
    const c = consortium();
    await c.skip(3);
    const v = c.validator.key;
    const evidence = evidenceFromVotes(signedVote(v, prevote(2, BLOCK_A)), signedVote(v, prevote(2, null)));
    const reporter = c.admin('tax');
    const receipt = await c.send(reporter, GOVERNANCE_MODULE, 'evidence', Evidence, evidence);
    assert.equal(receipt.code, 'OK', JSON.stringify(receipt));
    const event = receipt.events.find((e) => e.type === 'evidence');
    assert.ok(event);
    assert.equal(event.attributes.validator, c.validator.address);
    assert.equal(event.attributes.name, 'v0');
    assert.equal(event.attributes.height, '2');
    assert.equal(event.attributes.voteType, 'prevote');
    assert.equal(event.attributes.first, BLOCK_A);
    assert.equal(event.attributes.second, 'nil');
    assert.equal(event.attributes.reporter, reporter.address);

    const listed = c.query('evidence') as {
      id: string;
      validator: { address: string };
      first: { value: string };
    }[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.id, '1');
    assert.equal(listed[0]!.validator.address, c.validator.address);
    assert.equal(listed[0]!.first.value, BLOCK_A);

    // What a node checks before submitting the same evidence: the record is in the state.
    const read = c.executor.reader(c.root, GOVERNANCE_MODULE);
    assert.equal(evidenceRecorded(read, evidence), true);

    const again = await c.send(c.admin('customs'), GOVERNANCE_MODULE, 'evidence', Evidence, evidence);
    assert.equal(again.code, 'GOV_EVIDENCE_DUPLICATE');
    // The other order of the same two votes is the same equivocation.
    const swapped = { first: evidence.second, second: evidence.first };
    assert.equal(
      (await c.send(c.admin('customs'), GOVERNANCE_MODULE, 'evidence', Evidence, swapped)).code,
      'GOV_EVIDENCE_DUPLICATE',
    );
  });

  it('refuses what is not a proven equivocation of the set, each with its code', async () => {
    const c = consortium();
    await c.skip(5);
    const v = c.validator.key;
    const other = generateKeyPair('ed25519');
    const sender = c.admin('customs');
    const send = (first: Signed<Vote>, second: Signed<Vote>) =>
      c.send(sender, GOVERNANCE_MODULE, 'evidence', Evidence, evidenceFromVotes(first, second));
    const cases: [string, Signed<Vote>, Signed<Vote>][] = [
      ['GOV_EVIDENCE_INVALID', signedVote(v, prevote(3, BLOCK_A)), signedVote(v, prevote(3, BLOCK_A))],
      [
        'GOV_EVIDENCE_INVALID',
        signedVote(v, prevote(3, BLOCK_A)),
        signedVote(v, prevote(3, BLOCK_B, { round: 1 })),
      ],
      [
        'GOV_EVIDENCE_INVALID',
        signedVote(v, prevote(3, BLOCK_A)),
        signedVote(v, prevote(3, BLOCK_B, { type: 'precommit' })),
      ],
      [
        'GOV_EVIDENCE_BAD_SIGNATURE',
        signedVote(v, prevote(3, BLOCK_A)),
        signedVote(other, prevote(3, BLOCK_B)),
      ],
      [
        'GOV_EVIDENCE_UNKNOWN_VALIDATOR',
        signedVote(v, prevote(3, BLOCK_A, { validator: 4 })),
        signedVote(v, prevote(3, BLOCK_B, { validator: 4 })),
      ],
      ['GOV_EVIDENCE_STALE', signedVote(v, prevote(99, BLOCK_A)), signedVote(v, prevote(99, BLOCK_B))],
    ];
    for (const [code, first, second] of cases) assert.equal((await send(first, second)).code, code);
    assert.deepEqual(c.query('evidence'), []);

    // A signature over another chain's sign bytes does not verify here.
    const foreign = { ...prevote(3, BLOCK_B) };
    const forged: Signed<Vote> = {
      message: foreign,
      signature: sign(v.secretKey, voteSignBytes('another-chain', foreign)).bytes,
    };
    assert.equal((await send(signedVote(v, prevote(3, BLOCK_A)), forged)).code, 'GOV_EVIDENCE_BAD_SIGNATURE');

    // Someone who is not a member of this permissioned chain cannot submit at all.
    const outsider = c.member('tax', 'client');
    const refused = await c.send(
      { ...outsider, certificate: new Uint8Array() },
      GOVERNANCE_MODULE,
      'evidence',
      Evidence,
      evidenceFromVotes(signedVote(v, prevote(3, BLOCK_A)), signedVote(v, prevote(3, BLOCK_B))),
    );
    assert.equal(refused.code, 'MEMBER_UNKNOWN');
  });
});
