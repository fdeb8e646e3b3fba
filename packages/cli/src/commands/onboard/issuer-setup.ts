import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import { homePaths, issueMemberCertificate, loadOrganization, readKeyFile } from '@pujiang/node';
import {
  accredit,
  createDid,
  didKeyOfChainKey,
  formatKeyFile,
  generateKeyPair,
  getProposal,
  type PujiangClient,
  registerIdentity,
  resolveDid,
  singleKeyDocument,
  trustedChainLookup,
} from '@pujiang/sdk';
import { writeFileExclusive } from './files.js';
import { addressOn, registeredFor } from './identity.js';
import {
  ISSUER_JURISDICTION,
  ISSUER_KEY_FILE,
  type IssuerRecord,
  issuerError,
  LICENCE_TYPE,
  saveIssuerRecord,
} from './issuer-record.js';
import { finalize, propose, voteThrough } from './issuer-vote.js';
import { type LocalNet, operatorKeys } from './network.js';

/** The local issuer's one-time setup on chain, and the two facts that show it done: root and accreditation. */

/** Whether `did` is the recognised root of CN-31. */
export async function isRoot(client: PujiangClient, did: string): Promise<boolean> {
  const roots = await trustedChainLookup(client).trustRoots!();
  return roots.some((r) => r.root === did && r.jurisdiction === ISSUER_JURISDICTION);
}

/** Whether `root` accredits `issuer` now, as an issuer of licences in CN-31. */
export async function isAccredited(client: PujiangClient, issuer: string, root: string): Promise<boolean> {
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
    throw issuerError(
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
export async function setUpIssuer(
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
    record = saveIssuerRecord(net, { ...record, ...fields, status: 'setting-up' });
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
      throw issuerError('ONBOARD_ISSUER_NOT_APPROVED', `proposal ${id} executed, yet ${root} is not a root`, {
        id,
      });
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
  return saveIssuerRecord(net, { ...record, status: 'ready' });
}
