import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { keyPairFromSecretKey } from '@pujiang/crypto';
import type { GenesisJson } from '@pujiang/protocol';
import {
  addressOf,
  awaitNotaryReceipts,
  type BuildTransactionReturnType,
  buildTransaction,
  NotaryBatch,
  type NotaryReceipt,
  PujiangClient,
  parseGenesis,
  pendingNotaryReceipts,
  verifyNotaryReceipt,
} from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { BlockWatcher } from './block-watcher.js';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { BACKLOG_SECONDS, CLIENT, IN_FLIGHT, OVERLOAD, SENDERS, verifyLimitName } from './node-bench.js';
import { type BenchNode, withBenchNode } from './node-home.js';
import { anchorMessage } from './payloads.js';
import {
  describePhase,
  type NodeWindow,
  nodeUsage,
  nodeWindow,
  type PhaseOutcome,
  perSecond,
  round2,
  runPhase,
  usage,
} from './phase.js';
import { type BenchRecord, opsPerSecond } from './record.js';
import { verifyLimit } from './verify-limit.js';

export interface NotaryBenchOptions {
  readonly quick: boolean;
  /** The node group's ed25519 verify limit from this run, if it ran (reused, not measured again). */
  readonly verifyLimit?: number;
  /** Write the node process's CPU profiles here and print the single-digest window's top functions. */
  readonly profileDir?: string;
}

const SUITE = 'ed25519';
/** Digests per batched anchor: the batch size the notary service test and the receipt-size figure use. */
export const BATCH_SIZE = 10_000;
/** Receipts of one batch completed once and then verified over and over. */
const RECEIPTS = 1_000;
/**
 * Single-digest transactions whose receipt codes are looked up after the run (blocks give
 * counts only). Few: each lookup proves one receipt in a block of thousands (~20 ms of the node).
 */
const SAMPLED_RECEIPTS = 50;

const SETTINGS = {
  quick: { single: { seconds: 5, warmupSeconds: 1.5 }, batches: 10, verifyMs: 1000 },
  full: { single: { seconds: 30, warmupSeconds: 5 }, batches: 100, verifyMs: 3000 },
} as const;

