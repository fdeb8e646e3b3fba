import type { KeyPair } from '@pujiang/crypto';
import {
  anchorIssuance,
  BUNDLED_CONTEXTS,
  createStatusList,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  fromMultibase,
  issueCredential,
  proofDigest,
  resolveDid,
  setCredentialStatus,
} from '@pujiang/module-did/client';
import {
  type ChainClient,
  dateArgument,
  keyPairArgument,
  objectArgument,
  sdkError,
  stringArgument,
} from '@pujiang/module-kit';
import { equalBytes, hexToBytes, invalidArgument } from '@pujiang/types';
import { consentCredential } from '../consent.js';

/** The fragment of the subject DID's assertion method that holds `key` (the key must be one). */
async function assertionMethodOf(client: ChainClient, did: string, key: KeyPair): Promise<string> {
  const state = await resolveDid(client, did);
  const mine = didKeyOfChainKey(key.publicKey);
  const doc = state?.document;
  for (const ref of doc?.assertionMethod ?? []) {
    const method = doc?.verificationMethod?.find((m) => m.id === ref);
    const k = method?.publicKeyMultibase ? fromMultibase(method.publicKeyMultibase) : undefined;
    if (k && mine && k.algorithm === mine.algorithm && equalBytes(k.bytes, mine.bytes)) return ref;
  }
  throw invalidArgument(`the key is not an assertion method of ${did}`, 'key');
}

export interface IssueConsentParameters {
  /** The subject's key: an assertion method of its DID (Ed25519 or SM2). */
  key: KeyPair;
  subjectDid: string;
  /** The requester's DID, or `memberUrn(address)`. */
  requester: string;
  dataset: string;
  purpose: string;
  validFrom?: Date;
  validUntil: Date;
  /**
   * The subject's revocation list on chain (created, owned by its DID, if it does not exist),
   * its URL (`<node>/credentials/status/<list>`), and this consent's index in it.
   */
  statusList: { list: string; url: string; index: number };
  waitTimeoutMs?: number;
}

/**
 * The data subject consents: issues a `DataSharingConsent` credential with its DID's key,
 * scoped to one requester, dataset, purpose and period, revocable through its status list on
 * chain, and anchors the proof (so the chain dates it). The requester seals it into its request.
 */
export async function issueConsent(
  client: ChainClient,
  p: IssueConsentParameters,
): Promise<Record<string, unknown>> {
  objectArgument(p, 'parameters');
  keyPairArgument(p.key, 'key');
  const subjectDid = stringArgument(p.subjectDid, 'subjectDid');
  const list = objectArgument(p.statusList, 'statusList');
  if (!Number.isSafeInteger(list.index) || list.index < 0)
    throw invalidArgument('statusList.index is a bit index', 'statusList.index');
  const terms = {
    subjectDid,
    requester: stringArgument(p.requester, 'requester'),
    dataset: stringArgument(p.dataset, 'dataset'),
    purpose: stringArgument(p.purpose, 'purpose'),
    validFrom: p.validFrom === undefined ? new Date() : dateArgument(p.validFrom, 'validFrom'),
    validUntil: dateArgument(p.validUntil, 'validUntil'),
    status: { listUrl: stringArgument(list.url, 'statusList.url'), index: list.index },
  };
  const listId = stringArgument(list.list, 'statusList.list');
  const didKey = didKeyOfChainKey(p.key.publicKey);
  if (!didKey || (didKey.algorithm !== 'Ed25519' && didKey.algorithm !== 'SM2'))
    throw invalidArgument('the subject key must be ed25519 or sm2', 'key');
  const wait = { wait: true, ...(p.waitTimeoutMs ? { waitTimeoutMs: p.waitTimeoutMs } : {}) };
  const { result } = await client.query('did', 'statusList', { list: listId });
  if ((result as { list: unknown }).list === null)
    await createStatusList(client, {
      key: p.key,
      list: listId,
      issuer: subjectDid,
      purpose: 'revocation',
      ...wait,
    });
  const verificationMethod = await assertionMethodOf(client, subjectDid, p.key);
  const unsigned = consentCredential(terms);
  const resolver = didResolver({
    chain: { resolve: async (did) => (await resolveDid(client, did))?.document },
  });
  const credential = await issueCredential({
    credential: unsigned as never,
    key: { verificationMethod, algorithm: didKey.algorithm, secretKey: p.key.secretKey.bytes },
    loader: documentLoader(BUNDLED_CONTEXTS, resolver),
  });
  const proof = (credential as { proof?: { proofValue?: string } }).proof;
  if (!proof?.proofValue) throw sdkError('SDK_VERIFICATION_FAILED', 'the consent has no proof');
  await anchorIssuance(client, { key: p.key, digests: [hexToBytes(proofDigest(proof.proofValue))], ...wait });
  return credential as Record<string, unknown>;
}

/** The subject takes its consent back: sets its revocation bit on chain (for good). */
export function revokeConsent(
  client: ChainClient,
  p: { key: KeyPair; consent: Record<string, unknown>; waitTimeoutMs?: number },
) {
  objectArgument(p, 'parameters');
  return setCredentialStatus(client, {
    key: p.key,
    credential: objectArgument(p.consent, 'consent') as { credentialStatus?: unknown },
    value: true,
    purpose: 'revocation',
    wait: true,
    ...(p.waitTimeoutMs ? { waitTimeoutMs: p.waitTimeoutMs } : {}),
  });
}
