import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encode, fixedBytes, struct, u64 } from '@pujiang/codec';
import { checkCertificate } from '@pujiang/consensus';
import { deriveAddress, generateKeyPair } from '@pujiang/crypto';
import { encodeTx, type Genesis, signTx, txHash } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { bank, ValidatorNode } from '../src/index.js';

const Transfer = struct('Transfer', { to: fixedBytes(21), amount: u64 });

function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () =>
      condition() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(poll, 10);
    poll();
  });
}

describe('a single validator node', () => {
  it('decides blocks, executes transfers, and resumes where it stopped after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pujiang-node-'));
    const validator = generateKeyPair('sm2');
    const alice = generateKeyPair('sm2');
    const bob = generateKeyPair('sm2');
    const address = (kp: typeof alice) => bytesToHex(deriveAddress('sm3', kp.publicKey));
    const genesis: Genesis = {
      chainId: 'pujiang-gov-test',
      chainHash: 'sm3',
      acceptedSuites: ['sm2'],
      validators: [{ publicKey: validator.publicKey, power: 10 }],
      limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxBlockGas: 50_000_000 },
      modules: { bank: { balances: { [address(alice)]: '1000' } } },
    };
    const timeouts = {
      proposeMs: 200,
      proposeDeltaMs: 50,
      prevoteMs: 100,
      prevoteDeltaMs: 50,
      precommitMs: 100,
      precommitDeltaMs: 50,
    };
    const options = {
      dataDir,
      genesis,
      modules: [bank],
      secretKey: validator.secretKey,
      timeouts,
      blockIntervalMs: 20,
    };
    let node = new ValidatorNode(options);
    const transfer = (nonce: bigint, amount: bigint) =>
      signTx(
        {
          chainId: genesis.chainId,
          suite: 'sm2',
          publicKey: alice.publicKey.bytes,
          nonce,
          expiresAtHeight: 1000n,
          gasLimit: 1_000_000n,
          module: 'bank',
          type: 'transfer',
          payload: encode(Transfer, { to: deriveAddress('sm3', bob.publicKey), amount }),
        },
        alice.secretKey,
      );
    const first = transfer(0n, 100n);
    await node.submit(encodeTx(first));
    await node.submit(encodeTx(transfer(1n, 50n)));
    await until(
      () =>
        node.chain.locate(txHash('sm3', first)) !== undefined && node.chain.nonceOf(address(alice)) === 2n,
    );
    assert.deepEqual(node.chain.query('bank', 'balance', { address: address(bob) }), {
      address: address(bob),
      balance: '150',
    });
    const at = node.chain.locate(txHash('sm3', first))!;
    assert.equal(node.chain.receipts(at.height)![at.index]!.code, 'OK');
    const cert = node.chain.certificate(at.height)!;
    assert.equal(
      checkCertificate(
        genesis.chainId,
        cert,
        [{ publicKey: validator.publicKey, power: 10 }],
        Number(at.height),
      ),
      undefined,
    );
    const heightBefore = node.chain.height;
    await node.stop();

    node = new ValidatorNode(options);
    assert.equal(node.chain.height >= heightBefore, true);
    assert.equal(node.chain.nonceOf(address(alice)), 2n);
    await until(() => node.chain.height >= heightBefore + 2n);
    await node.submit(encodeTx(transfer(2n, 5n)));
    await until(() => node.chain.nonceOf(address(alice)) === 3n);
    assert.deepEqual(node.chain.query('bank', 'balance', { address: address(alice) }), {
      address: address(alice),
      balance: '845',
    });
    assert.equal(node.driver.failure, undefined);
    await node.stop();
  });
});
