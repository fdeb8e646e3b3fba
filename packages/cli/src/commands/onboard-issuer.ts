import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import { homePaths } from '@pujiang/node';
import {
  createDid,
  didKeyOfChainKey,
  finalizeProposal,
  getProposal,
  PujiangClient,
  singleKeyDocument,
  submitProposal,
  trustedChainLookup,
  trustRootsAction,
  voteOnProposal,
} from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';
import { type LocalNet, operatorKeys } from './onboard-network.js';

/**
 * The market-regulation issuer of a local network: a did:pujiang DID controlled by node0's
 * operator key, recognised as the trust root of Shanghai (CN-31) by a governance proposal
 * that the network's organizations vote through. A development network has no such agency,
 * so the first onboarding makes one and records it in the network home; later runs reuse it.
 * The record is written after each step, so a setup that was interrupted resumes.
 */

export const ISSUER_FILE = 'market-regulator.json';
export const ISSUER_JURISDICTION = 'CN-31';
const LOCK_FILE = 'market-regulator.lock';
/** The one-time setup's bound: the proposal's time-lock (20 blocks by default) is most of it. */
const SETUP_LIMIT_MS = 180_000;
/** How long a licence waits for another onboarding's use of the issuer key. */
const LICENCE_LIMIT_MS = 60_000;

export type OnboardIssuerErrorCode =
  | 'ONBOARD_ISSUER_BUSY'
  | 'ONBOARD_ISSUER_ROOT_TAKEN'
  | 'ONBOARD_ISSUER_NOT_APPROVED'
  | 'ONBOARD_ISSUER_TIMEOUT';

export interface IssuerRecord {
  readonly chainId: string;
  readonly did: string;
  /** The key file that controls the DID and signs licences (node0's operator). */
  readonly keyFile: string;
  readonly jurisdiction: string;
  readonly proposal?: string;
  readonly status: 'did' | 'proposed' | 'ready';
  readonly setupMs?: number;
}

export interface LocalIssuer {
  readonly did: string;
  readonly key: KeyPair;
  /** node0's client: the issuer's own node, so its nonces come from one mempool. */
  readonly client: PujiangClient;
  /** Runs `fn` holding the issuer's lock: concurrent onboardings must not sign with one key at once. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  readonly record: IssuerRecord;
  /** True when this call did (or finished) the one-time setup. */
  readonly setUp: boolean;
}

