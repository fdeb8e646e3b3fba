import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readKeyFile } from '@pujiang/node';
import {
  addressOf,
  awaitNotaryReceipts,
  createAsset,
  digestDocument,
  type Genesis,
  generateKeyPair,
  getLineageProof,
  type KeyPair,
  type LineageProof,
  type NotaryReceipt,
  notarize,
  PujiangClient,
  parseGenesis,
  recordLineageEvent,
  searchNotary,
  TransactionFailedError,
  VerificationError,
  verifyLineageProof,
  verifyNotaryReceipt,
} from '@pujiang/sdk';
import { bytesToHex } from '@pujiang/types';
import { EXIT } from '../src/run.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess } from './node-harness.js';
import { registerClient, run } from './run-in-process.js';

const check = (error: unknown) => (error instanceof VerificationError ? error.check : String(error));
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The notarization and traceability service on one real validator process: a batch of
 * 10,000 digests anchored by one transaction, receipts completed and then verified with the
 * node stopped, every tampering the issue names caught by the check it names; an asset's
 * lineage written by its owner and a party it was shared with, proven, and verified
 * offline; search by owner, type and time; the CLI's exit codes.
 */
describe('notary service: receipts anyone can verify offline, lineage with proofs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-notary-'));
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  let genesis: Genesis;
  let operator: KeyPair;
  const contents = Array.from({ length: 10_000 }, (_, i) => new TextEncoder().encode(`document ${i}\n`));
  let receipts: NotaryReceipt[] = [];
  let pending: NotaryReceipt[] = [];
  let lineage: LineageProof;
  let clientKey: KeyPair;
  let clientAddress: string;
  const setFile = join(dir, 'validators.json');

  before(async () => {
    init = initHome('ed25519');
    genesis = parseGenesis(JSON.parse(readFileSync(init.genesis, 'utf8')));
    operator = readKeyFile(init.operatorKey);
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
  });
  after(async () => {
    if (node.child.exitCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  });

  it('anchors 10,000 digests in one transaction; each receipt carries at most 14 batch-path hashes', async () => {
    const documents = contents.map((c) => ({ algorithm: 'sm3' as const, digest: digestDocument('sm3', c) }));
    const done = await notarize(client, {
      key: operator,
      wait: true,
      documents,
      docType: 'bill-of-lading',
      tags: ['customs', '2026'],
      ref: 'case-42',
    });
    assert.equal(done.sent.result.status, 'committed');
    assert.equal(done.sent.result.receipt?.code, 'OK');
    pending = done.receipts;
    assert.equal(pending.length, 10_000);
    assert.ok(pending.every((r) => r.status === 'pending'));
    receipts = await awaitNotaryReceipts(client, pending, { timeoutMs: 30_000 });
    // The validator set as a node reports it, to pin instead of the genesis later.
    writeFileSync(setFile, JSON.stringify(await client.getValidators(receipts[0]!.block!.height)));
    assert.ok(receipts.every((r) => r.status === 'complete'));
    const longest = Math.max(...receipts.map((r) => r.batch.path.length));
    assert.ok(longest <= 14, `a batch path of ${longest} hashes`);
    const r = receipts[1234]!;
    assert.ok(r.block && r.result, 'the block proof: tx inclusion under H, result under H+1');
    assert.equal(r.block.height + 1, Number(r.result.header.height));
    assert.equal(r.result.receipt.code, 'OK');
  });

  it('the lineage of a shipment: owner, shared party, transfer; refusals for everyone else', async () => {
    // A second member: a client of org0, certified and registered.
    const keyFile = await registerClient(init.home, node.api, dir, 'ed25519', 'client');
    clientKey = readKeyFile(keyFile);
    clientAddress = addressOf(genesis.chainHash, clientKey);

    const code = async (sent: Promise<{ result: { receipt?: { code: string } } }>) =>
      sent.then(
        ({ result }) => result.receipt?.code,
        (error) => (error instanceof TransactionFailedError ? error.receipt.code : Promise.reject(error)),
      );
    const out1 = bytesToHex(digestDocument('sm3', contents[0]!));
    assert.equal(
      await code(
        createAsset(client, {
          wait: true,
          key: operator,
          asset: 'shipment/SH-1',
          assetType: 'shipment',
          action: 'packed',
          outputs: [out1],
        }),
      ),
      'OK',
    );
    assert.equal(
      await code(
        createAsset(client, { wait: true, key: operator, asset: 'shipment/SH-1', assetType: 'shipment' }),
      ),
      'NOTARY_ASSET_EXISTS',
    );
    // Not shared yet: the client may not write.
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: clientKey,
          asset: 'shipment/SH-1',
          eventType: 'accessed',
        }),
      ),
      'NOTARY_NOT_AUTHORIZED',
    );
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: operator,
          asset: 'shipment/SH-1',
          eventType: 'shared',
          to: clientAddress,
        }),
      ),
      'OK',
    );
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: clientKey,
          asset: 'shipment/SH-1',
          eventType: 'inspected',
          action: 'x-ray',
          inputs: [out1],
        }),
      ),
      'OK',
    );
    // A party it was shared with may not hand it on.
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: clientKey,
          asset: 'shipment/SH-1',
          eventType: 'transferred',
          to: clientAddress,
        }),
      ),
      'NOTARY_NOT_AUTHORIZED',
    );
    // A writer that did not see the latest event is refused.
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: operator,
          asset: 'shipment/SH-1',
          eventType: 'accessed',
          prev: '00'.repeat(32),
        }),
      ),
      'NOTARY_STALE_HEAD',
    );
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: operator,
          asset: 'shipment/SH-1',
          eventType: 'transferred',
          to: clientAddress,
        }),
      ),
      'OK',
    );
    assert.equal(
      await code(
        recordLineageEvent(client, {
          wait: true,
          key: operator,
          asset: 'shipment/SH-1',
          eventType: 'accessed',
        }),
      ),
      'NOTARY_NOT_AUTHORIZED',
      'the former owner lost its rights',
    );
    assert.equal(
      await code(
        createAsset(client, { wait: true, key: clientKey, asset: 'dataset/tax-2026', assetType: 'dataset' }),
      ),
      'OK',
    );
    lineage = await getLineageProof(client, 'shipment/SH-1');
    const verified = verifyLineageProof({ proof: lineage, trust: { genesis } });
    assert.deepEqual(
      verified.events.map((e) => e.eventType),
      ['created', 'shared', 'inspected', 'transferred'],
    );
    assert.equal(verified.asset?.owner, clientAddress);
    // The same lineage in pages of 3 events: proven together, and a dropped page is caught.
    const paged = await getLineageProof(client, 'shipment/SH-1', { pageSize: 3 });
    assert.equal(paged.pages.length, 2);
    assert.deepEqual(verifyLineageProof({ proof: paged, trust: { genesis } }).events, verified.events);
    assert.throws(
      () => verifyLineageProof({ proof: { ...paged, pages: paged.pages.slice(0, 1) }, trust: { genesis } }),
      (e) => check(e) === 'missing-read',
    );
    assert.equal(verified.events[2]!.actor, clientAddress);
  });

  it('searches assets and anchors by owner, type and time range', async () => {
    const byOwner = await searchNotary(client, 'assets', { owner: clientAddress });
    assert.deepEqual(byOwner.results.map((a) => a.asset).sort(), ['dataset/tax-2026', 'shipment/SH-1']);
    const operatorAddress = addressOf(genesis.chainHash, operator);
    assert.deepEqual((await searchNotary(client, 'assets', { owner: operatorAddress })).results, []);
    const byType = await searchNotary(client, 'assets', { type: 'dataset' });
    assert.deepEqual(
      byType.results.map((a) => a.asset),
      ['dataset/tax-2026'],
    );
    const page = await searchNotary(client, 'assets', { limit: 1 });
    assert.equal(page.results.length, 1);
    assert.ok(page.next);
    const rest = await searchNotary(client, 'assets', { after: page.next! });
    assert.equal(rest.results.length, 1);
    assert.notEqual(rest.results[0]!.asset, page.results[0]!.asset);
    const anchorTime = BigInt(receipts[0]!.block!.header.time);
    const anchors = await searchNotary(client, 'anchors', {
      type: 'bill-of-lading',
      from: anchorTime,
      to: anchorTime,
    });
    assert.deepEqual(
      anchors.results.map((a) => a.root),
      [receipts[0]!.batch.root],
    );
    assert.deepEqual(
      (await searchNotary(client, 'anchors', { type: 'bill-of-lading', to: anchorTime - 1n })).results,
      [],
    );
    await assert.rejects(searchNotary(client, 'assets', { limit: 5000 }), { code: 'NOTARY_BAD_SEARCH' });
  });

  it('anchoring a root again fails in its block; a receipt built from that transaction is invalid (tx-result)', async () => {
    const again = await notarize(client, {
      key: operator,
      wait: true,
      throwOnFailure: false, // the failed transaction's receipts are checked below
      documents: contents.map((c) => ({ algorithm: 'sm3' as const, digest: digestDocument('sm3', c) })),
    });
    assert.equal(again.sent.result.receipt?.code, 'NOTARY_ALREADY_ANCHORED');
    const [failed] = await awaitNotaryReceipts(client, again.receipts.slice(0, 1));
    assert.equal(failed!.status, 'complete');
    assert.throws(
      () => verifyNotaryReceipt({ receipt: failed, trust: { genesis }, content: contents[0]! }),
      (e) => check(e) === 'tx-result',
    );
  });

  it('notary stamp writes complete receipts; stamping the same files again gives receipts of the first anchoring', async () => {
    const files = ['a.txt', 'b.txt'].map((name, i) => {
      const path = join(dir, name);
      writeFileSync(path, `stamped file ${i}\n`);
      return path;
    });
    const stamp = (out: string) =>
      run(
        'notary',
        'stamp',
        ...files,
        '--key',
        init.operatorKey,
        '--out',
        out,
        '--type',
        'memo',
        '--node',
        node.api,
      );
    const first = await stamp(join(dir, 'stamp1'));
    assert.equal(first.code, EXIT.ok, first.err);
    const again = await stamp(join(dir, 'stamp2'));
    assert.equal(again.code, EXIT.ok, again.err);
    assert.equal(JSON.parse(again.out).status, 'alreadyAnchored');
    for (const out of ['stamp1', 'stamp2']) {
      const receipt = JSON.parse(readFileSync(join(dir, out, 'b.txt.receipt.json'), 'utf8'));
      assert.equal(receipt.status, 'complete');
      const result = verifyNotaryReceipt({ receipt, trust: { genesis }, content: readFileSync(files[1]!) });
      assert.equal(result.status, 'valid');
      assert.equal(result.status === 'valid' && result.docType, 'memo');
    }
  });

  it('with the network switched off, receipts verify against the pinned genesis; every tampering fails its check', async () => {
    node.child.kill('SIGTERM');
    await node.exited;
    await assert.rejects(client.getStatus(), { code: 'SDK_NETWORK_ERROR' });

    for (const i of [0, 1, 4095, 4096, 9999]) {
      const result = verifyNotaryReceipt({ receipt: receipts[i], trust: { genesis }, content: contents[i]! });
      assert.equal(result.status, 'valid');
      if (result.status !== 'valid') continue;
      assert.equal(result.batchIndex, i);
      assert.equal(result.docType, 'bill-of-lading');
      assert.deepEqual(result.tags, ['customs', '2026']);
      assert.equal(result.height, receipts[i]!.block!.height);
    }
    const fails = (receipt: unknown, content: Uint8Array, expected: string, trust: unknown = { genesis }) =>
      assert.throws(
        () => verifyNotaryReceipt({ receipt, trust: trust as { genesis: Genesis }, content }),
        (e) => check(e) === expected,
        expected,
      );
    // Changing one byte of the file.
    const changed = contents[7]!.slice();
    changed[3]! ^= 1;
    fails(receipts[7], changed, 'document-digest');
    // A proof moved to another leaf: document 8's digest and position with document 7's path.
    const moved = clone(receipts[7]!);
    moved.document = receipts[8]!.document;
    moved.batch.index = 8;
    fails(moved, contents[8]!, 'batch-path');
    const shifted = clone(receipts[7]!);
    shifted.batch.index = 6;
    fails(shifted, contents[7]!, 'batch-path');
    // The anchor of another root; a header forged into the receipt; another block's tx proof.
    const otherRoot = clone(receipts[7]!);
    otherRoot.batch.root = 'ab'.repeat(32);
    fails(otherRoot, contents[7]!, 'batch-path');
    const forgedTime = clone(receipts[7]!);
    forgedTime.block!.header.time = String(BigInt(forgedTime.block!.header.time) - 86_400_000n);
    fails(forgedTime, contents[7]!, 'header-hash');
    const badProof = clone(receipts[7]!);
    badProof.block!.proof.leafIndex = 1;
    badProof.block!.index = 1;
    fails(badProof, contents[7]!, 'tx-inclusion');
    // Signed by a validator set that is not the pinned one (same chain id).
    const stranger = generateKeyPair('ed25519');
    fails(receipts[7], contents[7]!, 'certificate', {
      chainId: genesis.chainId,
      chainHash: genesis.chainHash,
      validators: [{ publicKey: stranger.publicKey, power: 10 }],
    });
    // A pending receipt reports pending, not valid.
    const stillPending = verifyNotaryReceipt({
      receipt: pending[7],
      trust: { genesis },
      content: contents[7]!,
    });
    assert.equal(stillPending.status, 'pending');
    assert.throws(
      () =>
        verifyNotaryReceipt({
          receipt: { ...receipts[7], version: 2 },
          trust: { genesis },
          content: contents[7]!,
        }),
      { code: 'SDK_DOCUMENT_MALFORMED' },
    );
  });

  it('lineage verifies offline; an event removed, reordered or forged fails', () => {
    assert.equal(verifyLineageProof({ proof: lineage, trust: { genesis } }).events.length, 4);
    const result = lineage.pages[0]!.result as { events: unknown[] };
    const eventRead = (seq: number) => {
      const key = bytesToHex(new TextEncoder().encode(`notary\u0000event/${seq}/shipment/SH-1`));
      return lineage.pages[0]!.reads.findIndex((r) => r.key === key);
    };
    const fails = (proof: LineageProof, expected: string[]) =>
      assert.throws(
        () => verifyLineageProof({ proof, trust: { genesis } }),
        (e) => expected.includes(check(e)),
      );
    // One event removed from the answer, with or without its proof.
    const removed = clone(lineage);
    (removed.pages[0]!.result as { events: unknown[] }).events.splice(2, 1);
    fails(removed, ['result-mismatch']);
    const removedWithProof = clone(removed);
    removedWithProof.pages[0]!.reads.splice(eventRead(2), 1);
    fails(removedWithProof, ['missing-read']);
    // Reordered.
    const reordered = clone(lineage);
    const events = (reordered.pages[0]!.result as { events: unknown[] }).events;
    [events[1], events[2]] = [events[2], events[1]];
    fails(reordered, ['result-mismatch']);
    // Forged: an event's action changed in the answer; a proven value changed.
    const forged = clone(lineage);
    (forged.pages[0]!.result as { events: { action: string }[] }).events[0]!.action = 'unpacked';
    fails(forged, ['result-mismatch']);
    const forgedValue = clone(lineage);
    const read = forgedValue.pages[0]!.reads[eventRead(1)]!;
    read.value = `${read.value!.slice(0, -2)}${read.value!.endsWith('00') ? '01' : '00'}`;
    fails(forgedValue, ['state-proof']);
    assert.equal(result.events.length, 4);
  });

  it('the CLI: verify exits 0 valid, 1 invalid naming the check, 3 pending, 2 bad input', async () => {
    const receiptFile = join(dir, 'r7.json');
    const pendingFile = join(dir, 'p7.json');
    const docFile = join(dir, 'doc7.txt');
    const otherFile = join(dir, 'doc8.txt');
    writeFileSync(receiptFile, JSON.stringify(receipts[7]));
    writeFileSync(pendingFile, JSON.stringify(pending[7]));
    writeFileSync(docFile, contents[7]!);
    writeFileSync(otherFile, contents[8]!);
    const verify = (...args: string[]) => run('notary', 'verify', ...args, '--validators', init.genesis);
    const valid = await verify(receiptFile, '--file', docFile);
    assert.equal(valid.code, EXIT.ok, valid.err);
    assert.equal(JSON.parse(valid.out).status, 'valid');
    const bySet = await run('notary', 'verify', receiptFile, '--file', docFile, '--validators', setFile);
    assert.equal(bySet.code, EXIT.ok, bySet.err);
    const invalid = await verify(receiptFile, '--file', otherFile);
    assert.equal(invalid.code, EXIT.invalid);
    assert.equal(JSON.parse(invalid.out).check, 'document-digest');
    assert.equal((await verify(pendingFile, '--file', docFile)).code, EXIT.pending);
    writeFileSync(join(dir, 'junk.json'), '{"format": "something else"}');
    const junk = await verify(join(dir, 'junk.json'), '--file', docFile);
    assert.equal(junk.code, EXIT.badInput);
    assert.match(junk.err, /SDK_DOCUMENT_MALFORMED/);
    assert.equal((await verify(join(dir, 'missing.json'), '--file', docFile)).code, EXIT.badInput);
    assert.equal(
      (await run('notary', 'verify', receiptFile, '--validators', init.genesis)).code,
      EXIT.badInput,
    );
    const lineageFile = join(dir, 'lineage.json');
    writeFileSync(lineageFile, JSON.stringify(lineage));
    assert.equal((await run('trace', 'verify', lineageFile, '--validators', init.genesis)).code, EXIT.ok);
    const broken = clone(lineage);
    (broken.pages[0]!.result as { events: unknown[] }).events.pop();
    writeFileSync(lineageFile, JSON.stringify(broken));
    assert.equal(
      (await run('trace', 'verify', lineageFile, '--validators', init.genesis)).code,
      EXIT.invalid,
    );
  });
});
