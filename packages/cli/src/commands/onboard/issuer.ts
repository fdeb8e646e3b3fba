import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import { readKeyFile } from '@pujiang/node';
import { PujiangClient } from '@pujiang/sdk';
import { withIssuerLock } from './issuer-lock.js';
import { ISSUER_KEY_FILE, type IssuerRecord, readIssuerRecord, saveIssuerRecord } from './issuer-record.js';
import { isAccredited, isRoot, setUpIssuer } from './issuer-setup.js';
import type { LocalNet } from './network.js';

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

/** The one-time setup's bound: the proposal's time-lock (20 blocks by default) is most of it. */
const SETUP_LIMIT_MS = 180_000;
/** How long a licence waits for another onboarding's use of the issuer key. */
const LICENCE_LIMIT_MS = 60_000;

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
    exclusive: (fn) => withIssuerLock(net, LICENCE_LIMIT_MS, fn),
    record,
    setUp,
  });
  const ready = readIssuerRecord(net);
  if (await isReady(net, client, ready)) return issuer(ready!, false);
  return withIssuerLock(net, SETUP_LIMIT_MS, async () => {
    // Another onboarding may have finished the setup while this one waited for the lock.
    const current = readIssuerRecord(net);
    if (await isReady(net, client, current)) return issuer(current!, false);
    const started = Date.now();
    const record = await setUpIssuer(net, client, current, Date.now() + SETUP_LIMIT_MS);
    return issuer(saveIssuerRecord(net, { ...record, setupMs: Date.now() - started }), true);
  });
}
