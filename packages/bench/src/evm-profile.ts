import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` that the stage summary needs (see cpu-profile.ts). */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stage of the EVM path: a sample counts for it when any frame of its stack matches. */
export interface Stage {
  readonly label: string;
  /** The frame's function name (any, if absent). */
  readonly fn?: RegExp;
  /** The frame's script (a file URL under packages/ or node_modules/); any, if absent. */
  readonly url?: RegExp;
}

export interface StageTime {
  readonly label: string;
  readonly ms: number;
  /** Of the main thread's busy (non-idle) time. */
  readonly share: number;
}

/**
 * Where the validator's main thread spends an ERC-20 transfer. Stages nest (recovery is
 * inside decoding, which is inside admission or commit), so shares do not add up.
 */
export const EVM_STAGES: readonly Stage[] = [
  { label: 'JSON-RPC /rpc (eth_sendRawTransaction, admission within)', fn: /^dispatch$/, url: /rpc\/route/ },
  { label: '  admission (Mempool.add)', fn: /^add$/, url: /mempool\// },
  { label: '    authorization (membership, policies)', fn: /^authorize$/, url: /execution\// },
  { label: 'decodeEthereumTx (RLP, Keccak, signer), wherever called', fn: /^decodeEthereumTx$/ },
  { label: '  secp256k1 signer recovery (recoverEthereumSigner)', fn: /^recoverEthereumSigner$/ },
  { label: '  per-contract policy resource (evmResourceOf: decodes the transaction)', fn: /^evmResourceOf$/ },
  { label: 'block building (Chain.buildBlock)', fn: /^buildBlock$/, url: /chain\/chain/ },
  { label: 'block validation (Chain.blockProblem)', fn: /^blockProblem$/ },
  { label: 'block commit (Chain.commitNext)', fn: /^commitNext$/ },
  { label: '  execution (Executor.executeBlock)', fn: /^executeBlock$/, url: /execution\/executor/ },
  { label: '    EVM message (executeEvmMessage)', fn: /^executeEvmMessage$/ },
  { label: '      @ethereumjs/vm runTx', fn: /^runTx$/, url: /@ethereumjs\/vm/ },
  {
    label: '        interpreter (@ethereumjs/evm runInterpreter)',
    fn: /^runInterpreter$/,
    url: /@ethereumjs\/evm/,
  },
  { label: '        our state manager (ChainStateManager)', url: /evm\/dist\/src\/chain\/state-manager/ },
  {
    label: '      parsing the transaction again (prepare)',
    fn: /^prepare$/,
    url: /evm\/dist\/src\/chain\/execute/,
  },
  { label: '        @ethereumjs/tx createTxFromRLP', fn: /^createTxFromRLP$/ },
  { label: '      block context (blockContext: @ethereumjs/block createBlock)', fn: /^blockContext$/ },
  { label: '      EVM address of a key (evmAddressOf)', fn: /^evmAddressOf$/ },
  {
    label: '      @ethereumjs/common updateParams (params copied per tx and block)',
    fn: /^updateParams$/,
    url: /@ethereumjs\/common/,
  },
  { label: '  @ethereumjs/vm logs bloom (txLogsBloom, Keccak)', fn: /^txLogsBloom$/ },
  { label: '  search index rows (searchRows: the evm tx index)', fn: /^searchRows$/ },
  { label: '  store write (persistHead: LMDB, fsync)', fn: /^persistHead$/ },
  { label: '  receipts (encodeReceipt)', fn: /^encodeReceipt$/ },
  { label: 'eth_call (simulate)', fn: /^simulate$/, url: /rpc\/simulate/ },
  { label: 'state tree (@pujiang/state)', url: /packages\/state\/dist\// },
  { label: 'garbage collection', fn: /^\(garbage collector\)$/ },
];

/** Inclusive time of each stage on one thread over the samples in [fromUs, toUs]. */
export function stageTimes(
  path: string,
  window: { fromUs: number; toUs: number },
  stages: readonly Stage[] = EVM_STAGES,
): { busyMs: number; sampledMs: number; stages: StageTime[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const times = new Array<number>(stages.length).fill(0);
  let busyUs = 0;
  let sampledUs = 0;
  let at = profile.startTime;
  // A node's matches do not depend on the sample, so they are worked out once per node.
  const matches = new Map<number, number[]>();
  const matchesOf = (id: number): number[] => {
    let m = matches.get(id);
    if (m !== undefined) return m;
    const found = new Set<number>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)!.callFrame;
      stages.forEach((s, i) => {
        if ((s.fn?.test(frame.functionName) ?? true) && (s.url?.test(frame.url) ?? true)) found.add(i);
      });
    }
    m = [...found];
    matches.set(id, m);
    return m;
  };
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (at < window.fromUs || at > window.toUs) return;
    sampledUs += us;
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    busyUs += us;
    for (const s of matchesOf(id)) times[s]! += us;
  });
  return {
    busyMs: busyUs / 1000,
    sampledMs: sampledUs / 1000,
    stages: stages.map((s, i) => ({
      label: s.label,
      ms: times[i]! / 1000,
      share: busyUs > 0 ? times[i]! / busyUs : 0,
    })),
  };
}

/**
 * Who a frame's self time belongs to: the package (an npm package, a Pujiang package or
 * module), WebAssembly, Node's internals, or V8 (garbage collection, builtins). Unlike
 * inclusive stages, this does not depend on stacks, which `await` cuts short.
 */
function ownerOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (url === '')
    return functionName === '(garbage collector)' ? 'garbage collection' : 'V8 builtins and native code';
  if (url.startsWith('wasm://')) return 'WebAssembly (tiny-secp256k1: libsecp256k1)';
  if (url.startsWith('node:')) return `Node.js ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return npm[1]!;
  const ours = /packages\/(modules\/[^/]+|[^/]+)\//.exec(url);
  if (ours) return `@pujiang/${ours[1]!.replace('modules/', 'module-')}`;
  return url;
}

/** Self time by owner (`ownerOf`) over the samples in [fromUs, toUs], largest first. */
export function selfByOwner(path: string, window: { fromUs: number; toUs: number }, n = 16): StageTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const owners = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (at < window.fromUs || at > window.toUs) return;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    busyUs += us;
    const owner = ownerOf(frame);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
  });
  return [...owners]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([label, us]) => ({ label, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
}

/** The main thread's profile in a `--cpu-prof-dir` (thread 0), or undefined. */
export function mainThreadProfile(dir: string): string | undefined {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0')
    .sort()[0];
  return file === undefined ? undefined : join(dir, file);
}

const row = (t: StageTime) =>
  `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(7)} ms  ${t.label}`;

/** The main thread over a window: self time by owner, then the stages (inclusive; synchronous parts only). */
export function formatMainThread(
  title: string,
  path: string,
  window: { fromUs: number; toUs: number },
): string {
  const s = stageTimes(path, window);
  const busy = s.sampledMs > 0 ? (100 * s.busyMs) / s.sampledMs : 0;
  return [
    `\n${title}, main thread: busy ${busy.toFixed(0)}% of ${s.sampledMs.toFixed(0)} ms`,
    '  self time by package (share of busy):',
    ...selfByOwner(path, window).map(row),
    '  stages, inclusive (share of busy; a stack ends at an await, so asynchronous stages count only their synchronous parts):',
    ...s.stages.filter((t) => t.ms > 0).map(row),
  ].join('\n');
}