/** Batched anchoring, from the first batch's tree to the block holding the last batch. */
interface BatchedOutcome {
  readonly batches: number;
  readonly seconds: number;
  /** Client time spent building the batches' Merkle trees (and their documents' leaves). */
  readonly buildSeconds: number;
  /** Client time spent signing the anchors. */
  readonly signSeconds: number;
  /** Client time waiting for the node to admit the anchors (`POST /v1/txs` answered). */
  readonly submitSeconds: number;
  /** From the last submission's answer to the arrival of its block. */
  readonly tailMs: number;
  readonly node: NodeWindow;
  readonly clientCpuCores: number;
  /** The first batch and its transaction: its receipts are the ones verified. */
  readonly first: { readonly batch: NotaryBatch; readonly tx: BuildTransactionReturnType };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `batches` anchors of BATCH_SIZE random digests each from one sender, one after another:
 * build the batch (its Merkle tree), sign its `notary/anchor`, submit it (`POST /v1/txs`), go
 * on to the next while the node commits. Every anchor must be in a block with code OK.
 */
async function runBatched(n: BenchNode, sender: string, batches: number): Promise<BatchedOutcome> {
  const client = new PujiangClient(n.apiUrl);
  const status = await client.getStatus();
  const key = keyPairFromSecretKey({ suite: SUITE, bytes: hexToBytes(sender) });
  const firstNonce = BigInt((await client.getAccount(addressOf(status.chainHash, key))).pendingNonce);
  // Random digests stand in for documents' (digesting content is not measured); made before the clock.
  const digests = Array.from({ length: batches }, () => randomBytes(32 * BATCH_SIZE));
  const ours = new Set<string>();
  const committed = new Map<string, { code: string; at: number }>();
  const watcher = new BlockWatcher(n.apiUrl, {
    txs: true,
    onTx: (hash, code, block) => {
      if (ours.has(hash)) committed.set(hash, { code, at: block.at });
    },
  });
  await watcher.open();
  try {
    const nodeFrom = await usage(n.node);
    const cpuFrom = process.cpuUsage();
    const start = performance.now();
    let building = 0;
    let signing = 0;
    let submitting = 0;
    let lastAnswer = start;
    let first: BatchedOutcome['first'] | undefined;
    for (let i = 0; i < batches; i++) {
      const t = performance.now();
      const raw = digests[i]!;
      const batch = new NotaryBatch(
        status.chainHash,
        Array.from({ length: BATCH_SIZE }, (_, j) => ({
          algorithm: 'sha256' as const,
          digest: raw.subarray(32 * j, 32 * j + 32),
        })),
      );
      const built = performance.now();
      building += built - t;
      const tx = buildTransaction({
        chainId: status.chainId,
        chainHash: status.chainHash,
        key,
        nonce: firstNonce + BigInt(i),
        expiresAtHeight: BigInt(status.height + 100_000),
        ...anchorMessage(batch.root, batch.size, 'sha256'),
      });
      ours.add(tx.hash);
      const signed = performance.now();
      signing += signed - built;
      await client.submitTx(tx); // a refusal throws: the run is void
      lastAnswer = performance.now();
      submitting += lastAnswer - signed;
      first ??= { batch, tx };
    }
    const deadline = performance.now() + 30_000;
    while (committed.size < batches && !watcher.failure && performance.now() < deadline) await sleep(5);
    if (watcher.failure) throw watcher.failure;
    if (committed.size < batches)
      throw new Error(
        `notary: ${batches - committed.size} of ${batches} batch anchors not committed in 30 s`,
      );
    const failed = [...committed.values()].filter((c) => c.code !== 'OK').map((c) => c.code);
    if (failed.length > 0) throw new Error(`notary: batch anchors failed: ${failed.join(', ')}`);
    const end = Math.max(...[...committed.values()].map((c) => c.at));
    const cpu = process.cpuUsage(cpuFrom);
    const nodeTo = await usage(n.node);
    return {
      batches,
      seconds: (end - start) / 1000,
      buildSeconds: building / 1000,
      signSeconds: signing / 1000,
      submitSeconds: submitting / 1000,
      tailMs: end - lastAnswer,
      node: nodeWindow(nodeFrom, nodeTo),
      clientCpuCores: (cpu.user + cpu.system) / 1000 / (end - start),
      first: first!,
    };
  } finally {
    watcher.close();
  }
}

/** RECEIPTS receipts spread over the first batch, completed from the node once. */
async function completeReceipts(
  n: BenchNode,
  first: BatchedOutcome['first'],
): Promise<{ receipts: NotaryReceipt[]; pendingMs: number }> {
  const t = performance.now();
  const pending = pendingNotaryReceipts({
    chainId: n.chain.chainId,
    batch: first.batch,
    txHash: first.tx.hash,
    txRaw: first.tx.wire,
  });
  const pendingMs = performance.now() - t;
  const step = pending.length / RECEIPTS;
  const chosen = Array.from({ length: RECEIPTS }, (_, k) => pending[Math.floor(k * step)]!);
  const receipts = await awaitNotaryReceipts(new PujiangClient(n.apiUrl), chosen, { timeoutMs: 30_000 });
  const incomplete = receipts.filter((r) => r.status !== 'complete').length;
  if (incomplete > 0) throw new Error(`notary: ${incomplete} receipts still pending after 30 s`);
  return { receipts, pendingMs };
}

/**
 * Receipts verified per second on this thread, offline, against the pinned genesis: each as
 * the JSON text a verifier is handed, with the document's digest it was built from. Every
 * receipt is checked valid once before the clock starts.
 */
function verifyRate(
  genesisJson: GenesisJson,
  receipts: readonly NotaryReceipt[],
  batch: NotaryBatch,
  ms: number,
) {
  const genesis = parseGenesis(genesisJson);
  const texts = receipts.map((r) => JSON.stringify(r));
  const digests = receipts.map((r) => bytesToHex(batch.leaves[r.batch.index]!.digest));
  const verify = (k: number) => {
    const v = verifyNotaryReceipt({ receipt: texts[k]!, trust: { genesis }, digest: digests[k]! });
    if (v.status !== 'valid') throw new Error(`notary: receipt ${k} is ${v.status}`);
  };
  for (let k = 0; k < texts.length; k++) verify(k);
  let k = 0;
  const rate = opsPerSecond(() => verify(k++ % texts.length), ms);
  const bytes = texts.map((t) => Buffer.byteLength(t));
  return {
    rate,
    bytes: {
      max: Math.max(...bytes),
      min: Math.min(...bytes),
      mean: bytes.reduce((a, b) => a + b, 0) / bytes.length,
    },
    pathHashes: Math.max(...receipts.map((r) => r.batch.path.length)),
  };
}

/**
 * Notarization on one real validator process (as the node group starts it): single-digest
 * anchors at saturation through the batch API, batched anchors of 10,000 digests end to end
 * (client tree building, submission, commit), then receipts of one batch completed and
 * verified offline with the node stopped.
 */
export async function runNotaryBench(o: NotaryBenchOptions): Promise<BenchRecord[]> {
  const settings = o.quick ? SETTINGS.quick : SETTINGS.full;
  const records: BenchRecord[] = [];
  const limitName = verifyLimitName(SUITE);
  let limit = o.verifyLimit;
  if (limit === undefined) {
    // As the node group does: measured before the node starts, on the otherwise idle machine.
    const measured = await verifyLimit(SUITE, o.quick ? 1000 : 2000);
    limit = measured.rate;
    records.push({
      group: 'notary',
      name: limitName,
      value: limit,
      unit: 'ops/s',
      configuration: {
        suite: SUITE,
        workers: measured.workers,
        batch: measured.batch,
        note: 'transfer sign bytes, warm keys',
      },
    });
  }
  const senders = SENDERS[SUITE] ?? 64;
  const profileDir = freshProfileDir(o.profileDir, 'notary');
  const run = await withBenchNode(
    // One more sender than the single-digest phase uses: the batched phase's, with no transactions left over.
    { label: 'notary', suite: SUITE, senders: senders + 1, ...(profileDir ? { profileDir } : {}) },
    async (n) => {
      const single = await runPhase([nodeUsage(n.node)], join(n.dir, 'single.json'), {
        apiUrls: [n.apiUrl],
        chainId: n.chain.chainId,
        suite: SUITE,
        ...CLIENT,
        ...settings.single,
        senders: n.chain.senders.slice(0, senders),
        message: 'notaryAnchor',
        rate: OVERLOAD * limit,
        maxOutstanding: Math.round(BACKLOG_SECONDS * limit),
        maxInFlight: IN_FLIGHT.saturation,
        watchTxs: false,
        sampleReceipts: SAMPLED_RECEIPTS,
      });
      const codes = single.result.sampledReceipts ?? {};
      if (Object.keys(codes).some((code) => code !== 'OK'))
        console.error(`notary: single-digest anchors sampled after the run: ${JSON.stringify(codes)}`);
      const batched = await runBatched(n, n.chain.senders[senders]!, settings.batches);
      const { receipts, pendingMs } = await completeReceipts(n, batched.first);
      return { chain: n.chain, single, batched, receipts, pendingMs };
    },
  );
  if (profileDir)
    console.log(formatProfiles('notary, single digests', summarizeProfiles(profileDir, run.single.window)));
  // The node has stopped: verification is offline, on this thread, the machine otherwise idle.
  const verified = verifyRate(run.chain.genesis, run.receipts, run.batched.first.batch, settings.verifyMs);
  records.push(...notaryRecords({ ...run, verified, limit, limitName }));
  return records;
}

function notaryRecords(r: {
  chain: BenchNode['chain'];
  single: PhaseOutcome;
  batched: BatchedOutcome;
  pendingMs: number;
  verified: ReturnType<typeof verifyRate>;
  limit: number;
  limitName: string;
}): BenchRecord[] {
  const { single, batched, verified } = r;
  const common = {
    suite: SUITE,
    validators: 1,
    blockIntervalMs: r.chain.config.blockIntervalMs,
    mempool: r.chain.config.mempool,
    maxBlockTxs: r.chain.genesis.limits.maxBlockTxs,
  };
  const singleRate = perSecond(single.result);
  const digests = batched.batches * BATCH_SIZE;
  const batchedRate = digests / batched.seconds;
  const singleName = 'notary digests/s, single';
  const batchedConfiguration = {
    ...common,
    senders: 1,
    digestsPerAnchor: BATCH_SIZE,
    anchors: batched.batches,
    digests,
    seconds: round2(batched.seconds),
    clientBuildSeconds: round2(batched.buildSeconds),
    clientSignSeconds: round2(batched.signSeconds),
    clientSubmitSeconds: round2(batched.submitSeconds),
    lastCommitTailMs: Math.round(batched.tailMs),
    clientCpuCores: round2(batched.clientCpuCores),
    nodeCpuCores: round2(batched.node.cpuCores),
    nodeMainThreadBusy: round2(batched.node.loopBusy ?? Number.NaN),
    pendingReceiptsMsPerBatch: Math.round(r.pendingMs),
    note: 'one client thread: random digests (not digesting content), NotaryBatch tree, sign, POST /v1/txs, next batch while the node commits; from the first tree to the block holding the last anchor (all OK); the pending receipts notarize() also makes are not included',
  };
  const receiptConfiguration = {
    suite: SUITE,
    validators: 1,
    batchSize: BATCH_SIZE,
    receipts: RECEIPTS,
    maxPathHashes: verified.pathHashes,
  };
  return [
    {
      group: 'notary',
      name: singleName,
      value: singleRate,
      unit: 'digest/s',
      configuration: {
        ...common,
        ...describePhase(single),
        senders: single.plan.senders.length,
        digestsPerAnchor: 1,
        // Anchors already in the state when the window opened and closed: the cost of an anchor grows with them.
        anchorsAtWindowStart: single.result.committedBefore.start,
        anchorsAtWindowEnd: single.result.committedBefore.end,
        sampledReceipts: single.result.sampledReceipts,
        note: 'one digest per notary/anchor, pre-signed, offered above the verify limit through POST /v1/txs/batch; committed anchors counted from decided blocks over /v1/events; receipt codes of a sample looked up after the run; each anchor adds a state key, and the rate falls as they accumulate (anchorsAtWindowStart/End)',
      },
      limit: { name: r.limitName, value: r.limit, ratio: singleRate / r.limit },
    },
    {
      group: 'notary',
      name: 'notary digests/s, batched',
      value: batchedRate,
      unit: 'digest/s',
      configuration: batchedConfiguration,
      comparedWith: { name: singleName, value: singleRate, ratio: batchedRate / singleRate },
    },
    {
      group: 'notary',
      name: 'notary batch anchors/s',
      value: batched.batches / batched.seconds,
      unit: 'tx/s',
      configuration: batchedConfiguration,
    },
    {
      group: 'notary',
      name: 'notary receipts verified/s',
      value: verified.rate,
      unit: 'ops/s',
      configuration: {
        ...receiptConfiguration,
        threads: 1,
        trust: 'pinned genesis',
        note: 'verifyNotaryReceipt offline (node stopped) on the receipt JSON text and the document digest: batch path, anchor tx signature, headers H and H+1 certified, tx and result proofs; receipts of one batch share their blocks, so keys are warm',
      },
    },
    {
      group: 'notary',
      name: 'notary receipt size, 10k batch',
      value: verified.bytes.max,
      unit: 'bytes',
      configuration: {
        ...receiptConfiguration,
        minBytes: verified.bytes.min,
        meanBytes: Math.round(verified.bytes.mean),
        note: 'largest complete receipt (JSON.stringify, no whitespace) of those verified',
      },
    },
  ];
}
