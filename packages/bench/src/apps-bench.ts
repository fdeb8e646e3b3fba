import { randomBytes } from 'node:crypto';
import { keyPairFromSecretKey } from '@pujiang/crypto';
import type { ChainClient, SendTransactionParameters, SendTransactionReturnType } from '@pujiang/module-kit';
import type { GenesisJson } from '@pujiang/protocol';
import {
  addressOf,
  confirmReceivable,
  type KeyPair,
  PujiangClient,
  setCreditLine,
  splitReceivable,
  transferPayload,
  transferReceivable,
} from '@pujiang/sdk';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { type CommitAllOutcome, commitAll } from './apps-load.js';
import { type GasMessage, presignMessages } from './apps-sign.js';
import { formatProfiles, freshProfileDir, summarizeProfiles } from './cpu-profile.js';
import { addLcParties, LC_SIZES, type LcParties, lcPhases } from './lc-bench.js';
import { type BenchNode, withBenchNode } from './node-home.js';
import { type NodeWindow, nodeWindow, round2, usage } from './phase.js';
import type { Presigned } from './presign.js';
import type { BenchRecord } from './record.js';

/**
 * The apps group (issue 24): application transactions per second on one validator, each held
 * against the bank transfer rate measured in the same run on the same node. Every phase is a
 * closed set of presigned transactions (signed on all cores before its clock starts), pushed
 * through `POST /v1/txs/batch` at saturation and counted from the receipts' codes over
 * `/v1/events`; every one must commit OK, or the run is void.
 *
 * Phases run in order, each acting on what the one before committed: bank transfers (the
 * reference), scf confirmations (each within the buyer's credit line, its invoice and a
 * delivery digest notarized), splits of the confirmed receivables in two, transfers of one
 * part of each; then letters of credit (`lc-bench.ts`), signed by parties of four
 * organizations of their own: setup steps notarize records and draft, approve, issue and
 * advise the credits, the measured phase presents against them.
 */
export interface AppsBenchOptions {
  readonly quick: boolean;
  /** Write the node process's CPU profiles here and print each phase's top functions. */
  readonly profileDir?: string;
}

const SUITE = 'ed25519';
const SETTINGS = {
  quick: { senders: 32, perSender: 200, timeoutMs: 90_000 },
  full: { senders: 64, perSender: 500, timeoutMs: 600_000 },
} as const;
/** Submission as the node group's saturation phases do it: batches, a few requests in flight, a bounded backlog. */
const LOAD = { maxBatch: 500, maxInFlight: 4, maxOutstanding: 4_000 } as const;
/**
 * Gas limits signed with: the node group's for every kind (each uses far less: a confirmation
 * about 36,000), so the block gas limit, a sum of gas limits, caps blocks alike for all.
 */
const GAS = { transfer: 100_000, scf: 100_000 } as const;
const BANK_FIGURE = 'bank transfers committed/s';
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** What the phases act with: the funded senders (all of one organization, which is the bank). */
export interface AppsContext {
  readonly chainId: string;
  readonly chainHash: 'sha256' | 'sm3';
  /** Senders 0..n-1 act as buyers, suppliers and holders; sender n is the bank's officer. */
  readonly keys: readonly KeyPair[];
  readonly addresses: readonly string[];
  /** The Shanghai day of the chain's latest block. */
  readonly today: number;
  readonly perSender: number;
}

/** One step of the run: a setup (no figure) or a measured phase. */
export interface AppPhase {
  /** The figure's name; a setup step has none. */
  readonly figure?: string;
  /** Each sender's messages in nonce order (index as in `AppsContext.keys`; empty: sends nothing). */
  messages(ctx: AppsContext): Promise<GasMessage[][]>;
  /**
   * Once every transaction of the step committed OK: reads what later steps need from the
   * chain (ids a module derived from a transaction, say). `signed.sender[i]` is the index in
   * `AppsContext.keys` of transaction i's sender.
   */
  committed?(signed: Presigned, client: PujiangClient): Promise<void>;
  /** What the phase's record says of its own load where the group's settings do not (the lc senders). */
  readonly configuration?: Readonly<Record<string, unknown>>;
}

