import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import { homePaths, issueMemberCertificate, loadOrganization, readKeyFile } from '@pujiang/node';
import {
  accredit,
  createDid,
  didKeyOfChainKey,
  finalizeProposal,
  formatKeyFile,
  generateKeyPair,
  getProposal,
  PujiangClient,
  registerIdentity,
  resolveDid,
  singleKeyDocument,
  submitProposal,
  trustedChainLookup,
  trustRootsAction,
  voteOnProposal,
} from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';
import { type LocalNet, operatorKeys } from './onboard-network.js';
import { addressOn, registeredFor, writeFileAtomic, writeFileExclusive } from './onboard-steps.js';

/**
 * The market-regulation authority of a local network, in two DIDs, as a real jurisdiction has
 * them: its ROOT, a did:pujiang DID controlled by node0's operator key, recognised as the
 * trust root of Shanghai (CN-31) by a governance proposal the network's organizations vote
 * through, which only accredits; and its ISSUER, a DID controlled by a key of its own
 * (registered as a client of org0), which the root accredits (`did/accredit`) for
 * `BusinessLicence` in CN-31 and which signs the licences. A root passes the accreditation
 * check for any credential type, so it must not be what issues: a licence verifies through
 * the chain root → issuer, and the issuer can issue nothing else that verifies.
 *
 * A development network has no such agency, so the first onboarding makes one and records it
 * in the network home; later runs reuse it. The record is written (atomically) after each
 * step, so a setup that was interrupted resumes; a record of the older layout, where the root
 * itself issued, is upgraded: the issuer is made and accredited.
 */

export const ISSUER_FILE = 'market-regulator.json';
/** The issuer DID's key, mode 0600, next to the record. */
export const ISSUER_KEY_FILE = 'market-regulator-issuer.json';
export const ISSUER_JURISDICTION = 'CN-31';
export const LICENCE_TYPE = 'BusinessLicence';
const LOCK_FILE = 'market-regulator.lock';
/** The one-time setup's bound: the proposal's time-lock (20 blocks by default) is most of it. */
const SETUP_LIMIT_MS = 180_000;
/** How long a licence waits for another onboarding's use of the issuer key. */
const LICENCE_LIMIT_MS = 60_000;

export type OnboardIssuerErrorCode =
  | 'ONBOARD_ISSUER_BUSY'
  | 'ONBOARD_ISSUER_RECORD'
  | 'ONBOARD_ISSUER_ROOT_TAKEN'
  | 'ONBOARD_ISSUER_NOT_APPROVED'
  | 'ONBOARD_ISSUER_NOT_COMMITTED'
  | 'ONBOARD_ISSUER_TIMEOUT';

export interface IssuerRecord {
  readonly chainId: string;
  readonly jurisdiction: string;
  /** The CN-31 root: controlled by node0's operator key (`keyFile`); it accredits, never issues. */
  readonly root?: { readonly did: string; readonly keyFile: string };
  /** The proposal that recognises the root. */
  readonly proposal?: string;
  /**
   * The issuer: its own key (`keyFile`, ISSUER_KEY_FILE in the home, mode 0600; registered at
   * `address` as a client of node0's organization), its DID, the root's accreditation of it.
   */
  readonly issuer?: {
    readonly keyFile: string;
    readonly address: string;
    readonly did?: string;
    readonly accreditation?: string;
  };
  readonly status: 'setting-up' | 'ready';
  /** Set when a record of the older layout (the root issued licences itself) was upgraded. */
  readonly upgradedFrom?: 'root-issued';
  readonly setupMs?: number;
}

export interface LocalIssuer {
  /** The issuer DID, which signs licences. */
  readonly did: string;
  /** The root DID that accredits it. */
  readonly root: string;
  /** The issuer DID's key. */
  readonly key: KeyPair;
  /** node0's client: the issuer's own node, so its nonces come from one mempool. */
  readonly client: PujiangClient;
  /** Runs `fn` holding the issuer's lock: concurrent onboardings must not sign with one key at once. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  readonly record: IssuerRecord;
  /** True when this call did (or finished, or upgraded) the one-time setup. */
  readonly setUp: boolean;
}

