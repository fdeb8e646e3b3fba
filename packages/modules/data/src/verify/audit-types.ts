import type { HashAlgorithm } from '@pujiang/crypto';
import type { ReceiptJson, RequestJson } from '../records-json.js';
import type { RequestSecrets, SealedRequestRecord } from '../sealed-request.js';
import type { LoggedDelivery } from '../service/delivery-log.js';

/** The checks an audit names. */
export type AuditCheck = 'header' | 'catalog' | 'access-log' | 'grant' | 'sealed' | 'consent' | 'delivery';

export interface AuditOutcome {
  readonly check: AuditCheck;
  readonly verified: boolean;
  /** The access it concerns, if one. */
  readonly seq?: number;
  readonly code?: string;
  readonly message?: string;
}

export interface AuditedAccess {
  readonly receipt: ReceiptJson;
  readonly request: Pick<
    RequestJson,
    | 'id'
    | 'requester'
    | 'requesterDid'
    | 'requesterOrg'
    | 'legalBasis'
    | 'scope'
    | 'status'
    | 'decidedBy'
    | 'decidedAt'
    | 'grantedUntil'
    | 'revokedBy'
    | 'revokedAt'
  >;
  /** Whether the opener could read its sealed terms (false: not sealed to that key). */
  readonly opened?: boolean;
  /** What the sealed terms say, when they were opened. */
  readonly subject?: string;
  readonly purpose?: string;
  readonly consent?: { readonly issuer: string; readonly verified: boolean };
  readonly delivery?: { readonly records: number; readonly deliveredAt: string };
}

export interface AuditReport {
  readonly verified: boolean;
  readonly dataset: string;
  readonly height: number;
  /** Receipts the chain holds for the dataset (all were checked, whatever `subject` filters). */
  readonly count: number;
  readonly checks: readonly AuditOutcome[];
  /**
   * Checks this audit could not run: `sealed` and `consent` without an opener, `delivery`
   * without the steward's log. A report is verified for what it checked only.
   */
  readonly unchecked: readonly AuditCheck[];
  /** The accesses audited (those of `subject` when one is named and the terms were opened). */
  readonly accesses: readonly AuditedAccess[];
}

/** What opens a request's sealed terms (`requestOpener(secretKey, chain)` in the client). */
export type RequestOpener = (request: SealedRequestRecord) => RequestSecrets;

export interface AuditOptions {
  readonly dataset: string;
  readonly chain: { readonly chainId: string; readonly chainHash: HashAlgorithm };
  /**
   * Opens a request's sealed terms (an auditor's, the steward's or the subject's key: see
   * `requestOpener` of the client), checked against its tags; a request not sealed to that key
   * is reported unopened, not failed (a subject reads only what is about it).
   */
  readonly open?: RequestOpener;
  /**
   * The DID whose key `open` holds, when it is an auditor's: a request made while that DID was
   * an auditor and not sealed to it fails `sealed` (for others, unopened is not a failure).
   */
  readonly auditor?: string;
  /** Only this subject's accesses in the report (needs `open`). */
  readonly subject?: string;
  /** The data service's delivery log: every receipt must have its delivery, with the same digest. */
  readonly deliveries?: readonly LoggedDelivery[];
}