const fail = (code: OnboardIssuerErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new PujiangError<OnboardIssuerErrorCode>(code, message, details);

function readRecord(net: LocalNet): IssuerRecord | undefined {
  const file = join(net.home, ISSUER_FILE);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8')) as IssuerRecord;
  // A network re-created in the same home is another chain: its issuer is made again.
  return record.chainId === net.chainId ? record : undefined;
}

function save(net: LocalNet, record: IssuerRecord): IssuerRecord {
  writeFileSync(join(net.home, ISSUER_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding the network's issuer lock, a file naming its process. A lock left by a
 * process that is gone (a crashed run) is ONBOARD_ISSUER_BUSY at once, naming the file to
 * remove: taking it over would race with another onboarding doing the same. One held past
 * `limitMs` is ONBOARD_ISSUER_BUSY too.
 */
async function withLock<T>(net: LocalNet, limitMs: number, fn: () => Promise<T>): Promise<T> {
  const lock = join(net.home, LOCK_FILE);
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch {
      const stale = staleLock(lock);
      if (stale !== undefined || Date.now() > deadline)
        throw fail(
          'ONBOARD_ISSUER_BUSY',
          stale !== undefined
            ? `${lock} was left by process ${stale}, which has ended: remove it and run again`
            : `${lock} is held by another onboarding (remove it if none runs)`,
          { lock },
        );
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The network's issuer, set up first (once, under the lock) if need be. */
export async function localIssuer(net: LocalNet): Promise<LocalIssuer> {
  const keyFile = homePaths(net.nodes[0]!.home).operatorKey;
  const key = operatorKeys(net)[0]!;
  const client = new PujiangClient({ url: net.nodes[0]!.api });
  const issuer = (record: IssuerRecord, setUp: boolean): LocalIssuer => ({
    did: record.did,
    key,
    client,
    exclusive: (fn) => withLock(net, LICENCE_LIMIT_MS, fn),
    record,
    setUp,
  });
  const ready = readRecord(net);
  if (ready?.status === 'ready' && (await isRoot(client, ready.did))) return issuer(ready, false);
  return withLock(net, SETUP_LIMIT_MS, async () => {
    // Another onboarding may have finished the setup while this one waited for the lock.
    const current = readRecord(net);
    if (current?.status === 'ready' && (await isRoot(client, current.did))) return issuer(current, false);
    const started = Date.now();
    const record = await setUp(net, client, key, keyFile, current, Date.now() + SETUP_LIMIT_MS);
    return issuer(save(net, { ...record, setupMs: Date.now() - started }), true);
  });
}

/** The process that left a lock and has ended since (a crashed or killed onboarding), if so. */
function staleLock(lock: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  } catch {
    return undefined; // released meanwhile
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? pid : undefined;
  }
}

async function isRoot(client: PujiangClient, did: string): Promise<boolean> {
  const roots = await trustedChainLookup(client).trustRoots!();
  return roots.some((r) => r.root === did);
}

async function setUp(
  net: LocalNet,
  client: PujiangClient,
  key: KeyPair,
  keyFile: string,
  partial: IssuerRecord | undefined,
  deadline: number,
): Promise<IssuerRecord> {
  let record = partial;
  if (record === undefined) {
    const created = await createDid(client, {
      key,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
    });
    record = save(net, {
      chainId: net.chainId,
      did: created.did,
      keyFile,
      jurisdiction: ISSUER_JURISDICTION,
      status: 'did',
    });
  }
  if (await isRoot(client, record.did)) return { ...record, status: 'ready' };
  let id = record.proposal;
  const status = id === undefined ? undefined : (await getProposal(client, id)).status;
  // A proposal that can no longer pass (rejected, expired, failed, vetoed), or one executed
  // whose root was withdrawn since, is proposed again.
  if (id === undefined || !['voting', 'queued'].includes(status!)) {
    id = await propose(client, key, record.did);
    record = save(net, { ...record, proposal: id, status: 'proposed' });
  }
  await voteThrough(net, id);
  await finalize(client, key, id, deadline);
  if (!(await isRoot(client, record.did)))
    throw fail('ONBOARD_ISSUER_NOT_APPROVED', `proposal ${id} executed, yet ${record.did} is not a root`, {
      id,
    });
  return save(net, { ...record, status: 'ready' });
}

/** Proposes the current roots plus ours for CN-31 (the parameter is the whole list). */
async function propose(client: PujiangClient, key: KeyPair, did: string): Promise<string> {
  const roots = await trustedChainLookup(client).trustRoots!();
  const taken = roots.find((r) => r.jurisdiction === ISSUER_JURISDICTION);
  if (taken)
    throw fail(
      'ONBOARD_ISSUER_ROOT_TAKEN',
      `${ISSUER_JURISDICTION} already has the root ${taken.root}; this network's issuer cannot be recognised for it`,
      { root: taken.root },
    );
  const sent = await submitProposal(client, {
    key,
    wait: true,
    title: `Shanghai market regulation (local network issuer ${did}) is the ${ISSUER_JURISDICTION} root`,
    action: trustRootsAction([...roots, { jurisdiction: ISSUER_JURISDICTION, root: did }]),
  });
  const event = sent.result.receipt?.events.find((e) => e.type === 'proposed');
  return String(event?.attributes.id);
}

/** Every other organization's admin votes yes, each on its own node, at once; late votes are harmless. */
async function voteThrough(net: LocalNet, id: string): Promise<void> {
  const keys = operatorKeys(net);
  const client = new PujiangClient({ url: net.nodes[0]!.api });
  if ((await getProposal(client, id)).status !== 'voting') return;
  await Promise.all(
    net.nodes.slice(1).map((node, i) =>
      voteOnProposal(new PujiangClient({ url: node.api }), {
        key: keys[i + 1]!,
        id,
        approve: true,
        wait: true,
        throwOnFailure: false,
      }),
    ),
  );
  const after = await getProposal(client, id);
  if (after.status !== 'queued' && after.status !== 'executed')
    throw fail('ONBOARD_ISSUER_NOT_APPROVED', `proposal ${id} is ${after.status} after the votes`, {
      id,
      status: after.status,
    });
}

/**
 * Executes the proposal once its time-lock is over. Each early attempt is a transaction that
 * fails GOV_NOT_READY in its block, which also moves an idle chain on: a block with
 * transactions is followed at once by another, so the time-lock's blocks pass in seconds.
 */
async function finalize(client: PujiangClient, key: KeyPair, id: string, deadline: number): Promise<void> {
  for (;;) {
    if ((await getProposal(client, id)).status === 'executed') return;
    const sent = await finalizeProposal(client, { key, id, wait: true, throwOnFailure: false });
    const code = sent.result.receipt?.code;
    if (code === 'OK') return;
    if (code !== 'GOV_NOT_READY' && code !== undefined)
      throw fail('ONBOARD_ISSUER_NOT_APPROVED', `finalizing proposal ${id} failed: ${code}`, { id, code });
    if (Date.now() > deadline)
      throw fail('ONBOARD_ISSUER_TIMEOUT', `proposal ${id} was not executable in time`, { id });
  }
}
