import {
  type ChainClient,
  listArgument,
  objectArgument,
  type QueryProvenOptions,
  stringArgument,
  type VerifiedQuerier,
} from '@pujiang/module-kit';
import type { BlockHeaderJson, CommitCertificateJson } from '@pujiang/protocol';
import { invalidArgument } from '@pujiang/types';
import {
  type CertifiedHeader,
  type TrustParameters,
  trustOf,
  type VerifiedQuery,
  verifyHeader,
  verifyProvenQuery,
} from '@pujiang/verify';
import { openRequest } from '../sealed-request.js';
import type { LoggedDelivery } from '../service/delivery-log.js';
import type { RequestOpener } from '../verify/audit.js';
import { AUDIT_BUNDLE_FORMAT, type AuditBundle, type RecordedQuery } from '../verify/bundle.js';
import { auditScope, type ScopeReport } from '../verify/scope.js';

/**
 * A verified querier over a node that keeps what it proved: the certified headers and the
 * raw proven answers. Pinned to one height, so the audit is a snapshot.
 */
class RecordingQuerier implements VerifiedQuerier {
  readonly headers: Record<string, { header: BlockHeaderJson; certificate: CommitCertificateJson }> = {};
  readonly queries: RecordedQuery[] = [];
  private readonly certified = new Map<number, CertifiedHeader>();

  constructor(
    private readonly client: ChainClient,
    private readonly trust: TrustParameters,
    readonly height: number,
  ) {}

  private async header(height: number): Promise<CertifiedHeader> {
    const cached = this.certified.get(height);
    if (cached) return cached;
    const response = await this.client.getHeader(height);
    const certified = verifyHeader({
      ...this.trust,
      header: response.header,
      certificate: response.certificate,
      height,
    });
    this.headers[String(height)] = { header: response.header, certificate: response.certificate };
    this.certified.set(height, certified);
    return certified;
  }

  getVerifiedLatestHeader(): Promise<CertifiedHeader> {
    return this.header(this.height);
  }

  async verifiedQuery(
    module: string,
    name: string,
    params: Record<string, string> = {},
    requiredKeys: readonly Uint8Array[] = [],
    options: QueryProvenOptions = {},
  ): Promise<VerifiedQuery> {
    const height = options.height ?? this.height;
    const response = await this.client.queryProven(module, name, params, { height });
    const verified = verifyProvenQuery(response, await this.header(height), { requiredKeys });
    this.queries.push({ module, name, params: { ...params }, height, response });
    return verified;
  }
}

export interface BuildAuditBundleParameters {
  /** The datasets to audit; omitted: every dataset of the catalog (a subject's audit). */
  datasets?: readonly string[];
  /** The pinned validators (a genesis): the node is trusted for nothing. */
  trust: TrustParameters;
  /** An X25519 secret the requests are sealed to: opens subjects, purposes and consents. */
  openKey?: Uint8Array;
  subject?: string;
  /** The auditor's DID whose key `openKey` is: a request that had to be sealed to it and is not fails. */
  auditor?: string;
  /** The data service's delivery log (the steward's), checked against the receipts and carried in the bundle. */
  deliveries?: readonly LoggedDelivery[];
}

/**
 * Audits the accesses to datasets (or to every dataset of the catalog) from a node's proofs and
 * returns the report with the bundle that lets anyone check it again offline (`verifyAuditBundle`).
 */
export async function buildAuditBundle(
  client: ChainClient,
  p: BuildAuditBundleParameters,
): Promise<{ bundle: AuditBundle; report: ScopeReport }> {
  objectArgument(p, 'parameters');
  const datasets =
    p.datasets === undefined
      ? undefined
      : listArgument(p.datasets, 'datasets').map((d, i) => stringArgument(d, `datasets[${i}]`));
  const trust = trustOf(objectArgument(p.trust, 'trust'));
  const open = p.openKey === undefined ? undefined : requestOpener(p.openKey, trust);
  if (p.subject !== undefined) stringArgument(p.subject, 'subject');
  if (p.deliveries !== undefined) listArgument(p.deliveries, 'deliveries');
  const status = await client.getStatus();
  // The latest height whose state is provable: a header commits to the block before it.
  const querier = new RecordingQuerier(client, p.trust, status.height);
  const report = await auditScope(querier, {
    ...(datasets ? { datasets } : {}),
    chain: { chainId: trust.chainId, chainHash: trust.chainHash },
    ...(open ? { open } : {}),
    ...(p.subject !== undefined ? { subject: p.subject } : {}),
    ...(p.auditor !== undefined ? { auditor: stringArgument(p.auditor, 'auditor') } : {}),
    ...(p.deliveries ? { deliveries: p.deliveries } : {}),
  });
  const bundle: AuditBundle = {
    format: AUDIT_BUNDLE_FORMAT,
    version: 1,
    chainId: trust.chainId,
    ...(datasets ? { datasets } : {}),
    height: querier.height,
    headers: querier.headers,
    queries: querier.queries,
    ...(p.deliveries
      ? { deliveries: p.deliveries.filter((d) => !datasets || datasets.includes(d.dataset)) }
      : {}),
  };
  return { bundle, report };
}

/**
 * What opens requests sealed to an X25519 key (an auditor's, the steward's or the subject's),
 * for `verifyAuditBundle` and `auditDataset`: each opening is checked against the request's tags.
 */
export function requestOpener(
  secretKey: Uint8Array,
  chain: { readonly chainId: string; readonly chainHash: 'sm3' | 'sha256' },
): RequestOpener {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32)
    throw invalidArgument('secretKey is a 32-byte X25519 secret key', 'secretKey');
  objectArgument(chain, 'chain');
  return (request) => openRequest(secretKey, request, chain);
}