const fail = (code: OnboardIssuerErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new PujiangError<OnboardIssuerErrorCode>(code, message, details);

/**
 * The record, read whole (it is written atomically, so no lock is needed to read it): undefined
 * when there is none or it is another chain's (a network re-created in the same home: its
 * issuer is made again); ONBOARD_ISSUER_RECORD when it cannot be read as one. A record of the
 * older layout (`did`: the root, which issued) comes back as the root alone, still setting up.
 */
function readRecord(net: LocalNet): IssuerRecord | undefined {
  const file = join(net.home, ISSUER_FILE);
  if (!existsSync(file)) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(
      'ONBOARD_ISSUER_RECORD',
      `${file} is unreadable (${(error as Error).message}): remove it to set the issuer up again`,
      {
        file,
      },
    );
  }
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  const bad = () =>
    fail(
      'ONBOARD_ISSUER_RECORD',
      `${file} is not a market-regulator record: remove it to set the issuer up again`,
      {
        file,
      },
    );
  if (typeof json !== 'object' || json === null || !text(json.chainId)) throw bad();
  if (json.chainId !== net.chainId) return undefined;
  if (json.root === undefined && text(json.did)) {
    // The older layout: the root DID issued licences itself. Kept as the root; the issuer is still to make.
    return {
      chainId: net.chainId,
      jurisdiction: ISSUER_JURISDICTION,
      root: { did: json.did as string, keyFile: homePaths(net.nodes[0]!.home).operatorKey },
      ...(text(json.proposal) ? { proposal: json.proposal as string } : {}),
      status: 'setting-up',
      upgradedFrom: 'root-issued',
    };
  }
  const root = json.root as IssuerRecord['root'];
  const issuer = json.issuer as IssuerRecord['issuer'];
  if (
    (root !== undefined && (!text(root?.did) || typeof root?.keyFile !== 'string')) ||
    (issuer !== undefined && (!text(issuer?.keyFile) || !text(issuer?.address))) ||
    (json.status !== 'setting-up' && json.status !== 'ready')
  )
    throw bad();
  return json as unknown as IssuerRecord;
}

