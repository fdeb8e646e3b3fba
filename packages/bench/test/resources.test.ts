import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LoadResult } from '../src/load-plan.js';
import type { NodeWindow, PhaseOutcome } from '../src/phase.js';
import { diskBytes, procSample } from '../src/proc-usage.js';
import { type ResourceParameters, resourceRecords } from '../src/resources.js';

const MIB = 2 ** 20;

/** A phase that committed `txs` transactions over `seconds` in its window, with these node processes. */
function phase(txs: number, seconds: number, nodes: readonly NodeWindow[]): PhaseOutcome {
  const result: LoadResult = {
    signed: txs,
    signPerSecond: 1000,
    offeredPerSecond: seconds > 0 ? txs / seconds : 0,
    admitted: txs,
    refused: {},
    committed: { txs, blocks: 10, seconds },
    committedBefore: { start: 0, end: txs },
    failedReceipts: {},
    undrained: 0,
    committedTotal: txs,
    cpuCores: 0.1,
  };
  return {
    plan: {
      apiUrls: nodes.map((_, i) => `http://127.0.0.1:${8000 + i}`),
      chainId: 'test',
      suite: 'ed25519',
      senders: [],
      rate: 1000,
      seconds: 3,
      warmupSeconds: 1,
      watchTxs: false,
      maxBatch: 100,
      maxInFlight: 2,
      drainSeconds: 5,
    },
    result,
    nodes,
    window: { fromUs: 0, toUs: seconds * 1e6 },
  };
}

const node = (cpuCores: number, peakMiB: number): NodeWindow => ({ cpuCores, peakRssBytes: peakMiB * MIB });

function records(p: Omit<ResourceParameters, 'group' | 'prefix' | 'configuration'>) {
  const out = resourceRecords({ group: 'node', prefix: 'ed25519', configuration: { validators: 2 }, ...p });
  return new Map(out.map((r) => [r.name, r]));
}