/**
 * The module message an SDK call would send, kept instead of sent: the SDK checks the
 * arguments and encodes the payload (and computes the ids it returns), the bench signs it
 * with the nonces it plans.
 */
export async function recorded<T>(
  gasLimit: number,
  call: (client: ChainClient) => Promise<T>,
): Promise<{ message: GasMessage; result: T }> {
  let message: GasMessage | undefined;
  const recorder = {
    sendTransaction: async (p: SendTransactionParameters) => {
      const endorsers = p.endorsers?.map((k) => bytesToHex(k.secretKey.bytes));
      message = {
        module: p.module,
        type: p.type,
        payload: p.payload,
        gasLimit,
        ...(endorsers?.length ? { endorsers } : {}),
      };
      return {} as SendTransactionReturnType;
    },
  } as unknown as ChainClient;
  const result = await call(recorder);
  if (!message) throw new Error('apps: the SDK call sent nothing');
  return { message, result };
}

const next = (ctx: AppsContext, i: number) => ctx.addresses[(i + 1) % (ctx.keys.length - 1)]!;
const buyers = (ctx: AppsContext) => ctx.keys.slice(0, -1);

/** Transfers per sender in the reference, per scf message: it is several times faster, and should span as many blocks. */
const BANK_SHARE = 2;

/** The reference: each sender transfers 1 unit to the next, `BANK_SHARE * perSender` times. */
function bankPhase(): AppPhase {
  return {
    figure: BANK_FIGURE,
    messages: async (ctx) =>
      buyers(ctx).map((_, i) =>
        Array.from({ length: BANK_SHARE * ctx.perSender }, () => ({
          module: 'bank',
          type: 'transfer',
          payload: transferPayload(next(ctx, i), 1),
          gasLimit: GAS.transfer,
        })),
      ),
  };
}

/**
 * Supply-chain finance: sender i confirms payables to sender i+1 (its supplier), which splits
 * each receivable it holds in two and hands the first part on to sender i+2.
 */
function scfPhases(): AppPhase[] {
  // Receivables each sender holds, and the first part of each after the split (index: sender).
  const held = new Map<number, string[]>();
  const parts = new Map<number, string[]>();
  const add = (into: Map<number, string[]>, i: number, id: string) => {
    const list = into.get(i) ?? [];
    list.push(id);
    into.set(i, list);
  };
  const sdk = <T>(call: (client: ChainClient) => Promise<T>) => recorded(GAS.scf, call);
  return [
    {
      // The bank's officer grants every buyer a line far above what the run confirms.
      messages: async (ctx) => {
        const lines = await Promise.all(
          buyers(ctx).map(async (_, i) => {
            const officer = ctx.keys.at(-1)!;
            const buyer = ctx.addresses[i]!;
            return (await sdk((c) => setCreditLine(c, { key: officer, buyer, limit: 10n ** 15n }))).message;
          }),
        );
        return [...buyers(ctx).map(() => []), lines];
      },
    },
    {
      figure: 'scf confirmations committed/s',
      messages: (ctx) =>
        Promise.all(
          buyers(ctx).map(async (key, i) => {
            const supplier = (i + 1) % buyers(ctx).length;
            const out: GasMessage[] = [];
            for (let k = 0; k < ctx.perSender; k++) {
              const { message, result } = await sdk((c) =>
                confirmReceivable(c, {
                  key,
                  // The supplier consents to the receivable it will hold.
                  endorsers: [ctx.keys[supplier]!],
                  supplier: ctx.addresses[supplier]!,
                  amount: 1_000,
                  dueDate: ctx.today + 30,
                  invoiceDigest: randomBytes(32),
                  deliveryDigests: [randomBytes(32)],
                  reference: `INV-${i}-${k}`,
                  chainHash: ctx.chainHash,
                }),
              );
              add(held, supplier, result.id);
              out.push(message);
            }
            return out;
          }),
        ),
    },
    {
      figure: 'scf splits committed/s',
      messages: (ctx) =>
        Promise.all(
          buyers(ctx).map(async (key, j) => {
            const out: GasMessage[] = [];
            for (const id of held.get(j) ?? []) {
              const { message, result } = await sdk((c) =>
                splitReceivable(c, { key, id, amounts: [600, 400], chainHash: ctx.chainHash }),
              );
              add(parts, j, result.parts[0]!);
              out.push(message);
            }
            return out;
          }),
        ),
    },
    {
      figure: 'scf transfers committed/s',
      messages: (ctx) =>
        Promise.all(
          buyers(ctx).map(async (key, j) => {
            const out: GasMessage[] = [];
            for (const id of parts.get(j) ?? [])
              out.push((await sdk((c) => transferReceivable(c, { key, id, to: next(ctx, j) }))).message);
            return out;
          }),
        ),
    },
  ];
}

