import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { deriveAddress } from '@pujiang/crypto';
import {
  commitmentsOf,
  Deal,
  dealContext,
  decodePoint,
  encodeCiphertext,
  encodePoint,
  encryptToKey,
  evaluate,
  G,
  PartialDecrypt,
  partialContext,
  proveEqualLogs,
  proveKnowledge,
  randomPolynomial,
  randomScalar,
  sealShare,
  shareContext,
  times,
} from '@pujiang/module-privacy';
import { readKeyFile } from '@pujiang/node';
import { type KeyPair, PujiangClient } from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { cliJson, governAlone } from './cli-json.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';

const PHASE = 12;

/**
 * The regulator committee on a real SM2 validator: a key generation with a cheating dealer
 * caught by a complaint and made to reveal, a committee round decrypted by 2 of 3 members
 * (1 cannot; a wrong partial is refused naming its author), then a resharing to a changed
 * committee that keeps the key and opens a regulator's flagged record.
 */
describe('privacy: the regulator committee decrypts by threshold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-committee-'));
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  const members: { file: string; state: string; key: KeyPair; address: string }[] = [];
  let auditor: string;
  let outsider: string;
  let publicKey: string;

  const cli = (...argv: string[]) => cliJson(node.api)(...argv);
  const height = async () => (await client.getStatus()).height;
  const untilHeight = (h: number) => until(async () => (await height()) >= h, 60_000);
  const committee = async () => (await cli('privacy', 'committee', 'show')).json;

  /** A proposal of the one founding organization: approved at once, executed after the time-lock. */
  const govern = (...args: string[]) => governAlone(cli, init.operatorKey, ...args);

  /** Governance sets the committee: one founding organization, so the proposal passes at once. */
  async function setCommittee(addresses: string[], threshold: number) {
    const param = await cli(
      'privacy',
      'committee',
      'param',
      ...addresses.flatMap((a) => ['--member-address', a]),
      '--threshold',
      String(threshold),
      '--phase-blocks',
      String(PHASE),
    );
    assert.equal(param.code, 0, param.err);
    await govern('set-param', '--module', 'privacy', '--name', 'committee', '--value', param.json.value);
  }

  before(async () => {
    init = initHome('sm2');
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
    const chainHash = (await client.getStatus()).chainHash;
    // Regulators and auditors act in the privacy module (the default policy admits admins and clients).
    await govern(
      'set-policy',
      '--resource',
      'privacy/*',
      '--policy',
      '{"rule":"any","roles":["admin","client","regulator","auditor"]}',
    );
    for (let i = 1; i <= 4; i++) {
      const file = await registerClient(init.home, node.api, dir, 'sm2', `member${i}`, 'regulator');
      const key = readKeyFile(file);
      members.push({
        file,
        state: join(dir, `member${i}.state.json`),
        key,
        address: bytesToHex(deriveAddress(chainHash, key.publicKey)),
      });
    }
    auditor = await registerClient(init.home, node.api, dir, 'sm2', 'auditor', 'auditor');
    outsider = await registerClient(init.home, node.api, dir, 'sm2', 'teller', 'client');
    for (const m of members) {
      assert.equal((await cli('privacy', 'committee', 'init', '--member', m.state)).code, 0);
      const registered = await cli('privacy', 'committee', 'register', '--member', m.state, '--key', m.file);
      assert.equal(registered.code, 0, registered.err);
    }
  });
  after(async () => {
    node.child.kill('SIGTERM');
    await node.exited;
    rmSync(dir, { recursive: true, force: true });
    rmSync(init.home, { recursive: true, force: true });
  });

  it('generates the key; a cheating dealer is caught by a complaint and must reveal the share', async () => {
    const [m1, m2, m3] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    await setCommittee([m1.address, m2.address, m3.address], 2);
    for (const m of [m1, m2]) {
      const dealt = await cli('privacy', 'committee', 'deal', '--member', m.state, '--key', m.file);
      assert.equal(dealt.code, 0, dealt.err);
    }
    // Member 3 deals a wrong share to member 1 (and keeps its polynomial, as the CLI would).
    const { chainId } = await client.getStatus();
    const epoch = (await committee()).latest;
    const poly = randomPolynomial(2);
    const e = randomScalar();
    const shares = epoch.memberKeys.map((k: string, i: number) =>
      sealShare(
        evaluate(poly, i + 1) + (i === 0 ? 1n : 0n),
        decodePoint(hexToBytes(k), 'k'),
        e,
        i + 1,
        shareContext(chainId, epoch.number, 3),
      ),
    );
    const deal = {
      epoch: epoch.number,
      commitments: commitmentsOf(poly).map(encodePoint),
      ephemeral: encodePoint(times(G, e)),
      shares,
      proof: proveKnowledge(
        G,
        poly.coefficients[0] as bigint,
        dealContext(chainId, epoch.number, m3.address),
      ),
    };
    const sent = await client.sendTransaction({
      key: m3.key,
      module: 'privacy',
      type: 'deal',
      payload: encode(Deal, deal),
      gasLimit: 2_000_000,
      wait: true,
    });
    assert.equal(sent.result.receipt?.code, 'OK');
    const state = JSON.parse(readFileSync(m3.state, 'utf8'));
    state.dealt[String(epoch.number)] = poly.coefficients.map((c) =>
      Buffer.from(encodeScalarLE(c)).toString('hex'),
    );
    writeFileSync(m3.state, JSON.stringify(state));

    const start = Number((await committee()).latest.start);
    // A complaint before the complaint phase is refused.
    const early = await cli(
      'privacy',
      'committee',
      'check',
      '--member',
      m1.state,
      '--key',
      m1.file,
      '--complain',
    );
    assert.match(early.err, /PRIVACY_WRONG_PHASE/);
    await untilHeight(start + PHASE);
    const checked = await cli(
      'privacy',
      'committee',
      'check',
      '--member',
      m1.state,
      '--key',
      m1.file,
      '--complain',
    );
    assert.equal(checked.code, 1);
    assert.match(checked.out, /"badDealers": \[\s*3\s*\]/);
    assert.equal(
      (await cli('privacy', 'committee', 'check', '--member', m2.state, '--key', m2.file)).code,
      0,
    );
    const answered = await cli('privacy', 'committee', 'answer', '--member', m3.state, '--key', m3.file);
    assert.equal(answered.code, 0, answered.err);
    const complaints = (await committee()).latest.complaints;
    assert.deepEqual(
      complaints.map((c: { dealer: number; receiver: number; resolved: boolean }) => [
        c.dealer,
        c.receiver,
        c.resolved,
      ]),
      [[3, 1, true]],
    );

    await untilHeight(start + 3 * PHASE);
    const finalized = await cli('privacy', 'committee', 'finalize', '--key', m1.file);
    assert.equal(finalized.code, 0, finalized.err);
    const done = (await committee()).current;
    assert.equal(done.status, 'done');
    assert.deepEqual(done.qualified, [1, 2, 3]);
    publicKey = done.publicKey;
    for (const m of [m1, m2, m3])
      assert.equal(
        (await cli('privacy', 'committee', 'share', '--member', m.state, '--key', m.file)).code,
        0,
      );
  });

  it('2 of 3 members decrypt a round total; 1 cannot; a wrong partial is refused naming its author', async () => {
    const [m1, m2, m3] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    const h = await height();
    const opened = await cli(
      'privacy',
      'round',
      'open',
      'turnover',
      '--scheme',
      'committee',
      '--org',
      'org0',
      '--closes-at',
      String(h + 10_000),
      '--key',
      init.operatorKey,
    );
    assert.equal(opened.code, 0, opened.err);
    for (const [file, value] of [
      [init.operatorKey, '100'],
      [m1.file, '250'],
      [outsider, '650'],
    ] as const) {
      const submitted = await cli('privacy', 'round', 'submit', 'turnover', '--value', value, '--key', file);
      assert.equal(submitted.code, 0, submitted.err);
    }
    assert.equal((await cli('privacy', 'round', 'close', 'turnover', '--key', init.operatorKey)).code, 0);
    const blind = join(dir, 'turnover.blind.json');
    const asked = await cli(
      'privacy',
      'decrypt',
      'request',
      'turnover-total',
      '--round',
      'turnover',
      '--reason',
      'Q4 turnover',
      '--blind-out',
      blind,
      '--key',
      init.operatorKey,
    );
    assert.equal(asked.code, 0, asked.err);
    assert.equal(
      (await cli('privacy', 'decrypt', 'partial', 'turnover-total', '--member', m1.state, '--key', m1.file))
        .code,
      0,
    );
    const one = await cli('privacy', 'decrypt', 'finish', 'turnover-total', '--blind', blind);
    assert.notEqual(one.code, 0);
    assert.match(one.err, /does not have its partials yet/);
    assert.equal((await cli('privacy', 'decrypt', 'show', 'turnover-total')).json.request.combined, null);

    // Member 3 answers with a share that is not s_3·blinded: the chain refuses it and names member 3.
    const { chainId } = await client.getStatus();
    const request = (await cli('privacy', 'decrypt', 'show', 'turnover-total')).json.request;
    const wrong = randomScalar();
    const base = decodePoint(hexToBytes(request.blinded), 'blinded');
    const forged = await client.sendTransaction({
      key: m3.key,
      module: 'privacy',
      type: 'partialDecrypt',
      gasLimit: 2_000_000,
      wait: true,
      throwOnFailure: false,
      payload: encode(PartialDecrypt, {
        request: 'turnover-total',
        share: encodePoint(times(base, wrong)),
        proof: proveEqualLogs(G, base, wrong, partialContext(chainId, 'turnover-total', 3)),
      }),
    });
    assert.equal(forged.result.receipt?.code, 'PRIVACY_BAD_PARTIAL');
    assert.match(forged.result.receipt?.message ?? '', new RegExp(m3.address));

    assert.equal(
      (await cli('privacy', 'decrypt', 'partial', 'turnover-total', '--member', m2.state, '--key', m2.file))
        .code,
      0,
    );
    const finished = await cli(
      'privacy',
      'decrypt',
      'finish',
      'turnover-total',
      '--blind',
      blind,
      '--publish',
      '--key',
      init.operatorKey,
    );
    assert.equal(finished.code, 0, finished.err);
    assert.equal(finished.json.value, '1000');
    assert.equal((await cli('privacy', 'round', 'show', 'turnover')).json.round.result.value, '1000');
  });

  it('reshares to a changed committee: the key stays, a removed member is refused, an auditor with a mandate opens a flagged record', async () => {
    const [m1, m2, m3, m4] = members as [
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
    ];
    await setCommittee([m2.address, m3.address, m4.address], 2);
    for (const m of [m1, m2])
      assert.equal((await cli('privacy', 'committee', 'deal', '--member', m.state, '--key', m.file)).code, 0);
    const epoch = (await committee()).latest;
    assert.equal(epoch.previous, 1);
    await untilHeight(Number(epoch.start) + 3 * PHASE);
    assert.equal((await cli('privacy', 'committee', 'finalize', '--key', m2.file)).code, 0);
    const current = (await committee()).current;
    assert.equal(current.number, 2);
    assert.equal(current.publicKey, publicKey);
    for (const m of [m2, m3, m4])
      assert.equal(
        (await cli('privacy', 'committee', 'share', '--member', m.state, '--key', m.file)).code,
        0,
      );

    // A record encrypted to the committee key: 7,777,777 flagged by an auditor.
    const { ciphertext } = encryptToKey(
      decodePoint(hexToBytes(publicKey), 'pk'),
      7_777_777n,
      new Uint8Array(0),
    );
    const record = bytesToHex(encodeCiphertext(ciphertext));
    const blind = join(dir, 'flag.blind.json');
    // Opening records is a governance mandate: the auditors of org0 get it by proposal.
    await govern(
      'set-read-permission',
      '--org',
      'org0',
      '--role',
      'auditor',
      '--resource',
      'privacy/records',
    );
    const teller = await cli(
      'privacy',
      'decrypt',
      'request',
      'flag-1',
      '--record',
      record,
      '--reason',
      'suspicious transfer',
      '--blind-out',
      join(dir, 'teller.blind.json'),
      '--key',
      outsider,
    );
    assert.match(teller.err, /PRIVACY_NOT_AUTHORIZED/);
    const asked = await cli(
      'privacy',
      'decrypt',
      'request',
      'flag-1',
      '--record',
      record,
      '--reason',
      'suspicious transfer',
      '--blind-out',
      blind,
      '--key',
      auditor,
    );
    assert.equal(asked.code, 0, asked.err);
    const removed = await cli(
      'privacy',
      'decrypt',
      'partial',
      'flag-1',
      '--member',
      m1.state,
      '--key',
      m1.file,
    );
    assert.notEqual(removed.code, 0);
    assert.match(removed.err, /PRIVACY_NOT_MEMBER|no share of the committee in force/);
    for (const m of [m3, m4])
      assert.equal(
        (await cli('privacy', 'decrypt', 'partial', 'flag-1', '--member', m.state, '--key', m.file)).code,
        0,
      );
    const finished = await cli('privacy', 'decrypt', 'finish', 'flag-1', '--blind', blind);
    assert.equal(finished.json.value, '7777777');
    // Not published: the chain holds no plaintext of the record.
    assert.equal((await cli('privacy', 'decrypt', 'show', 'flag-1')).json.request.value, null);
  });
});

function encodeScalarLE(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