describe('resourceRecords', () => {
  it('gives CPU seconds per 1,000 committed transactions from all processes at saturation', () => {
    // 2 nodes at 0.5 cores each = 1 core; 1,000 tx over 2 s = 500 tx/s; 1 / 500 * 1000 = 2 s.
    const saturation = phase(1000, 2, [node(0.5, 100), node(0.5, 120)]);
    const cpu = records({ saturation, phases: [saturation] }).get('ed25519 CPU s per 1,000 tx');
    assert.ok(cpu);
    assert.equal(cpu.group, 'node');
    assert.equal(cpu.unit, 'cpu-s');
    assert.ok(Math.abs(cpu.value - 2) < 1e-9, `got ${cpu.value}`);
    assert.equal(cpu.configuration.committedPerSecond, 500);
    assert.equal(cpu.configuration.cpuCores, 1);
    assert.deepEqual(cpu.configuration.perNodeCpuCores, [0.5, 0.5]);
    assert.equal(cpu.configuration.validators, 2, 'carries the given configuration');
  });

  it('takes CPU from the saturation phase only, and lists no per-node split for one node', () => {
    const saturation = phase(3000, 3, [node(1.5, 10)]); // 1.5 cores at 1,000 tx/s: 1.5 s per 1,000
    const other = phase(100, 1, [node(0.1, 10)]);
    const cpu = records({ saturation, phases: [other, saturation] }).get('ed25519 CPU s per 1,000 tx');
    assert.ok(cpu);
    assert.ok(Math.abs(cpu.value - 1.5) < 1e-9, `got ${cpu.value}`);
    assert.equal(cpu.configuration.perNodeCpuCores, undefined);
  });

  it('gives no CPU record when nothing was committed in the window', () => {
    for (const saturation of [phase(0, 2, [node(0.5, 100)]), phase(0, 0, [node(0.5, 100)])]) {
      const out = records({ saturation, phases: [saturation] });
      assert.equal(out.has('ed25519 CPU s per 1,000 tx'), false);
      assert.equal(out.has('ed25519 peak memory per node'), true, 'memory is still reported');
    }
  });

  it('takes peak memory as the largest over every phase and node, in MiB', () => {
    const a = phase(1000, 2, [node(0.5, 100), node(0.5, 120)]);
    const b = phase(500, 2, [node(0.2, 300), node(0.2, 90)]);
    const c = phase(700, 2, [node(0.3, 150), node(0.3, 250)]);
    const memory = records({ saturation: a, phases: [a, b, c] }).get('ed25519 peak memory per node');
    assert.ok(memory);
    assert.equal(memory.unit, 'MiB');
    assert.equal(memory.value, 300);
    assert.deepEqual(memory.configuration.perNodeMiB, [300, 250]);
  });

  it('gives no memory record when no peak is known', () => {
    const saturation = phase(1000, 2, [node(0.5, 0)]);
    assert.equal(records({ saturation, phases: [saturation] }).has('ed25519 peak memory per node'), false);
  });

  it("averages the nodes' disk growth over the committed transactions", () => {
    const saturation = phase(1000, 2, [node(0.5, 100), node(0.5, 100)]);
    const disk = records({
      saturation,
      phases: [saturation],
      // Growth 3,000,000 and 1,000,000 bytes: 2,000,000 per node on average, over 4,000 tx = 500 B/tx.
      disk: { beforeBytes: [1_000_000, 2_000_000], afterBytes: [4_000_000, 3_000_000], committedTxs: 4000 },
    }).get('ed25519 disk bytes per tx');
    assert.ok(disk);
    assert.equal(disk.unit, 'B');
    assert.equal(disk.value, 500);
    assert.equal(disk.configuration.committedTxs, 4000);
    assert.deepEqual(disk.configuration.perNodeGrowthMiB, [
      Number((3_000_000 / MIB).toFixed(2)),
      Number((1_000_000 / MIB).toFixed(2)),
    ]);
  });

  it('gives no disk record without disk figures or without committed transactions', () => {
    const saturation = phase(1000, 2, [node(0.5, 100)]);
    const out = records({ saturation, phases: [saturation] });
    assert.deepEqual(
      [...out.keys()].sort(),
      ['ed25519 CPU s per 1,000 tx', 'ed25519 peak memory per node'],
      'a chain in memory has CPU and memory records only',
    );
    const none = records({
      saturation,
      phases: [saturation],
      disk: { beforeBytes: [0], afterBytes: [1000], committedTxs: 0 },
    });
    assert.equal(none.has('ed25519 disk bytes per tx'), false);
  });
});

describe('proc-usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-bench-resources-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('diskBytes counts the allocated blocks of a directory tree, nested directories included', () => {
    const empty = diskBytes(dir);
    assert.equal(empty, 0);
    const size = 100_000;
    writeFileSync(join(dir, 'a.bin'), Buffer.alloc(size, 1));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b.bin'), Buffer.alloc(size, 2));
    const bytes = diskBytes(dir);
    assert.ok(bytes >= 2 * size, `${bytes} bytes on disk for two files of ${size}`);
    assert.ok(bytes < 2 * size + 2 * MIB, `${bytes} bytes on disk for two files of ${size}`);
  });

  it('procSample reads CPU and peak memory of a running process', () => {
    // Spend some CPU first, so at least one clock tick is on record.
    const until = performance.now() + 50;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    assert.ok(x > 0);
    const sample = procSample(process.pid);
    assert.ok(sample, 'this process has a /proc entry');
    assert.ok(sample.cpuMicros > 0, `cpuMicros ${sample.cpuMicros}`);
    assert.ok(sample.peakRssBytes > 0, `peakRssBytes ${sample.peakRssBytes}`);
    assert.ok(sample.peakRssBytes >= process.memoryUsage().rss / 2, 'peak RSS is in bytes, not kB');
    const later = procSample(process.pid)!;
    assert.ok(later.cpuMicros >= sample.cpuMicros);
    assert.ok(later.atMs >= sample.atMs);
  });

  it('procSample gives undefined for a process that no longer exists', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(child.stdout);
    assert.ok(pid > 0);
    assert.equal(procSample(pid), undefined);
    assert.equal(procSample(2 ** 22 + 1), undefined, 'beyond the largest pid Linux gives');
  });
});
