import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { isSuiteId, type SuiteId } from '@pujiang/crypto';
import { runAppsBench } from './apps-bench.js';
import { runConsensusBench } from './consensus-bench.js';
import { runConsoleBench } from './console-bench.js';
import { runCryptoBench } from './crypto-bench.js';
import { runDataBench } from './data-bench.js';
import { runDidBench } from './did-bench.js';
import { runPeerBench } from './eth/peer-bench.js';
import { runEvmBench } from './evm-bench.js';
import { runIndexBench } from './index-bench.js';
import { runMonitorBench } from './monitor-bench.js';
import { runNetworkBench } from './network-bench.js';
import { runNodeBench, verifyLimitName } from './node-bench.js';
import { runNotaryBench } from './notary-bench.js';
import { runPrivacyBench } from './privacy-bench.js';
import type { BenchRecord } from './record.js';
import { runXchainBench } from './xchain-bench.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    group: { type: 'string', multiple: true },
    // Limits the crypto, node and network groups to these suites (node: ed25519, sm2, ml-dsa-44, sm2+ml-dsa-65 by default; network: ed25519; notary: always ed25519).
    suite: { type: 'string', multiple: true },
    // Directory for CPU profiles of the node process (node, notary, evm, apps groups) and of one validator (network group); their top functions are printed.
    profile: { type: 'string' },
    // Verification threads per validator in the network group (0: one per core).
    'verify-workers': { type: 'string' },
  },
});
const quick = values.quick === true;
const groups = new Set(
  values.group ?? [
    'crypto',
    'consensus',
    'node',
    'notary',
    'did',
    'xchain',
    'privacy',
    'data',
    'apps',
    'network',
    'peer',
    'evm',
    'index',
    'monitor',
    'console',
  ],
);
const verifyWorkers = values['verify-workers'] === undefined ? undefined : Number(values['verify-workers']);
if (
  verifyWorkers !== undefined &&
  !(Number.isSafeInteger(verifyWorkers) && verifyWorkers >= 0 && verifyWorkers <= 256)
)
  throw new Error('--verify-workers: an integer from 0 to 256');
const suites = values.suite?.map((s): SuiteId => {
  if (!isSuiteId(s)) throw new Error(`--suite: unknown suite ${s}`);
  return s;
});

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
};

const records: BenchRecord[] = [];
/** Wall-clock seconds each group took, printed and kept with the results (the quick run's budget is 3 minutes). */
const groupSeconds: Record<string, number> = {};
async function group(name: string, run: () => BenchRecord[] | Promise<BenchRecord[]>): Promise<void> {
  if (!groups.has(name)) return;
  const start = performance.now();
  records.push(...(await run()));
  groupSeconds[name] = Math.round((performance.now() - start) / 100) / 10;
  console.error(`group ${name}: ${groupSeconds[name]} s`);
}
const only = suites ? { suites } : {};
const profile = values.profile ? { profileDir: values.profile } : {};
await group('crypto', () => runCryptoBench({ ms: quick ? 150 : 1500, ...only }));
await group('consensus', () => runConsensusBench({ quick }));
await group('node', () => runNodeBench({ quick, ...only, ...profile }));
await group('notary', () => {
  // The node group's Ed25519 verify limit, if it ran: the single-digest figure is compared with it.
  const limit = records.find((r) => r.group === 'node' && r.name === verifyLimitName('ed25519'));
  return runNotaryBench({ quick, ...profile, ...(limit ? { verifyLimit: limit.value } : {}) });
});
await group('did', () => runDidBench({ quick }));
await group('xchain', () => runXchainBench({ quick }));
await group('privacy', () => runPrivacyBench({ quick }));
await group('data', () => runDataBench({ quick }));
// Application transactions (scf; lc to come) against the bank transfer rate of the same run.
await group('apps', () => runAppsBench({ quick, ...profile }));
await group('network', () =>
  runNetworkBench({
    quick,
    ...only,
    ...profile,
    ...(verifyWorkers === undefined ? {} : { verifyWorkers }),
  }),
);

await group('peer', () => {
  // Our single validator's Ed25519 figures, if the node group ran: the peer is reported beside them.
  const ours = (name: string) =>
    records.find((r) => r.group === 'node' && r.name === `ed25519 ${name}`)?.value;
  const [committedPerSecond, p50, p95, p99] = [
    'committed transfers/s',
    ...['p50', 'p95', 'p99'].map((q) => `commit latency ${q}`),
  ].map(ours);
  const compared =
    committedPerSecond && p50 && p95 && p99 ? { ours: { committedPerSecond, p50, p95, p99 } } : {};
  return runPeerBench({ quick, ...compared });
});

await group('evm', () => runEvmBench({ quick, ...profile }));
await group('index', () => runIndexBench({ quick }));
await group('monitor', () => runMonitorBench({ quick }));
await group('console', () => runConsoleBench({ quick }));

const format = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${quick ? ' (quick)' : ''}\n`);
console.log(`${'group'.padEnd(8)} ${'figure'.padEnd(32)} ${'value'.padStart(12)}  unit     vs`);
for (const r of records) {
  const met = r.target?.met === undefined ? '' : r.target.met ? ', met' : ', not met';
  const vs = [
    r.limit ? `${r.limit.ratio.toFixed(2)}x limit (${r.limit.name})` : '',
    r.comparedWith ? `${r.comparedWith.ratio.toFixed(2)}x ${r.comparedWith.name}` : '',
    r.target ? `${r.target.ratio.toFixed(2)}x target ${format(r.target.value)}${met}` : '',
  ]
    .filter((s) => s)
    .join('; ');
  console.log(
    `${r.group.padEnd(8)} ${r.name.padEnd(32)} ${format(r.value).padStart(12)}  ${r.unit.padEnd(8)} ${vs}`,
  );
}
const out = values.out ?? 'bench-results.json';
writeFileSync(out, `${JSON.stringify({ machine: { ...machine, groupSeconds }, records }, null, 2)}\n`);
console.log(`\nwrote ${records.length} figures to ${out}`);
