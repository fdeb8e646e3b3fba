import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { deriveAddress, generateKeyPair } from '@pujiang/crypto';
import { BankTransfer } from '@pujiang/module-bank';
import { readKeyFile } from '@pujiang/node';
import { encodeTx, signTx } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { api, initHome, runCliProcess, startNodeProcess, until } from './node-harness.js';

describe('a validator process: kill -9 under load, restart, replay', () => {
  it('loses no committed transaction, resumes, stops cleanly, and its store replays from genesis', async () => {
    const init = initHome('ed25519');
    const operator = readKeyFile(init.operatorKey);
    const recipients = Array.from({ length: 20 }, () =>
      deriveAddress(init.chainHash, generateKeyPair('ed25519').publicKey),
    );
    let nonce = 0n;
    const transfer = () => {
      const to = recipients[Number(nonce % 20n)]!;
      const tx = signTx(
        {
          chainId: init.chainId,
          suite: 'ed25519',
          publicKey: operator.publicKey.bytes,
          nonce: nonce++,
          expiresAtHeight: 1_000_000n,
          gasLimit: 100_000n,
          module: 'bank',
          type: 'transfer',
          payload: encode(BankTransfer, { to, amount: 1n }),
        },
        operator.secretKey,
      );
      return bytesToHex(encodeTx(tx));
    };

    let node = await startNodeProcess(init.home);
    // Load: batches of 50 transfers, and a record of what the API has reported committed.
    const committed = new Map<string, { height: number; index: number }>();
    for (let crash = 0; crash < 3; crash++) {
      const { body: account } = await api(node.api, `/v1/accounts/${init.operatorAddress}`);
      nonce = BigInt(account.nonce);
      const submitted: string[] = [];
      let loading = true;
      const load = (async () => {
        while (loading) {
          try {
            const batch = Array.from({ length: 50 }, transfer);
            const { body } = await api(node.api, '/v1/txs/batch', { txs: batch });
            for (const r of body.results) if (r.hash) submitted.push(r.hash);
            for (const hash of submitted.slice(-60, -50)) {
              const { body: tx } = await api(node.api, `/v1/txs/${hash}`);
              if (tx.status === 'committed') committed.set(hash, { height: tx.height, index: tx.index });
            }
          } catch {
            return; // the node was killed
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const target = committed.size + 20;
      await until(() => (committed.size >= target ? true : undefined));
      // Kill at a point that varies with the run: a little later each time.
      await new Promise((r) => setTimeout(r, crash * 37));
      node.child.kill('SIGKILL');
      loading = false;
      await load;
      assert.equal(await node.exited, null);

      node = await startNodeProcess(init.home);
      const restarted = node;
      for (const [hash, at] of committed) {
        const { body } = await api(node.api, `/v1/txs/${hash}`).catch((e) => {
          throw new Error(`${e}: ${restarted.stderr()}`);
        });
        assert.equal(body.status, 'committed', `${hash} was committed before crash ${crash}`);
        assert.deepEqual({ height: body.height, index: body.index }, at);
      }
    }
    // The node goes on: a new transfer with the next nonce commits.
    const { body: account } = await api(node.api, `/v1/accounts/${init.operatorAddress}`);
    nonce = BigInt(account.pendingNonce);
    const last = node;
    const { body: after } = await api(node.api, '/v1/txs', { tx: transfer(), wait: true }).catch((e) => {
      throw new Error(`${e} ${e.cause}: ${last.stderr()}`);
    });
    assert.equal(after.status, 'committed');
    assert.equal(after.receipt.code, 'OK');

    // A clean stop (SIGTERM) exits 0; the next start resumes at the same block.
    const { body: before } = await api(node.api, '/v1/status');
    node.child.kill('SIGTERM');
    assert.equal(await node.exited, 0);
    node = await startNodeProcess(init.home);
    const { body: block } = await api(node.api, `/v1/blocks/${before.height}`);
    assert.equal(block.hash, before.latestBlockHash);
    await until(async () =>
      (await api(node.api, '/v1/status')).body.height > before.height ? true : undefined,
    );
    node.child.kill('SIGINT');
    assert.equal(await node.exited, 0);

    // Every stored block re-executes from genesis to the same roots, receipts and certificates.
    const replay = runCliProcess('node', 'replay', '--home', init.home);
    assert.equal(replay.status, 0, replay.stdout + replay.stderr);
    const result = JSON.parse(replay.stdout);
    assert.deepEqual(result.problems, []);
    assert.ok(result.height > before.height);
  });
});
