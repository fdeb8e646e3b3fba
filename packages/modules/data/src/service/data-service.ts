import { type HashAlgorithm, randomBytes, sealEnvelope } from '@pujiang/crypto';
import { type ChainClient, encodePayload, queryTyped } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, isPujiangError, utf8ToBytes } from '@pujiang/types';
import { compileRecordSchema } from '../client/catalog.js';
import { deliveryContext, deliveryDigest, Grant, Receipt as ReceiptPayload } from '../formats.js';
import { policyCovers } from '../policy.js';
import type { DatasetJson, RequestJson } from '../records-json.js';
import { DatasetQuery, RequestQuery } from '../schemas.js';
import { aeadFor } from '../sealed-request.js';
import type { DeliveryLog } from './delivery-log.js';
import { type ConsentReport, chainRefusal, DataServiceError } from './errors.js';
import type { DatasetRecords } from './records.js';
import type { StewardTransactions } from './steward-transactions.js';
import { checkConsent, openTerms } from './terms.js';

export type { ConsentReport } from './errors.js';
export { DataServiceError } from './errors.js';

export interface DataServiceOptions {
  /** The agency's own node. */
  readonly client: ChainClient;
  readonly chain: { readonly chainId: string; readonly chainHash: HashAlgorithm };
  /** Sends the steward key's transactions (the key acts for the datasets' steward DID). */
  readonly transactions: StewardTransactions;
  /** The X25519 secret of the steward DID's key-agreement key (opens the requests). */
  readonly agreementSecret: Uint8Array;
  readonly datasets: ReadonlyMap<string, DatasetRecords>;
  /** Verifies a consent credential against the chain (its proof, issuance, period and revocation status). */
  readonly verifyConsent: (credential: Record<string, unknown>) => Promise<ConsentReport>;
  readonly log: DeliveryLog;
  readonly now?: () => number;
}

/** What a live grant covers, checked: the request, its dataset and the records it may have. */
export interface CheckedAccess {
  readonly request: RequestJson;
  readonly dataset: DatasetJson;
  readonly records: readonly Record<string, unknown>[];
}

/** What a delivery answers the requester: the records sealed to its reply key, and the receipt. */
export interface DeliveryAnswer {
  readonly request: string;
  readonly dataset: string;
  /** The sealed delivery, base64. */
  readonly envelope: string;
  readonly digest: string;
  readonly receipt: { readonly seq: number; readonly txHash: string; readonly height: number };
}

/** What the requester opens: the records and what they answer. */
export interface Delivery {
  readonly v: 1;
  readonly chainId: string;
  readonly request: string;
  readonly dataset: string;
  readonly datasetVersion: number;
  readonly records: readonly Record<string, unknown>[];
  readonly deliveredAt: string;
  /** 16 random bytes, hex: two deliveries of the same records never share a digest. */
  readonly nonce: string;
}

/** How long an unknown request is looked for (about 3 s: a few blocks' propagation). */
const UNKNOWN_RETRIES = 15;
const UNKNOWN_RETRY_MS = 200;

const refuse = (status: number, code: string, message: string, details: Record<string, unknown> = {}) =>
  new DataServiceError(status, code, message, details);

/**
 * The agency's data service: delivers what a live grant covers, to the key that asked, sealed
 * to the request's reply key, and records each delivery on chain before answering. It
 * refuses a request not granted (or revoked, or expired), a signer other than the requester,
 * a consent that no longer verifies, and a request whose sealed terms do not match its tags.
 */
export class DataService {
  private readonly schemas = new Map<string, ReturnType<typeof compileRecordSchema>['validate']>();
  private readonly now: () => number;

