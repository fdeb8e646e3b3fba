import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, getSuite } from '@pujiang/crypto';
import { DurableSigner, decodeRecord, encodeRecord, Wal, type WalRecord } from '../src/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'pujiang-wal-'));
const V = 'cd'.repeat(32);
const sig = new Uint8Array(64).fill(7);

const SAMPLE: WalRecord[] = [
  { type: 'startHeight', height: 9 },
  {
    type: 'proposal',
    proposal: { message: { height: 9, round: 1, value: V, validRound: -1, proposer: 2 }, signature: sig },
  },
  {
    type: 'vote',
    vote: { message: { type: 'prevote', height: 9, round: 1, value: null, validator: 0 }, signature: sig },
  },
  {
    type: 'vote',
    vote: { message: { type: 'precommit', height: 9, round: 1, value: V, validator: 3 }, signature: sig },
  },
  { type: 'timeout', kind: 'precommit', height: 9, round: 4 },
  { type: 'proposeValue', height: 9, round: 2, value: V },
  { type: 'valueVerdict', height: 9, value: V, valid: false },
  {
    type: 'ownSigned',
    kind: 'proposal',
    message: { message: { height: 9, round: 3, value: V, validRound: 1, proposer: 1 }, signature: sig },
  },
  {
    type: 'ownSigned',
    kind: 'vote',
    message: { message: { type: 'prevote', height: 9, round: 3, value: V, validator: 1 }, signature: sig },
  },
];

describe('WAL', () => {
  it('every record type round-trips through its canonical encoding', () => {
    for (const record of SAMPLE) assert.deepEqual(decodeRecord(encodeRecord(record)), record);
  });

  it('records survive close and reopen', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    for (const r of SAMPLE) wal.append(r);
    wal.sync();
    wal.close();
    const reopened = Wal.open(path);
    assert.deepEqual(reopened.records, SAMPLE);
    assert.equal(reopened.truncatedBytes, 0);
    reopened.wal.close();
  });

  it('a torn last record (cut short) is truncated on open; the rest is kept', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    for (const r of SAMPLE) wal.append(r);
    wal.sync();
    wal.close();
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 5));
    const reopened = Wal.open(path);
    assert.deepEqual(reopened.records, SAMPLE.slice(0, -1));
    assert.ok(reopened.truncatedBytes > 0);
    // The file is clean again: appending after the cut works.
    reopened.wal.append(SAMPLE[0]!);
    reopened.wal.sync();
    reopened.wal.close();
    assert.deepEqual(Wal.open(path).records, [...SAMPLE.slice(0, -1), SAMPLE[0]]);
  });

  it('a last record with a bad checksum is a torn write: truncated', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    for (const r of SAMPLE.slice(0, 3)) wal.append(r);
    wal.sync();
    wal.close();
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    assert.deepEqual(Wal.open(path).records, SAMPLE.slice(0, 2));
  });

  it('corruption before the last record is fatal and clearly reported', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    for (const r of SAMPLE) wal.append(r);
    wal.sync();
    wal.close();
    const bytes = readFileSync(path);
    bytes[14]! ^= 0x01; // inside the first payload
    writeFileSync(path, bytes);
    assert.throws(
      () => Wal.open(path),
      (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'WAL_CORRUPT');
        assert.match((e as Error).message, /byte 0/);
        return true;
      },
    );
  });

  it('a corrupted length field in the middle is corruption, not a torn tail', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    for (const r of SAMPLE) wal.append(r);
    wal.sync();
    wal.close();
    const bytes = readFileSync(path);
    bytes[1]! = 0x7f; // the first record now claims to run past the end of the file
    writeFileSync(path, bytes);
    assert.throws(() => Wal.open(path), { code: 'WAL_CORRUPT' });
  });

  it('garbage appended by a crashed writer is cut; a header claiming a huge record is corruption', () => {
    const path = join(dir(), 'wal');
    const { wal } = Wal.open(path);
    wal.append(SAMPLE[0]!);
    wal.sync();
    wal.close();
    appendFileSync(path, Buffer.from([0, 0, 0]));
    assert.deepEqual(Wal.open(path).records, [SAMPLE[0]]);
    appendFileSync(path, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert.throws(() => Wal.open(path), { code: 'WAL_CORRUPT' });
  });

  it('kill -9 of a process in the middle of writing leaves a WAL that opens cleanly', async () => {
    const path = join(dir(), 'wal');
    const writer = fileURLToPath(new URL('../fixtures/wal-writer.js', import.meta.url));
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 150 + attempt * 70));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const opened = Wal.open(path);
      assert.ok(opened.records.length > 0, 'the writer wrote nothing');
      assert.equal(statSync(path).size, opened.wal.bytes);
      opened.wal.close();
    }
  });
});

