import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EMPTY_ROOT, SparseMerkleTree, verifyStateProof } from '@pujiang/state';
import { ChainStore } from '../src/index.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'pujiang-store-')), 'db');
const b = (s: string) => Buffer.from(s);

describe('chain store (LMDB)', () => {
  it('committed state survives reopen; uncommitted nodes do not', async () => {
    const path = dir();
    let store = ChainStore.open(path);
    let tree = new SparseMerkleTree('sm3', store);
    const r1 = tree.update(tree.update(EMPTY_ROOT, b('a'), b('1')), b('b'), b('2'));
    store.commit({ root: r1 });
    const r2 = tree.update(r1, b('c'), b('3')); // never committed
    assert.ok(store.pendingNodes > 0);
    await store.close();

    store = ChainStore.open(path);
    tree = new SparseMerkleTree('sm3', store);
    assert.deepEqual(store.getMeta('root'), r1);
    assert.equal(b(tree.get(r1, b('b'))!.toString()).toString(), '2');
    assert.throws(() => tree.get(r2, b('c')), { code: 'STATE_MISSING_NODE' });
    const proof = tree.prove(r1, b('a'));
    assert.deepEqual(verifyStateProof('sm3', r1, b('a'), b('1'), proof), { valid: true, present: true });
    await store.close();
    assert.throws(() => store.get('00'), { code: 'STORAGE_CLOSED' });
  });

  it('kill -9 in the middle of committing blocks: every reported height is there, complete, after reopen', async () => {
    const path = dir();
    const writer = fileURLToPath(new URL('../fixtures/commit-loop.js', import.meta.url));
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let reported = 0;
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const lines = output.split('\n');
        output = lines.pop() ?? '';
        for (const line of lines) if (/^\d+$/.test(line)) reported = Number(line);
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 200 + attempt * 90));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const store = ChainStore.open(path);
      const root = store.getMeta('root');
      const height = Number(Buffer.from(store.getMeta('height') ?? b('0')).toString());
      assert.ok(root && height > 0, 'the writer committed nothing');
      assert.ok(height >= reported, `height ${reported} was reported committed, the store holds ${height}`);
      // Walk every account: each lookup touches nodes of the recorded root; a missing one would throw.
      const tree = new SparseMerkleTree('sha256', store);
      let found = 0;
      for (let i = 0; i < 500; i++) if (tree.get(root, b(`acct-${i}`)) !== undefined) found++;
      assert.ok(found > 0);
      await store.close();
    }
  });
});
