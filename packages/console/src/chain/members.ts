import {
  CrlRecord,
  GOV_KEYS,
  GOVERNANCE_MODULE,
  Identity,
  Organization,
  OrgIdList,
} from '@pujiang/module-governance';
import { addressOf, type Genesis, type LightClient, type PujiangClient } from '@pujiang/sdk/browser';
import { digestDocument } from '@pujiang/sdk/verify';
import { bytesToHex } from '@pujiang/types';
import type { Proof } from '../components/proof-badge.js';
import { type CertificateSummary, pemToDer, readCertificate } from './certificates.js';
import { replayEvents } from './event-replay.js';
import { provenQuery } from './proven-query.js';
import { ProvenState, stateKey } from './proven-state.js';

/** What the organizations page shows, each part with whether it was proven. */
export interface OrgView {
  readonly id: string;
  readonly name: string;
  readonly cas: readonly (CertificateSummary & { readonly fingerprint: string; readonly error?: string })[];
  readonly revoked: readonly string[];
  readonly crlProof: Proof;
}

export interface MemberView {
  readonly address: string;
  readonly org: string;
  readonly role: string;
  readonly name?: string;
  readonly serial: string;
  /** ms since the epoch; undefined when neither state nor a certificate says. */
  readonly notAfter?: number;
  readonly registered: boolean;
  /** Why the identity may not act (a revoked certificate, a removed organization), from state. */
  readonly problem?: string;
  readonly proof: Proof;
}

/**
 * A governance query whose reads are proven, and what the page shows decoded from those
 * reads (`show`), never from the node's `result`. When the proof fails, the node's answer is
 * shown under "Proof refused" (`fallback`), so a reader sees what the node claimed and that
 * it did not verify.
 */
async function provenView<T>(
  light: LightClient,
  name: string,
  params: Record<string, string>,
  required: readonly string[],
  show: (state: ProvenState) => T,
  fallback: (result: unknown) => T,
): Promise<{ value: T; proof: Proof }> {
  let failure: unknown;
  try {
    const verified = await provenQuery(
      light,
      GOVERNANCE_MODULE,
      name,
      params,
      required.map((key) => stateKey(GOVERNANCE_MODULE, key)),
    );
    const state = new ProvenState(verified, GOVERNANCE_MODULE);
    return { value: show(state), proof: { state: 'proven', height: verified.height } };
  } catch (error) {
    failure = error;
  }
  const answer = await light.client.query(GOVERNANCE_MODULE, name, params);
  return { value: fallback(answer.result), proof: { state: 'failed', error: failure } };
}

type CaView = OrgView['cas'][number];

/** A CA certificate as shown: its fields parsed here, its fingerprint the chain's hash of its DER. */
function caView(light: LightClient, der: Uint8Array): CaView {
  const fingerprint = bytesToHex(digestDocument(light.genesis.chainHash, der));
  try {
    return { ...readCertificate(der), fingerprint };
  } catch (error) {
    return {
      fingerprint,
      serial: '',
      subject: {},
      issuer: {},
      notBefore: 0,
      notAfter: 0,
      error: String((error as Error).message),
    };
  }
}

/** A CA as the node answered it (only shown under a refused proof): its fingerprint recomputed. */
function caOfAnswer(light: LightClient, ca: { fingerprint: string; pem: string }): CaView {
  try {
    const view = caView(light, pemToDer(ca.pem));
    return view.fingerprint === String(ca.fingerprint).toLowerCase()
      ? view
      : { ...view, error: `fingerprint mismatch: the certificate hashes to ${view.fingerprint}` };
  } catch (error) {
    return {
      fingerprint: String(ca.fingerprint),
      serial: '',
      subject: {},
      issuer: {},
      notBefore: 0,
      notAfter: 0,
      error: String((error as Error).message),
    };
  }
}

