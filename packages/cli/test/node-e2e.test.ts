import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueMemberCertificate, loadOrganization, readKeyFile } from '@pujiang/node';
import {
  addressOf,
  eventStream,
  generateKeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  registerIdentity,
  VerificationError,
} from '@pujiang/sdk';
import { api, initHome, type NodeProcess, runCliProcess, startNodeProcess } from './node-harness.js';

describe('one SM2/SM3 validator end to end: real process, HTTP API, SDK, CLI', () => {
  const init = initHome('sm2');
  const genesis = parseGenesis(JSON.parse(readFileSync(init.genesis, 'utf8')));
  const operator = readKeyFile(init.operatorKey);
  const alice = generateKeyPair('sm2');
  const hybrid = generateKeyPair('sm2+ml-dsa-65');
  const aliceAddress = addressOf('sm3', alice);
  let node: NodeProcess;
  let client: PujiangClient;
  let light: LightClient;

  before(async () => {
    node = await startNodeProcess(init.home);
    client = new PujiangClient({ url: node.api });
    light = new LightClient({ client, genesis });
  });
  after(async () => {
    node.child.kill('SIGTERM');
    await node.exited;
  });

  it('transfers commit; balances, transactions and receipts verify against certified headers', async () => {
    const amounts = [500n, 250n, 125n];
    for (const amount of amounts) {
      const sent = await client.sendTransfer({ key: operator, to: aliceAddress, amount, wait: true });
      assert.equal(sent.result.status, 'committed');
      assert.equal(sent.result.receipt?.code, 'OK');
    }
    // A post-quantum hybrid account (accepted by this genesis) pays too, once its organization
    // certified it and it registered (this chain is permissioned).
    const certificate = issueMemberCertificate(loadOrganization(join(init.home, 'org')), {
      publicKey: hybrid.publicKey,
      role: 'client',
      commonName: 'hybrid client',
    });
    const registered = await registerIdentity(client, { key: hybrid, certificate, wait: true });
    assert.equal(registered.result.receipt?.code, 'OK');
    await client.sendTransfer({ key: operator, to: addressOf('sm3', hybrid), amount: 40n, wait: true });
    const fromHybrid = await client.sendTransfer({ key: hybrid, to: aliceAddress, amount: 15n, wait: true });
    assert.equal(fromHybrid.result.receipt?.code, 'OK');
    // The proof of the newest state needs the next header: wait for it.
    const committedAt = fromHybrid.result.height!;
    await client.waitForTx(fromHybrid.hash);
    let balance = await light.getVerifiedBalance(aliceAddress);
    for (let i = 0; i < 100 && balance.height <= committedAt; i++) {
      await new Promise((r) => setTimeout(r, 50));
      balance = await light.getVerifiedBalance(aliceAddress);
    }
    assert.equal(balance.balance, 890n);
    const verified = await light.getVerifiedTransaction(fromHybrid.hash);
    assert.equal(verified.height, committedAt);
    assert.equal(verified.receipt?.code, 'OK');
    assert.equal(verified.tx.body.suite, 'sm2+ml-dsa-65');
  });

  it('a light client pinned to another validator set refuses the node’s headers', async () => {
    const other = { ...genesis, validators: [{ publicKey: generateKeyPair('sm2').publicKey, power: 10 }] };
    const fooled = new LightClient({ client, genesis: other });
    await assert.rejects(fooled.getVerifiedBalance(aliceAddress), (e: unknown) => {
      assert.ok(e instanceof VerificationError);
      assert.equal(e.code, 'SDK_VERIFICATION_FAILED');
      assert.equal(e.check, 'certificate');
      return true;
    });
  });

  it('event subscriptions replay from a height and stream new transfers', async () => {
    const stream = eventStream({
      url: node.api,
      fromHeight: 1,
      module: 'bank',
      type: 'transfer',
      attributes: { to: aliceAddress },
    });
    const seen: string[] = [];
    let caughtUp = false;
    let sending: Promise<unknown> | undefined;
    for await (const message of stream) {
      if (message.type === 'event') seen.push(message.event.attributes.amount!);
      if (message.type === 'caughtUp' && !caughtUp) {
        caughtUp = true;
        assert.deepEqual(seen, ['500', '250', '125', '15']);
        sending = client.sendTransfer({ key: operator, to: aliceAddress, amount: 7n });
      }
      if (seen.includes('7')) break;
    }
    assert.ok(caughtUp);
    await sending;
  });

  it('the CLI: status, send, balance --verify, tx --verify, block', async () => {
    const status = runCliProcess('status', '--node', node.api);
    assert.equal(status.status, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).chainId, init.chainId);
    const send = runCliProcess(
      'send',
      '--node',
      node.api,
      '--key',
      init.operatorKey,
      '--to',
      aliceAddress,
      '--amount',
      '3',
    );
    assert.equal(send.status, 0, send.stderr);
    const sent = JSON.parse(send.stdout);
    assert.equal(sent.status, 'committed');
    const tx = runCliProcess('tx', sent.hash, '--node', node.api, '--verify', '--genesis', init.genesis);
    assert.equal(tx.status, 0, tx.stderr);
    assert.equal(JSON.parse(tx.stdout).verified, true);
    const balance = runCliProcess(
      'balance',
      aliceAddress,
      '--node',
      node.api,
      '--verify',
      '--genesis',
      init.genesis,
    );
    assert.equal(balance.status, 0, balance.stderr);
    assert.equal(JSON.parse(balance.stdout).verified, true);
    const block = runCliProcess('block', String(sent.height), '--node', node.api);
    assert.equal(JSON.parse(block.stdout).txHashes.includes(sent.hash), true);
    // Any module query, plain or with proofs of what it read.
    const params = JSON.stringify({ address: aliceAddress });
    const query = runCliProcess('query', 'bank', 'balance', '--params', params, '--node', node.api);
    assert.equal(query.status, 0, query.stderr);
    assert.equal(JSON.parse(query.stdout).result.balance, JSON.parse(balance.stdout).balance);
    const proven = runCliProcess(
      'query',
      'bank',
      'balance',
      '--params',
      params,
      '--prove',
      '--node',
      node.api,
    );
    assert.equal(proven.status, 0, proven.stderr);
    const answer = JSON.parse(proven.stdout);
    assert.match(answer.stateRoot, /^[0-9a-f]{64}$/);
    assert.ok(answer.reads.length > 0);
    const badParams = runCliProcess('query', 'bank', 'balance', '--params', '[1]', '--node', node.api);
    assert.equal(badParams.status, 2);
    assert.match(badParams.stderr, /^error CLI_USAGE: --params must be a JSON object/);
    const bad = runCliProcess(
      'send',
      '--node',
      node.api,
      '--key',
      init.operatorKey,
      '--to',
      'nothex',
      '--amount',
      '3',
    );
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error [A-Z_]+: /);
    const { body } = await api(node.api, '/v1/status').catch((e) => {
      throw new Error(`${e} ${e.cause}: ${node.stderr()}`);
    });
    assert.ok(body.height > sent.height - 1);
  });
});
