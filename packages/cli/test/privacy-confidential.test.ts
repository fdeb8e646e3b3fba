import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { deriveAddress } from '@pujiang/crypto';
import { commit, decodeJub, encodeJub, IDENTITY, Transfer } from '@pujiang/module-confidential';
import { readKeyFile } from '@pujiang/node';
import { type KeyPair, PujiangClient } from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { cliJson, governAlone } from './cli-json.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess } from './node-harness.js';
import { registerClient } from './run-in-process.js';

/**
 * The confidential token on a real SM2 validator: governance names a minter and the
 * auditor's view key; transfers between members are proven with Groth16 and verified in
 * execution; balances stay commitments whose sum is the minted total (value conserved);
 * the auditor opens each amount; forged, tampered, replayed and off-curve transfers are refused.
 */
describe('privacy: confidential transfers with Groth16 proofs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-confidential-'));
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  const people: Record<string, { file: string; wallet: string; key: KeyPair; address: string }> = {};

  const cli = (...argv: string[]) => cliJson(node.api)(...argv);
  const govern = (...args: string[]) => governAlone(cli, init.operatorKey, ...args);

  /** `privacy confidential send` from one person's wallet to another's address. */
  const transfer = (from: string, to: string, amount: string) =>
    cli(
      'privacy',
      'confidential',
      'send',
      '--wallet',
      people[from]!.wallet,
      '--to',
      people[to]!.address,
      '--amount',
      amount,
      '--key',
      people[from]!.file,
    );
  /** `privacy confidential balance`: accepts what arrived and prints the opening. */
  const balance = (who: string) =>
    cli('privacy', 'confidential', 'balance', '--wallet', people[who]!.wallet, '--key', people[who]!.file);
  const balanceOf = async (who: string) =>
    decodeJub(
      hexToBytes(
        (
          (await client.query('confidential', 'balance', { address: people[who]!.address })).result as {
            commitment: string;
          }
        ).commitment,
      ),
      'b',
    );

  before(async () => {
    init = initHome('sm2');
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
    const { chainHash } = await client.getStatus();
    for (const name of ['alice', 'bob', 'auditor']) {
      const file =
        name === 'auditor' ? init.operatorKey : await registerClient(init.home, node.api, dir, 'sm2', name);
      const key = readKeyFile(file);
      const wallet = join(dir, `${name}.wallet.json`);
      assert.equal((await cli('privacy', 'confidential', 'wallet', '--out', wallet)).code, 0);
      people[name] = { file, wallet, key, address: bytesToHex(deriveAddress(chainHash, key.publicKey)) };
    }
    const minters = await cli('privacy', 'confidential', 'param', '--minter', people.auditor!.address);
    await govern('set-param', '--module', 'confidential', '--name', 'minters', '--value', minters.json.value);
    const auditorKey = JSON.parse(readFileSync(people.auditor!.wallet, 'utf8')).viewKey;
    const auditor = await cli('privacy', 'confidential', 'param', '--auditor-key', auditorKey);
    await govern('set-param', '--module', 'confidential', '--name', 'auditor', '--value', auditor.json.value);
    for (const who of ['alice', 'bob'])
      assert.equal(
        (
          await cli(
            'privacy',
            'confidential',
            'register',
            '--wallet',
            people[who]!.wallet,
            '--key',
            people[who]!.file,
          )
        ).code,
        0,
      );
  });
  after(async () => {
    node.child.kill('SIGTERM');
    await node.exited;
    rmSync(dir, { recursive: true, force: true });
    rmSync(init.home, { recursive: true, force: true });
  });

  it('moves hidden amounts between members, conserves value, and the auditor opens them', async () => {
    const minted = await cli(
      'privacy',
      'confidential',
      'mint',
      '--to',
      people.alice!.address,
      '--amount',
      '1000',
      '--key',
      init.operatorKey,
    );
    assert.equal(minted.code, 0, minted.err);
    const sent = await transfer('alice', 'bob', '300');
    assert.equal(sent.code, 0, sent.err);
    // No amount in the transfer's events.
    assert.deepEqual(
      Object.keys(
        sent.json.receipt.events.find((e: { type: string }) => e.type === 'transferred').attributes,
      ).sort(),
      ['from', 'to'],
    );
    const bob = await balance('bob');
    assert.equal(bob.json.balance, '300');
    const back = await transfer('bob', 'alice', '120');
    assert.equal(back.code, 0, back.err);
    assert.equal((await balance('alice')).json.balance, '820');
    assert.equal((await balance('bob')).json.balance, '180');
    // Conservation, publicly: the balance commitments sum to the minted total with blind 0.
    const sum = (await balanceOf('alice')).add(await balanceOf('bob'));
    assert.ok(sum.equals(commit(1000n, 0n)));
    const audit = await cli(
      'privacy',
      'confidential',
      'audit',
      people.bob!.address,
      '--auditor',
      people.auditor!.wallet,
    );
    assert.equal(audit.code, 0, audit.err);
    assert.deepEqual(
      audit.json.received.map((r: { amount: string; matches: boolean }) => [r.amount, r.matches]),
      [['300', true]],
    );
  });

  it('refuses a forged proof, a swapped amount, a replayed proof and an off-curve commitment', async () => {
    const alice = people.alice!;
    const send = (payload: Uint8Array) =>
      client.sendTransaction({
        key: alice.key,
        module: 'confidential',
        type: 'transfer',
        payload,
        gasLimit: 20_000_000n,
        wait: true,
        throwOnFailure: false,
      });
    // A valid transfer, captured: its proof is for Alice's balance now and this amount commitment.
    const { sendConfidential, syncWallet, parseConfidentialWallet } = await import(
      '@pujiang/module-confidential/client'
    );
    const wallet = (
      await syncWallet(client, {
        key: alice.key,
        address: alice.address,
        wallet: parseConfidentialWallet(JSON.parse(readFileSync(alice.wallet, 'utf8'))),
      })
    ).wallet;
    const captured: Uint8Array[] = [];
    const capturing = {
      getStatus: () => client.getStatus(),
      query: client.query.bind(client),
      sendTransaction: async (p: { payload: Uint8Array }) => {
        captured.push(p.payload);
        return client.sendTransaction(p as never);
      },
    } as unknown as PujiangClient;
    const first = await sendConfidential(capturing, {
      key: alice.key,
      address: alice.address,
      wallet,
      to: people.bob!.address,
      amount: 20n,
      wait: true,
    });
    assert.equal(first.result.result.receipt?.code, 'OK');
    writeFileSync(alice.wallet, JSON.stringify(first.wallet));
    const original = (await import('@pujiang/codec')).decode(Transfer, captured[0]!);
    // Replayed: Alice's balance moved on, so the proof's public input no longer matches.
    assert.equal((await send(captured[0]!)).result.receipt?.code, 'CONFIDENTIAL_BAD_PROOF');
    // Forged: random proof bytes.
    const forged = encode(Transfer, { ...original, proof: crypto.getRandomValues(new Uint8Array(256)) });
    assert.equal((await send(forged)).result.receipt?.code, 'CONFIDENTIAL_BAD_PROOF');
    // Swapped public input: a bigger amount commitment under the same proof.
    const swapped = encode(Transfer, {
      ...original,
      amount: encodeJub(decodeJub(original.amount, 'a').add(commit(1_000_000n, 0n))),
    });
    assert.equal((await send(swapped)).result.receipt?.code, 'CONFIDENTIAL_BAD_PROOF');
    // Not a point of the subgroup.
    const offCurve = encode(Transfer, { ...original, amount: new Uint8Array(64).fill(7) });
    assert.equal((await send(offCurve)).result.receipt?.code, 'CONFIDENTIAL_BAD_POINT');
    // More than the balance cannot even be proven: the client refuses before any request.
    await assert.rejects(
      sendConfidential(client, {
        key: alice.key,
        address: alice.address,
        wallet: first.wallet,
        to: people.bob!.address,
        amount: 10_000n,
      }),
      (e: Error & { code?: string }) => e.code === 'SDK_INVALID_ARGUMENT',
    );
    // Value is still conserved after every refusal (once Bob accepts the 20 sent to him).
    const accepted = await balance('bob');
    assert.equal(accepted.json.balance, '200');
    const sum = (await balanceOf('alice')).add(await balanceOf('bob'));
    assert.ok(sum.equals(commit(1000n, 0n)));
    assert.ok(!sum.equals(IDENTITY));
  });

  it("a transfer whose memo lies is left unaccepted: the receiver's balance stays spendable", async () => {
    const alice = people.alice!;
    const { sendConfidential, syncWallet, parseConfidentialWallet } = await import(
      '@pujiang/module-confidential/client'
    );
    const { decode } = await import('@pujiang/codec');
    const wallet = (
      await syncWallet(client, {
        key: alice.key,
        address: alice.address,
        wallet: parseConfidentialWallet(JSON.parse(readFileSync(alice.wallet, 'utf8'))),
      })
    ).wallet;
    // Alice proves a real transfer of 5, but seals a garbage memo to Bob.
    const lying = {
      getStatus: () => client.getStatus(),
      query: client.query.bind(client),
      sendTransaction: (p: Parameters<PujiangClient['sendTransaction']>[0]) => {
        const t = decode(Transfer, p.payload);
        return client.sendTransaction({
          ...p,
          payload: encode(Transfer, { ...t, memoTo: crypto.getRandomValues(new Uint8Array(100)) }),
        });
      },
    } as unknown as PujiangClient;
    const sent = await sendConfidential(lying, {
      key: alice.key,
      address: alice.address,
      wallet,
      to: people.bob!.address,
      amount: 5n,
    });
    assert.equal(sent.result.result.receipt?.code, 'OK');
    const bob = await balance('bob');
    assert.equal(bob.code, 1);
    assert.equal(bob.json.balance, '200');
    assert.equal(bob.json.rejectedMemos.length, 1);
    // Bob still spends what he holds.
    const spend = await transfer('bob', 'alice', '50');
    assert.equal(spend.code, 0, spend.err);
  });

  it('refuses mints past the supply cap of 2^64 - 1', async () => {
    const over = await cli(
      'privacy',
      'confidential',
      'mint',
      '--to',
      people.bob!.address,
      '--amount',
      (2n ** 64n - 1000n).toString(),
      '--key',
      init.operatorKey,
    );
    assert.equal(over.code, 1);
    assert.match(over.err, /CONFIDENTIAL_SUPPLY_CAP/);
  });
});
