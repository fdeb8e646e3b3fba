import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { deriveAddress } from '@pujiang/crypto';
import { Submit } from '@pujiang/module-privacy';
import { readKeyFile } from '@pujiang/node';
import { type KeyPair, PujiangClient } from '@pujiang/sdk';
import { cliJson } from './cli-json.js';
import { findValues } from './disk-scan.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';

const FIXTURES = JSON.parse(
  readFileSync(new URL('../../../modules/privacy/test/fixtures/paillier-2048.json', import.meta.url), 'utf8'),
) as { key: { n: string }; reports: { value: string; ciphertext: string }[] };

const SUBMITTERS = 10;
const PER_SUBMITTER = FIXTURES.reports.length / SUBMITTERS;

/**
 * Homomorphic aggregation on a real SM2 validator: ten banks submit 1,000 Paillier-encrypted
 * reports (the fixtures, encrypted beforehand at ~15/s), the chain sums them, the key's owner
 * decrypts and publishes the total with its proof, and no report's value is anywhere on disk.
 */
describe('privacy: 1,000 encrypted reports summed on chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-privacy-'));
  const keyPath = join(dir, 'paillier.json');
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  let banks: { key: KeyPair; address: string }[] = [];
  const cli = (...argv: string[]) => cliJson(node.api)(...argv);

  before(async () => {
    init = initHome('sm2');
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
    const files = [];
    for (let i = 0; i < SUBMITTERS; i++)
      files.push(await registerClient(init.home, node.api, dir, 'sm2', `bank${i}`));
    banks = files.map((f) => {
      const key = readKeyFile(f);
      return { key, address: '' };
    });
    for (const bank of banks) bank.address = (await addressOf(client, bank.key)) as string;
  });
  after(async () => {
    if (node.child.exitCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(init.home, { recursive: true, force: true });
  });

  it('sums the reports, and only the key owner learns the total, which it proves on chain', async () => {
    // The regulator's key (the fixtures' test key, so its ciphertexts can be made beforehand).
    writeFileSync(keyPath, JSON.stringify(FIXTURES.key));
    const registered = await cli(
      'privacy',
      'key',
      'register',
      'exposures-key',
      '--paillier',
      keyPath,
      '--key',
      init.operatorKey,
    );
    assert.equal(registered.code, 0, registered.err);
    const height = (await client.getStatus()).height;
    const opened = await cli(
      'privacy',
      'round',
      'open',
      'exposures-2026q4',
      '--scheme',
      'paillier',
      '--paillier-key',
      'exposures-key',
      ...banks.flatMap((b) => ['--submitter', b.address]),
      '--max',
      String(PER_SUBMITTER),
      '--closes-at',
      String(height + 100_000),
      '--key',
      init.operatorKey,
    );
    assert.equal(opened.code, 0, opened.err);

    // A non-listed sender and a malformed ciphertext are refused with typed codes.
    const stranger = await cli(
      'privacy',
      'round',
      'submit',
      'exposures-2026q4',
      '--value',
      '5',
      '--key',
      init.operatorKey,
    );
    assert.equal(stranger.code, 1);
    assert.match(stranger.err, /PRIVACY_NOT_SUBMITTER/);
    const first = banks[0] as { key: KeyPair };
    const bad = await client.sendTransaction({
      key: first.key,
      module: 'privacy',
      type: 'submit',
      wait: true,
      throwOnFailure: false,
      payload: encode(Submit, {
        round: 'exposures-2026q4',
        ciphertext: new Uint8Array(512),
        proof: new Uint8Array(0),
      }),
    });
    assert.equal(bad.result.receipt?.code, 'PRIVACY_BAD_CIPHERTEXT');

    // 1,000 reports, 100 per bank, each bank's in one batch request.
    await Promise.all(
      banks.map((bank, b) =>
        client.sendTransactions({
          key: bank.key,
          messages: FIXTURES.reports.slice(b * PER_SUBMITTER, (b + 1) * PER_SUBMITTER).map((r) => ({
            module: 'privacy',
            type: 'submit',
            gasLimit: 300_000,
            payload: encode(Submit, {
              round: 'exposures-2026q4',
              ciphertext: Buffer.from(r.ciphertext, 'hex'),
              proof: new Uint8Array(0),
            }),
          })),
        }),
      ),
    );
    await until(
      async () => (await cli('privacy', 'round', 'show', 'exposures-2026q4')).json.round.count === 1000,
      120_000,
    );
    const over = await cli(
      'privacy',
      'round',
      'submit',
      'exposures-2026q4',
      '--value',
      '1',
      '--key',
      join(dir, 'bank0.json'),
    );
    assert.match(over.err, /PRIVACY_TOO_MANY_SUBMISSIONS/);

    const expected = FIXTURES.reports.reduce((sum, r) => sum + BigInt(r.value), 0n);
    const early = await cli(
      'privacy',
      'round',
      'decrypt',
      'exposures-2026q4',
      '--paillier',
      keyPath,
      '--publish',
      '--key',
      init.operatorKey,
    );
    assert.match(early.err, /PRIVACY_ROUND_OPEN/);
    assert.equal(
      (await cli('privacy', 'round', 'close', 'exposures-2026q4', '--key', init.operatorKey)).code,
      0,
    );
    const decrypted = await cli(
      'privacy',
      'round',
      'decrypt',
      'exposures-2026q4',
      '--paillier',
      keyPath,
      '--publish',
      '--key',
      init.operatorKey,
    );
    assert.equal(decrypted.code, 0, decrypted.err);
    assert.equal(decrypted.json.total, expected.toString());
    const round = (await cli('privacy', 'round', 'show', 'exposures-2026q4')).json.round;
    assert.equal(round.result.value, expected.toString());
  });

  it('leaves no report value in the data directory, the node log or any answer', async () => {
    node.child.kill('SIGTERM');
    await node.exited;
    const values = FIXTURES.reports.map((r) => BigInt(r.value));
    // The scan finds a value written in each encoding it looks for (a control, so an empty answer means something).
    const control = mkdtempSync(join(dir, 'control-'));
    const v = values[7] as bigint;
    const be = Buffer.alloc(8);
    be.writeBigUInt64BE(v);
    writeFileSync(join(control, 'raw'), Buffer.concat([Buffer.from('x'), be, Buffer.from(be).reverse()]));
    writeFileSync(
      join(control, 'text'),
      `${v} ${be.toString('hex').toUpperCase()} ${Buffer.from(be).reverse().toString('hex')}`,
    );
    assert.deepEqual(
      findValues(control, [v])
        .map((f) => f.encoding)
        .sort(),
      ['bytes BE', 'bytes LE', 'decimal', 'hex BE', 'hex LE'],
    );
    rmSync(control, { recursive: true });
    assert.deepEqual(findValues(init.home, values), []);
    assert.deepEqual(findValues(dir, values), []);
    const log = node.stderr();
    assert.ok(values.every((v) => !log.includes(v.toString())));
  });
});

async function addressOf(client: PujiangClient, key: KeyPair): Promise<string> {
  const status = await client.getStatus();
  return Buffer.from(deriveAddress(status.chainHash, key.publicKey)).toString('hex');
}
