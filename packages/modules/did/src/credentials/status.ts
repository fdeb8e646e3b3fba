import { base64urlnopad } from '@scure/base';
import { gunzipSync } from 'fflate';
import { didMethodOf } from '../did-syntax.js';
import { MIN_STATUS_LIST_BITS, type StatusEntryState } from '../status-formats.js';
import { idOf, isUrl, type JsonObject } from './data-model.js';
import { CredentialError } from './errors.js';

/**
 * Bitstring Status List v1.0 checks of a credential's `credentialStatus`: for a did:pujiang
 * issuer whose list is on its chain, the bit is read from (proven) chain state; otherwise the
 * `statusListCredential` is fetched (through the caller's fetcher), verified as a credential
 * of the same issuer, and decoded. Errors are the specification's: retrieval, verification,
 * length and range; a set bit is `VC_REVOKED` or `VC_SUSPENDED`.
 */
export interface StatusSources {
  /** One entry of a list on the chain (did:pujiang issuers). */
  readonly statusEntry?: (list: string, index: number) => Promise<StatusEntryState | undefined>;
  /** Fetches a status list credential by URL (no network otherwise). */
  readonly fetchJson?: (url: string) => Promise<unknown>;
  /** Verifies a fetched status list credential (the caller's `verifyCredential`, without status). */
  readonly verifyListCredential?: (credential: unknown) => Promise<{ verified: boolean; message?: string }>;
}

const statusError = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new CredentialError(code, 'credentialStatus', message, details);

const CHAIN_LIST_URL = /\/credentials\/status\/([a-z0-9][a-z0-9-]{0,63})$/;

/** The bit at `index` (most significant bit first), from a list credential's `encodedList`. */
export function decodeEncodedList(encodedList: unknown): Uint8Array {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u') || encodedList.length > 2_000_000)
    throw statusError('VC_STATUS_VERIFICATION', 'encodedList must be multibase base64url (u...)');
  try {
    return gunzipSync(base64urlnopad.decode(encodedList.slice(1)));
  } catch {
    throw statusError('VC_STATUS_VERIFICATION', 'encodedList is not a GZIP-compressed bitstring');
  }
}

function verdict(purpose: string, set: boolean, index: number): void {
  if (!set) return;
  if (purpose === 'revocation')
    throw new CredentialError('VC_REVOKED', 'credentialStatus', 'the credential is revoked', { index });
  throw new CredentialError('VC_SUSPENDED', 'credentialStatus', 'the credential is suspended', { index });
}

async function checkEntry(credential: JsonObject, entry: JsonObject, sources: StatusSources): Promise<void> {
  const purpose = entry.statusPurpose;
  if (purpose !== 'revocation' && purpose !== 'suspension')
    throw statusError(
      'VC_STATUS_VERIFICATION',
      `statusPurpose ${String(purpose)} is not revocation or suspension`,
    );
  if (typeof entry.statusListIndex !== 'string' || !/^(0|[1-9][0-9]{0,8})$/.test(entry.statusListIndex))
    throw statusError('VC_STATUS_RANGE', 'statusListIndex must be a non-negative integer as a string');
  const index = Number(entry.statusListIndex);
  const url = entry.statusListCredential;
  if (!isUrl(url)) throw statusError('VC_STATUS_RETRIEVAL', 'statusListCredential must be a URL');
  const issuer = idOf(credential.issuer);
  const onChain = CHAIN_LIST_URL.exec(url)?.[1];
  if (onChain && didMethodOf(String(issuer)) === 'pujiang' && sources.statusEntry) {
    const state = await sources.statusEntry(onChain, index);
    if (!state)
      throw statusError('VC_STATUS_RETRIEVAL', `there is no status list ${onChain} on the issuer's chain`);
    if (state.issuer !== issuer)
      throw statusError('VC_STATUS_VERIFICATION', "the status list is not the credential issuer's");
    if (state.purpose !== purpose)
      throw statusError('VC_STATUS_VERIFICATION', `the list's purpose is ${state.purpose}, not ${purpose}`);
    if (index >= state.size)
      throw statusError('VC_STATUS_RANGE', `index ${index} is past the list's ${state.size} bits`);
    return verdict(purpose, state.value, index);
  }
  if (!sources.fetchJson || !sources.verifyListCredential)
    throw statusError('VC_STATUS_RETRIEVAL', `cannot retrieve ${url}: no fetcher`);
  let list: JsonObject;
  try {
    list = (await sources.fetchJson(url)) as JsonObject;
  } catch (error) {
    throw statusError('VC_STATUS_RETRIEVAL', `cannot retrieve ${url}: ${(error as Error).message}`);
  }
  const checked = await sources.verifyListCredential(list);
  const types = Array.isArray(list?.type) ? list.type : [list?.type];
  const subject = (list?.credentialSubject ?? {}) as JsonObject;
  if (!checked.verified || !types.includes('BitstringStatusListCredential'))
    throw statusError(
      'VC_STATUS_VERIFICATION',
      `the status list credential does not verify: ${checked.message ?? 'not a BitstringStatusListCredential'}`,
    );
  if (idOf(list.issuer) !== issuer)
    throw statusError('VC_STATUS_VERIFICATION', "the status list is not the credential issuer's");
  const purposes = Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose];
  if (!purposes.includes(purpose))
    throw statusError('VC_STATUS_VERIFICATION', `the list is not for ${purpose}`);
  const bits = decodeEncodedList(subject.encodedList);
  if (bits.length * 8 < MIN_STATUS_LIST_BITS)
    throw statusError(
      'VC_STATUS_LENGTH',
      `the list has ${bits.length * 8} bits, fewer than ${MIN_STATUS_LIST_BITS}`,
    );
  if (index >= bits.length * 8) throw statusError('VC_STATUS_RANGE', `index ${index} is past the list's end`);
  verdict(purpose, ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1, index);
}

/** Checks every BitstringStatusListEntry of the credential; another status type fails (`VC_STATUS_VERIFICATION`). */
export async function checkCredentialStatus(credential: JsonObject, sources: StatusSources): Promise<void> {
  const entries = credential.credentialStatus;
  for (const entry of entries === undefined ? [] : Array.isArray(entries) ? entries : [entries]) {
    const e = entry as JsonObject;
    if (e.type !== 'BitstringStatusListEntry')
      throw statusError('VC_STATUS_VERIFICATION', `status type ${String(e.type)} is not supported`);
    await checkEntry(credential, e, sources);
  }
}
