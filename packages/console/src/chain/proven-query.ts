import type { LightClient } from '@pujiang/sdk/browser';
import type { CertifiedHeader, VerifiedQuery } from '@pujiang/sdk/verify';

/** How long a verified latest header is reused by the queries of one view. */
const REUSE_MS = 3000;

const latest = new WeakMap<LightClient, { readonly at: number; readonly header: Promise<CertifiedHeader> }>();

/**
 * The node's latest header, verified once for every query started within a few seconds. The
 * light client proves each height's validator set from the one before, so on a fresh page the
 * first verification walks the chain's headers: many queries verifying in parallel would each
 * walk it; they share this one walk and then run at its height.
 */
export function verifiedLatestHeader(light: LightClient): Promise<CertifiedHeader> {
  const cached = latest.get(light);
  if (cached && Date.now() - cached.at < REUSE_MS) return cached.header;
  const header = light.getVerifiedLatestHeader();
  latest.set(light, { at: Date.now(), header });
  header.catch(() => latest.delete(light));
  return header;
}

/** Drops the shared header, so the next query proves the state after a transaction just committed. */
export function forgetLatestHeader(light: LightClient): void {
  latest.delete(light);
}

/** A module query run on the state of the shared verified header, its reads proven under it. */
export async function provenQuery(
  light: LightClient,
  module: string,
  name: string,
  params: Record<string, string> = {},
  requiredKeys: readonly Uint8Array[] = [],
): Promise<VerifiedQuery> {
  const header = await verifiedLatestHeader(light);
  return light.verifiedQuery(module, name, params, requiredKeys, { height: header.height });
}