/** Every step of the run in order: the reference first, then each application's. */
const appPhases = (): AppPhase[] => [bankPhase(), ...scfPhases()];

export interface PhaseResult {
  readonly figure: string;
  readonly outcome: CommitAllOutcome;
  readonly node: NodeWindow;
  readonly gasUsed: number;
  readonly gasLimit: number;
  readonly signSeconds: number;
  /** The phase on the monotonic clock, to cut CPU profiles to it. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
  readonly configuration?: Readonly<Record<string, unknown>>;
}

/**
 * Signs the step's messages by `ctx.keys` from each one's next nonce, commits them all, and
 * samples the node around it; a measured phase answers its figures.
 */
export async function runStep(
  n: BenchNode,
  client: PujiangClient,
  ctx: AppsContext,
  phase: AppPhase,
  timeoutMs: number,
): Promise<PhaseResult | undefined> {
  const messages = await phase.messages(ctx);
  const nonces = await Promise.all(ctx.addresses.map(async (a) => (await client.getAccount(a)).pendingNonce));
  const signStart = performance.now();
  const signed = await presignMessages({
    suite: SUITE,
    chainId: ctx.chainId,
    chainHash: ctx.chainHash,
    senders: messages.map((m, i) => ({
      secretKey: bytesToHex(ctx.keys[i]!.secretKey.bytes),
      firstNonce: nonces[i]!,
      messages: m,
    })),
  });
  const signSeconds = (performance.now() - signStart) / 1000;
  const from = await usage(n.node);
  const outcome = await commitAll(n.apiUrl, signed, { ...LOAD, timeoutMs });
  const to = await usage(n.node);
  const refusedForGood = Object.keys(outcome.refused).filter(
    (code) => !['MEMPOOL_FULL', 'MEMPOOL_SENDER_FULL', 'TX_NONCE_TOO_HIGH'].includes(code),
  );
  if (Object.keys(outcome.failed).length > 0 || refusedForGood.length > 0)
    throw new Error(
      `apps: ${phase.figure ?? 'setup'}: receipts ${JSON.stringify(outcome.failed)}, refusals ${JSON.stringify(outcome.refused)}`,
    );
  console.error(
    `apps ${phase.figure ?? 'setup'}: ${signed.hex.length} transactions signed in ${signSeconds.toFixed(1)} s, committed in ${outcome.seconds.toFixed(1)} s`,
  );
  await phase.committed?.(signed, client);
  if (!phase.figure) return undefined;
  // One receipt for the gas a message of this kind uses.
  const sample = await client.getTx(signed.hashes[0]!);
  return {
    figure: phase.figure,
    outcome,
    node: nodeWindow(from, to),
    gasUsed: sample.receipt?.gasUsed ?? 0,
    gasLimit: messages.flat()[0]?.gasLimit ?? 0,
    signSeconds,
    window: { fromUs: from.monotonicUs, toUs: to.monotonicUs },
    ...(phase.configuration ? { configuration: phase.configuration } : {}),
  };
}

/** Names the genesis organization a bank of the scf module (the bench's senders are its clients). */
function scfBanks(genesis: GenesisJson): void {
  const orgs = (genesis.modules.governance as { organizations: { id: string }[] }).organizations;
  genesis.modules.scf = { banks: [orgs[0]!.id] };
}

export async function runAppsBench(o: AppsBenchOptions): Promise<BenchRecord[]> {
  const settings = o.quick ? SETTINGS.quick : SETTINGS.full;
  const profileDir = freshProfileDir(o.profileDir, 'apps');
  const lcSize = o.quick ? LC_SIZES.quick : LC_SIZES.full;
  let lc: LcParties | undefined;
  const results = await withBenchNode(
    {
      label: 'apps',
      suite: SUITE,
      senders: settings.senders + 1,
      editGenesis: (genesis) => {
        scfBanks(genesis);
        lc = addLcParties(genesis, SUITE, lcSize.perRole);
      },
      ...(profileDir ? { profileDir } : {}),
    },
    async (n) => {
      const client = new PujiangClient(n.apiUrl);
      const status = await client.getStatus();
      const keys = n.chain.senders.map((s) => keyPairFromSecretKey({ suite: SUITE, bytes: hexToBytes(s) }));
      const latest = await client.getLatestBlock();
      const ctx: AppsContext = {
        chainId: status.chainId,
        chainHash: status.chainHash,
        keys,
        addresses: keys.map((k) => addressOf(status.chainHash, k)),
        today: Math.floor((Number(latest.header.time) + SHANGHAI_MS) / DAY_MS),
        perSender: settings.perSender,
      };
      const out: PhaseResult[] = [];
      for (const phase of appPhases()) {
        const r = await runStep(n, client, ctx, phase, settings.timeoutMs);
        if (r) out.push(r);
      }
      // Letters of credit: signed by their own parties, of four other organizations.
      const parties = lc!;
      const lcCtx = {
        ...ctx,
        keys: parties.keys,
        addresses: parties.keys.map((k) => addressOf(status.chainHash, k)),
      };
      for (const phase of lcPhases(parties, lcSize.credits, recorded)) {
        const r = await runStep(n, client, lcCtx, phase, settings.timeoutMs);
        if (r) out.push(r);
      }
      return out;
    },
  );
  if (profileDir)
    for (const r of results)
      console.log(formatProfiles(`apps, ${r.figure}`, summarizeProfiles(profileDir, r.window)));
  return appsRecords(results, settings);
}

function appsRecords(
  results: readonly PhaseResult[],
  settings: (typeof SETTINGS)['quick' | 'full'],
): BenchRecord[] {
  const bank = results.find((r) => r.figure === BANK_FIGURE);
  if (!bank) throw new Error('apps: the bank transfer reference did not run');
  const reference = bank.outcome.okPerSecond;
  return results.map((r) => {
    const { outcome } = r;
    const record: BenchRecord = {
      group: 'apps',
      name: r.figure,
      value: outcome.okPerSecond,
      unit: 'tx/s',
      configuration: {
        suite: SUITE,
        validators: 1,
        senders: settings.senders,
        txs: outcome.txs,
        blocks: outcome.blocks.length,
        largestBlock: Math.max(...outcome.blocks.map((b) => b.ok)),
        secondsFirstSubmissionToLastBlock: round2(outcome.seconds),
        // The whole set over that time: a lower bound (the first block's wait included).
        wholeSetPerSecond: Math.round(outcome.txs / outcome.seconds),
        gasLimit: r.gasLimit,
        gasUsed: r.gasUsed,
        refused: outcome.refused,
        nodeCpuCores: round2(r.node.cpuCores),
        nodeMainThreadBusy: round2(r.node.loopBusy ?? Number.NaN),
        clientSignSeconds: round2(r.signSeconds),
        ...LOAD,
        ...r.configuration,
        note: 'a closed set of presigned transactions through POST /v1/txs/batch at saturation (the bench process submits and follows /v1/events on the same 2 cores), every one committed OK by its receipt code; OK receipts between the first and the last block holding the set, the first block not counted',
      },
    };
    if (r === bank) return record;
    return {
      ...record,
      limit: { name: BANK_FIGURE, value: reference, ratio: outcome.okPerSecond / reference },
    };
  });
}