function save(net: LocalNet, record: IssuerRecord): IssuerRecord {
  writeFileAtomic(join(net.home, ISSUER_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding the network's issuer lock, a file naming its process. A lock left by a
 * process that is gone (a crashed run) is ONBOARD_ISSUER_BUSY at once, naming the file to
 * remove: taking it over would race with another onboarding doing the same. One held past
 * `limitMs` is ONBOARD_ISSUER_BUSY too. Failing to write the lock for another reason than its
 * existence (a missing or read-only home) is that error, not "busy".
 */
async function withLock<T>(net: LocalNet, limitMs: number, fn: () => Promise<T>): Promise<T> {
  const lock = join(net.home, LOCK_FILE);
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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

/**
 * Whether the record describes a finished setup that the chain still bears out (two queries)
 * and whose issuer key is still in the home (without it, a new issuer is made).
 */
async function isReady(
  net: LocalNet,
  client: PujiangClient,
  record: IssuerRecord | undefined,
): Promise<boolean> {
  if (record?.status !== 'ready' || !record.root || !record.issuer?.did) return false;
  if (!existsSync(join(net.home, ISSUER_KEY_FILE))) return false;
  const [root, accredited] = await Promise.all([
    isRoot(client, record.root.did),
    isAccredited(client, record.issuer.did, record.root.did),
  ]);
  return root && accredited;
}

/** The network's issuer, set up first (once, under the lock) if need be. */
export async function localIssuer(net: LocalNet): Promise<LocalIssuer> {
  const client = new PujiangClient({ url: net.nodes[0]!.api });
  const issuer = (record: IssuerRecord, setUp: boolean): LocalIssuer => ({
    did: record.issuer!.did!,
    root: record.root!.did,
    // Read next to the record, wherever the home is now (a moved home still works).
    key: readKeyFile(join(net.home, ISSUER_KEY_FILE)),
    client,
    exclusive: (fn) => withLock(net, LICENCE_LIMIT_MS, fn),
    record,
    setUp,
  });
  const ready = readRecord(net);
  if (await isReady(net, client, ready)) return issuer(ready!, false);
  return withLock(net, SETUP_LIMIT_MS, async () => {
    // Another onboarding may have finished the setup while this one waited for the lock.
    const current = readRecord(net);
    if (await isReady(net, client, current)) return issuer(current!, false);
    const started = Date.now();
    const record = await setUp(net, client, current, Date.now() + SETUP_LIMIT_MS);
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

/** Whether `did` is the recognised root of CN-31. */
async function isRoot(client: PujiangClient, did: string): Promise<boolean> {
  const roots = await trustedChainLookup(client).trustRoots!();
  return roots.some((r) => r.root === did && r.jurisdiction === ISSUER_JURISDICTION);
}

/** Whether `root` accredits `issuer` now, as an issuer of licences in CN-31. */
async function isAccredited(client: PujiangClient, issuer: string, root: string): Promise<boolean> {
  const now = BigInt(Date.now());
  const held = await trustedChainLookup(client).accreditationsOf!(issuer);
  return held.some(
    (a) =>
      a.accreditor === root &&
      a.role === 'issuer' &&
      a.credentialTypes.includes(LICENCE_TYPE) &&
      a.jurisdictions.includes(ISSUER_JURISDICTION) &&
      a.withdrawnAt === '0' &&
      (a.validUntil === '0' || now < BigInt(a.validUntil)),
  );
}

/** A transaction sent with `wait` that did not commit stops the setup (the record says how far it got). */
function committed<T extends { hash: string; result: { status: string; receipt?: { code: string } } }>(
  sent: T,
  what: string,
): T {
  if (sent.result.status !== 'committed' || (sent.result.receipt && sent.result.receipt.code !== 'OK'))
    throw fail(
      'ONBOARD_ISSUER_NOT_COMMITTED',
      `${what} ${sent.hash} is ${sent.result.status}${sent.result.receipt ? ` (${sent.result.receipt.code})` : ''}`,
      { hash: sent.hash, status: sent.result.status },
    );
  return sent;
}

/**
 * The setup, each part skipped when the record and the chain show it done: the root DID and
 * its recognition (node0's operator), and meanwhile the issuer's key, registration and DID
 * (the issuer's own key: another sender, so both go at once); then the root's accreditation
 * of the issuer.
 */
async function setUp(
  net: LocalNet,
  client: PujiangClient,
  partial: IssuerRecord | undefined,
  deadline: number,
): Promise<IssuerRecord> {
  let record: IssuerRecord = partial ?? {
    chainId: net.chainId,
    jurisdiction: ISSUER_JURISDICTION,
    status: 'setting-up',
  };
  // One record, updated by both branches (between awaits, so never lost), saved each time.
  const update = (fields: Partial<IssuerRecord>) => {
    record = save(net, { ...record, ...fields, status: 'setting-up' });
    return record;
  };
  update({});
  const operator = operatorKeys(net)[0]!;
  const operatorFile = homePaths(net.nodes[0]!.home).operatorKey;

  const rootBranch = async (): Promise<string> => {
    if (record.root === undefined) {
      const created = committed(
        await createDid(client, {
          key: operator,
          wait: true,
          document: singleKeyDocument(didKeyOfChainKey(operator.publicKey)!),
        }),
        'the root DID',
      );
      update({ root: { did: created.did, keyFile: operatorFile } });
    }
    const root = record.root!.did;
    if (await isRoot(client, root)) return root;
    let id = record.proposal;
    const status = id === undefined ? undefined : (await getProposal(client, id)).status;
    // A proposal that can no longer pass (rejected, expired, failed, vetoed), or one executed
    // whose root was withdrawn since, is proposed again.
    if (id === undefined || !['voting', 'queued'].includes(status!)) {
      id = await propose(client, operator, root);
      update({ proposal: id });
    }
    await voteThrough(net, id);
    await finalize(client, operator, id, deadline);
    if (!(await isRoot(client, root)))
      throw fail('ONBOARD_ISSUER_NOT_APPROVED', `proposal ${id} executed, yet ${root} is not a root`, { id });
    return root;
  };

  const issuerBranch = async (): Promise<{ did: string; key: KeyPair }> => {
    const path = join(net.home, ISSUER_KEY_FILE);
    const keyFile = resolve(path);
    // A key file left by an interrupted setup (this runs under the lock) is the issuer's key.
    let key: KeyPair;
    if (existsSync(path)) key = readKeyFile(path);
    else {
      key = generateKeyPair(net.suite);
      writeFileExclusive(path, formatKeyFile(key), 0o600);
    }
    const address = addressOn(net.genesis, key);
    if (record.issuer?.keyFile !== keyFile || record.issuer.address !== address)
      update({ issuer: { keyFile, address } });
    if (!(await registeredFor(client, address, key))) {
      const ca = loadOrganization(homePaths(net.nodes[0]!.home).org);
      const certificate = issueMemberCertificate(ca, {
        publicKey: key.publicKey,
        role: 'client',
        commonName: 'Shanghai Administration for Market Regulation (licence issuer)',
      });
      committed(await registerIdentity(client, { key, certificate, wait: true }), 'the issuer registration');
    }
    const known = record.issuer!.did;
    const state = known === undefined ? undefined : await resolveDid(client, known);
    if (known !== undefined && state && !state.deactivated) return { did: known, key };
    const created = committed(
      await createDid(client, {
        key,
        wait: true,
        document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
      }),
      'the issuer DID',
    );
    update({ issuer: { ...record.issuer!, did: created.did } });
    return { did: created.did, key };
  };

  // Both run to their end before a failure is reported: the record must not change after the lock is released.
  const [rootDone, issuerDone] = await Promise.allSettled([rootBranch(), issuerBranch()]);
  if (rootDone.status === 'rejected') throw rootDone.reason;
  if (issuerDone.status === 'rejected') throw issuerDone.reason;
  const root = rootDone.value;
  const { did } = issuerDone.value;
  if (!(await isAccredited(client, did, root))) {
    const sent = committed(
      await accredit(client, {
        key: operator,
        wait: true,
        accreditor: root,
        subject: did,
        role: 'issuer',
        credentialTypes: [LICENCE_TYPE],
        jurisdictions: [ISSUER_JURISDICTION],
      }),
      'the accreditation of the issuer',
    );
    update({ issuer: { ...record.issuer!, accreditation: sent.hash } });
  }
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
    title: `Shanghai market regulation (local network root ${did}, which accredits its licence issuer) is the ${ISSUER_JURISDICTION} root`,
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
