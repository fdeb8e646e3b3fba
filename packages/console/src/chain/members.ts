import { addressOf, type Genesis, type LightClient, type PujiangClient } from '@pujiang/sdk/browser';
import { digestDocument } from '@pujiang/sdk/verify';
import { bytesToHex } from '@pujiang/types';
import type { Proof } from '../components/proof-badge.js';
import { type CertificateSummary, pemToDer, readCertificate } from './certificates.js';
import { replayEvents } from './event-replay.js';
import { provenQuery } from './proven-query.js';

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

async function proven<T>(
  light: LightClient,
  name: string,
  params: Record<string, string> = {},
): Promise<{ result: T; proof: Proof }> {
  try {
    const verified = await provenQuery(light, 'governance', name, params);
    return { result: verified.result as T, proof: { state: 'proven', height: verified.height } };
  } catch (error) {
    // The reads did not verify: show the node's answer, marked as refused.
    const answer = await light.client.query('governance', name, params);
    return { result: answer.result as T, proof: { state: 'failed', error } };
  }
}

/** A CA's fingerprint is the chain's hash of its DER: recomputed here, so a certificate swapped for another shows. */
function fingerprintProblem(light: LightClient, pem: string, fingerprint: string): string | undefined {
  const computed = bytesToHex(digestDocument(light.genesis.chainHash, pemToDer(pem)));
  return computed === fingerprint.toLowerCase()
    ? undefined
    : `fingerprint mismatch: the certificate hashes to ${computed}`;
}

export async function loadOrganizations(light: LightClient): Promise<{ orgs: OrgView[]; proof: Proof }> {
  const { result, proof } = await proven<
    { id: string; name: string; caCertificates: { fingerprint: string; pem: string }[] }[]
  >(light, 'organizations');
  const orgs = await Promise.all(
    result.map(async (org) => {
      const crl = await proven<{ revoked: string[] }>(light, 'crl', { org: org.id });
      return {
        id: org.id,
        name: org.name,
        cas: org.caCertificates.map((ca) => {
          try {
            const problem = fingerprintProblem(light, ca.pem, ca.fingerprint);
            return {
              ...readCertificate(ca.pem),
              fingerprint: ca.fingerprint,
              ...(problem ? { error: problem } : {}),
            };
          } catch (error) {
            return {
              fingerprint: ca.fingerprint,
              serial: '',
              subject: {},
              issuer: {},
              notBefore: 0,
              notAfter: 0,
              error: String((error as Error).message),
            };
          }
        }),
        revoked: crl.result.revoked,
        crlProof: crl.proof,
      };
    }),
  );
  return { orgs, proof };
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
      const { result, proof } = await proven<{
        registered: boolean;
        org?: string;
        role?: string;
        serial?: string;
        notAfter?: string;
        problem?: string;
      }>(light, 'identity', { address });
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