  constructor(private readonly o: DataServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Everything a delivery must pass, without delivering: the request and its signer, the
   * sealed terms (to every auditor and the subject), restricted data only record by record
   * with consent, the consent verified now, a grant live now (sent first when the policy
   * covers restricted data with consent), and the records it covers, against the schema.
   */
  async checkAccess(signer: string, id: string): Promise<CheckedAccess> {
    let request = await this.request(id);
    if (request.requester !== signer)
      throw refuse(403, 'DATA_WRONG_SIGNER', 'the fetch is signed by another key than the requester’s', {
        signer,
      });
    const dataset = await this.dataset(request.dataset);
    const records = this.o.datasets.get(request.dataset);
    if (!records) throw refuse(404, 'DATA_UNKNOWN', `this service does not serve ${request.dataset}`);
    if (dataset.classification === 'restricted' && (request.scope !== 'record' || !request.consent))
      throw refuse(403, 'DATA_CONSENT_REQUIRED', 'restricted data goes record by record, with consent');
    const secrets = await openTerms(this.o.client, this.o.chain, this.o.agreementSecret, request);
    if (request.consent) await checkConsent(this.o.verifyConsent, request, secrets);
    if (request.status === 'pending' && this.policyGrants(dataset, request))
      request = await this.grantByPolicy(request);
    this.checkGrant(request);
    const chosen = request.scope === 'dataset' ? records.all : records.of(secrets.subject);
    if (chosen.length === 0) throw refuse(404, 'DATA_RECORD_NOT_FOUND', 'no record of that subject');
    this.checkRecords(dataset, chosen);
    return { request, dataset, records: chosen };
  }

  /**
   * Delivers request `id` to `signer` (the address that signed the fetch): logs the delivery,
   * records its receipt on chain, and only then answers.
   */
  async deliver(signer: string, id: string): Promise<DeliveryAnswer> {
    const { request, dataset, records: chosen } = await this.checkAccess(signer, id);
    const delivery: Delivery = {
      v: 1,
      chainId: this.o.chain.chainId,
      request: id,
      dataset: dataset.id,
      datasetVersion: dataset.version,
      records: chosen,
      deliveredAt: new Date(this.now()).toISOString(),
      nonce: bytesToHex(randomBytes(16)),
    };
    const plaintext = utf8ToBytes(JSON.stringify(delivery));
    const digest = deliveryDigest(this.o.chain.chainHash, plaintext);
    const envelope = sealEnvelope([hexToBytes(request.replyKey)], plaintext, {
      aead: aeadFor(this.o.chain.chainHash),
      context: deliveryContext(this.o.chain.chainId, id),
    });
    // Logged before the receipt is sent: a receipt that commits after a timeout still has its delivery.
    this.o.log.append({ dataset: dataset.id, request: id, digest: bytesToHex(digest), delivery });
    const committed = await this.o.transactions
      .submit(
        'receipt',
        encodePayload(ReceiptPayload, { request: hexToBytes(id), digest, bytes: plaintext.length }),
      )
      .catch((error: unknown) => {
        throw chainRefusal(error);
      });
    const seq = Number(committed.events.find((e) => e.type === 'accessed')?.attributes.seq);
    return {
      request: id,
      dataset: dataset.id,
      envelope: Buffer.from(envelope).toString('base64'),
      digest: bytesToHex(digest),
      receipt: { seq, txHash: committed.txHash, height: committed.height },
    };
  }

  /**
   * The request as this agency's node has it. A request just committed on the requester's own
   * node may reach this one a block later: an unknown one is looked for again for a few blocks
   * before it is refused.
   */
  private async request(id: string): Promise<RequestJson> {
    for (let tries = 0; ; tries++) {
      const { result } = await queryTyped(this.o.client, RequestQuery, { id });
      if (result.request) return result.request as RequestJson;
      if (tries >= UNKNOWN_RETRIES) throw refuse(404, 'DATA_UNKNOWN', `there is no request ${id}`);
      await new Promise((r) => setTimeout(r, UNKNOWN_RETRY_MS));
    }
  }

  private async dataset(id: string): Promise<DatasetJson> {
    const { result } = await queryTyped(this.o.client, DatasetQuery, { id });
    if (!result.dataset) throw refuse(404, 'DATA_UNKNOWN', `there is no dataset ${id}`);
    return result.dataset as DatasetJson;
  }

  /** Restricted data under an automatic policy: the chain cannot check a credential, so the steward's service grants once the consent verified. */
  private policyGrants(dataset: DatasetJson, request: RequestJson): boolean {
    const p = dataset.policy;
    return (
      dataset.classification === 'restricted' &&
      request.consent &&
      policyCovers(
        { ...p, maxDurationMs: BigInt(p.maxDurationMs) },
        { legalBasis: request.legalBasis, validUntil: BigInt(request.validUntil) },
        request.requesterOrg,
        BigInt(request.time),
      )
    );
  }

  private async grantByPolicy(request: RequestJson): Promise<RequestJson> {
    await this.o.transactions
      .submit(
        'grant',
        encodePayload(Grant, { request: hexToBytes(request.id), validUntil: BigInt(request.validUntil) }),
      )
      .catch((error: unknown) => {
        // Another delivery of the same request may have granted it first.
        if (!isPujiangError(error) || error.code !== 'DATA_NOT_PENDING') throw chainRefusal(error);
      });
    return this.request(request.id);
  }

  private checkGrant(request: RequestJson): void {
    if (request.status === 'revoked')
      throw refuse(403, 'DATA_GRANT_REVOKED', 'the grant was revoked', { reason: request.reason });
    if (request.status !== 'granted')
      throw refuse(403, 'DATA_NOT_GRANTED', `the request is ${request.status}`);
    if (this.now() >= Number(request.grantedUntil))
      throw refuse(403, 'DATA_GRANT_EXPIRED', 'the grant expired');
  }

  private checkRecords(dataset: DatasetJson, records: readonly Record<string, unknown>[]): void {
    const key = `${dataset.id}@${dataset.version}`;
    let validate = this.schemas.get(key);
    if (!validate) {
      validate = compileRecordSchema(dataset.schema).validate;
      this.schemas.set(key, validate);
    }
    for (const record of records)
      if (!validate(record))
        throw refuse(500, 'DATA_RECORD_INVALID', `a record does not match ${dataset.id}'s schema`, {
          errors: validate.errors?.slice(0, 3),
        });
  }
}