describe('durable signer', () => {
  const key = generateKeyPair('ed25519');
  const bytes = new Uint8Array([1, 2, 3]);

  it('returns the same signature when asked again for the same value, across restarts', () => {
    const path = join(dir(), 'signer.json');
    const a = new DurableSigner(path, key.secretKey).sign(5, 0, 'prevote', V, bytes);
    const b = new DurableSigner(path, key.secretKey).sign(5, 0, 'prevote', V, bytes);
    assert.deepEqual(a, b);
    assert.equal(getSuite('ed25519').verify(key.publicKey.bytes, bytes, a), true);
  });

  it('refuses a second value for one height/round/step, even after a restart', () => {
    const path = join(dir(), 'signer.json');
    new DurableSigner(path, key.secretKey).sign(5, 0, 'precommit', V, bytes);
    assert.throws(() => new DurableSigner(path, key.secretKey).sign(5, 0, 'precommit', null, bytes), {
      code: 'SIGNER_DOUBLE_SIGN',
    });
    // Other steps and rounds are fine.
    new DurableSigner(path, key.secretKey).sign(5, 1, 'precommit', null, bytes);
  });

  it('a record that could not be written changes nothing: memory follows the disk', () => {
    const path = join(dir(), 'signer.json');
    const signer = new DurableSigner(path, key.secretKey);
    signer.sign(5, 0, 'prevote', V, bytes);
    // The next write fails (its temporary file's name is taken by a folder).
    mkdirSync(`${path}.tmp`);
    assert.throws(() => signer.sign(5, 0, 'precommit', V, bytes), { code: 'EISDIR' });
    assert.throws(() => signer.sign(6, 0, 'prevote', V, bytes), { code: 'EISDIR' });
    rmdirSync(`${path}.tmp`);
    // No precommit was recorded or returned, and height 6 was not reached: this one is the first.
    signer.sign(5, 0, 'precommit', null, bytes);
    assert.throws(() => new DurableSigner(path, key.secretKey).sign(5, 0, 'precommit', V, bytes), {
      code: 'SIGNER_DOUBLE_SIGN',
    });
  });

  it('refuses the same value in different bytes (a proposal re-signed with another validRound)', () => {
    const path = join(dir(), 'signer.json');
    const signer = new DurableSigner(path, key.secretKey);
    signer.sign(5, 2, 'proposal', V, new Uint8Array([1]));
    assert.throws(() => signer.sign(5, 2, 'proposal', V, new Uint8Array([2])), {
      code: 'SIGNER_DOUBLE_SIGN',
    });
  });

  it('refuses to go back to an earlier height', () => {
    const path = join(dir(), 'signer.json');
    const signer = new DurableSigner(path, key.secretKey);
    signer.sign(7, 0, 'prevote', V, bytes);
    assert.throws(() => signer.sign(6, 3, 'prevote', V, bytes), { code: 'SIGNER_REGRESSION' });
  });

  it('an unreadable record means no signing at all', () => {
    const path = join(dir(), 'signer.json');
    writeFileSync(path, '{"height": 3, "entr');
    assert.throws(() => new DurableSigner(path, key.secretKey), { code: 'SIGNER_STATE_CORRUPT' });
  });
});