export async function loadOrganizations(light: LightClient): Promise<{ orgs: OrgView[]; proof: Proof }> {
  type Org = { id: string; name: string; cas: CaView[] };
  const { value: list, proof } = await provenView<Org[]>(
    light,
    'organizations',
    {},
    [GOV_KEYS.orgIds],
    (state) =>
      (state.value(GOV_KEYS.orgIds, OrgIdList) ?? []).map((id) => {
        const org = state.value(GOV_KEYS.org(id), Organization);
        if (!org) throw new Error(`organization ${id} is listed but proven absent`);
        return { id, name: org.name, cas: org.caCertificates.map((der) => caView(light, der)) };
      }),
    (result) =>
      (result as { id: string; name: string; caCertificates: { fingerprint: string; pem: string }[] }[]).map(
        (org) => ({ id: org.id, name: org.name, cas: org.caCertificates.map((ca) => caOfAnswer(light, ca)) }),
      ),
  );
  const orgs = await Promise.all(
    list.map(async (org) => {
      const crl = await provenView<string[]>(
        light,
        'crl',
        { org: org.id },
        [GOV_KEYS.crl(org.id)],
        (state) => (state.value(GOV_KEYS.crl(org.id), CrlRecord) ?? []).map(bytesToHex),
        (result) => (result as { revoked: string[] }).revoked,
      );
      return { ...org, revoked: crl.value, crlProof: crl.proof };
    }),
  );
  return { orgs, proof };
}

export type IdentityAnswer = {
  registered: boolean;
  org?: string;
  role?: string;
  serial?: string;
  notAfter?: string;
  problem?: string;
};

/**
 * An identity decoded from the proven reads of `governance/identity`, with why it may not act
 * as the chain judges it (the organization removed, its CA retired, its serial revoked), each
 * from a proven read: the query reads those keys in that order and stops at the first problem.
 */
function identityFromState(light: LightClient, state: ProvenState, address: string): IdentityAnswer {
  const identity = state.value(GOV_KEYS.identity(address), Identity);
  if (!identity) return { registered: false };
  const org = state.value(GOV_KEYS.org(identity.org), Organization);
  const issuer = bytesToHex(identity.issuer);
  const problem = !org
    ? 'MEMBER_ORG_REMOVED'
    : !org.caCertificates.some((ca) => bytesToHex(digestDocument(light.genesis.chainHash, ca)) === issuer)
      ? 'MEMBER_REVOKED'
      : state.bytes(GOV_KEYS.revoked(identity.org, bytesToHex(identity.serial))) !== undefined
        ? 'MEMBER_REVOKED'
        : undefined;
  return {
    registered: true,
    org: identity.org,
    role: identity.role,
    serial: bytesToHex(identity.serial),
    notAfter: String(identity.notAfter),
    ...(problem ? { problem } : {}),
  };
}

/** One identity as the chain holds it (org, role, serial, expiry, problem), decoded from proven reads. */
export function loadIdentity(
  light: LightClient,
  address: string,
): Promise<{ value: IdentityAnswer; proof: Proof }> {
  return provenView<IdentityAnswer>(
    light,
    'identity',
    { address },
    [GOV_KEYS.identity(address)],
    (state) => identityFromState(light, state, address),
    (answer) => answer as IdentityAnswer,
  );
}

/** The founding members' addresses and names, from the certificates in the pinned genesis. */
function genesisMembers(genesis: Genesis): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const identities = (genesis.modules.governance as { identities?: unknown } | undefined)?.identities;
  if (!Array.isArray(identities)) return out;
  for (const pem of identities) {
    if (typeof pem !== 'string') continue;
    try {
      const cert = readCertificate(pem);
      if (cert.publicKey) out.set(addressOf(genesis.chainHash, cert.publicKey), cert.subject.CN);
    } catch {
      // A certificate this reader cannot place is left out; the chain accepted it at genesis.
    }
  }
  return out;
}

/**
 * Every member the page can find (the genesis identities and later registrations), each
 * read from state by a proven `governance/identity` query.
 */
export async function loadMembers(
  light: LightClient,
  client: PujiangClient,
  genesis: Genesis,
): Promise<{ members: MemberView[]; complete: boolean }> {
  const names = genesisMembers(genesis);
  const later = await replayEvents(client, { module: 'governance', type: 'registered' });
  const registered = later.events.map((e) => e.event.attributes.address).filter((a): a is string => !!a);
  const addresses = [...new Set([...names.keys(), ...registered])];
  const members = await Promise.all(
    addresses.map(async (address) => {
      const { value: result, proof } = await loadIdentity(light, address);
      const name = names.get(address);
      return {
        address,
        org: result.org ?? '—',
        role: result.role ?? '—',
        ...(name ? { name } : {}),
        serial: result.serial ?? '',
        ...(result.notAfter ? { notAfter: Number(result.notAfter) } : {}),
        registered: result.registered,
        ...(result.problem ? { problem: result.problem } : {}),
        proof,
      };
    }),
  );
  return { members, complete: later.complete };
}
