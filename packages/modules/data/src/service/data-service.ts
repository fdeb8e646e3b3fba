import { type HashAlgorithm, type KeyPair, randomBytes, sealEnvelope } from '@pujiang/crypto';
import { type ChainClient, encodePayload, queryTyped } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, isPujiangError, PujiangError, utf8ToBytes } from '@pujiang/types';
import { compileRecordSchema } from '../client/catalog.js';
import { checkConsentScope } from '../consent.js';
import {
  deliveryContext,
  deliveryDigest,
  Grant,
  Receipt as ReceiptPayload,
  RevokeGrant,
} from '../formats.js';
import type { DatasetJson, RequestJson } from '../records-json.js';
import { DatasetQuery, RequestQuery } from '../schemas.js';
import { openRequest, type RequestSecrets } from '../sealed-request.js';
import type { DeliveryLog } from './delivery-log.js';
import type { DatasetRecords } from './records.js';
import type { StewardTransactions } from './steward-transactions.js';

/** A refusal of the data service: an HTTP status and a stable code. */
export class DataServiceError extends PujiangError<string> {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
    this.name = 'DataServiceError';
  }
}

/** What verifying a consent credential answered (the did module's report, reduced). */
export interface ConsentReport {
  readonly verified: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface DataServiceOptions {
  /** The agency's own node. */
  readonly client: ChainClient;
  readonly chain: { readonly chainId: string; readonly chainHash: HashAlgorithm };
  /** The steward's key (it acts for the datasets' steward DID). */
  readonly transactions: StewardTransactions;
  readonly stewardKey: KeyPair;
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
   * Everything a delivery must pass, without delivering: the request, its signer, the sealed
   * terms, the consent (verified now), a grant live now (made here when the dataset's policy
   * covers restricted data with consent) and the records it covers, checked against the schema.
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
    const secrets = this.open(request);
    if (request.consent) await this.checkConsent(request, secrets);
    if (request.status === 'pending' && this.policyGrants(dataset, request))
      request = await this.grantByPolicy(request);
    this.checkGrant(request);
    const chosen = request.scope === 'dataset' ? records.all : records.of(secrets.subject);
    if (chosen.length === 0) throw refuse(404, 'DATA_RECORD_NOT_FOUND', 'no record of that subject');
    this.checkRecords(dataset, chosen);
    return { request, dataset, records: chosen };
  }

  /** Delivers request `id` to `signer` (the address that signed the fetch). */
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
      aead: this.o.chain.chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm',
      context: deliveryContext(this.o.chain.chainId, id),
    });
    const committed = await this.o.transactions
      .submit(
        'receipt',
        encodePayload(ReceiptPayload, { request: hexToBytes(id), digest, bytes: plaintext.length }),
      )
      .catch((error: unknown) => {
        throw isPujiangError(error) ? refuse(403, error.code, error.message, error.details) : error;
      });
    const seq = Number(committed.events.find((e) => e.type === 'accessed')?.attributes.seq ?? -1);
    this.o.log.append({
      seq,
      dataset: dataset.id,
      request: id,
      txHash: committed.txHash,
      digest: bytesToHex(digest),
      delivery,
    });
    return {
      request: id,
      dataset: dataset.id,
      envelope: Buffer.from(envelope).toString('base64'),
      digest: bytesToHex(digest),
      receipt: { seq, txHash: committed.txHash, height: committed.height },
    };
  }

  private async request(id: string): Promise<RequestJson> {
    const { result } = await queryTyped(this.o.client, RequestQuery, { id });
    if (!result.request) throw refuse(404, 'DATA_UNKNOWN', `there is no request ${id}`);
    return result.request as RequestJson;
  }

  private async dataset(id: string): Promise<DatasetJson> {
    const { result } = await queryTyped(this.o.client, DatasetQuery, { id });
    if (!result.dataset) throw refuse(404, 'DATA_UNKNOWN', `there is no dataset ${id}`);
    return result.dataset as DatasetJson;
  }

  private open(request: RequestJson): RequestSecrets {
    try {
      return openRequest(this.o.agreementSecret, request, this.o.chain);
    } catch (error) {
      if (isPujiangError(error)) throw refuse(403, error.code, error.message);
      throw error;
    }
  }

  /** The consent verifies now (proof, period, not revoked) and covers this request; a revoked one ends the grant. */
  private async checkConsent(request: RequestJson, secrets: RequestSecrets): Promise<void> {
    if (!secrets.consent)
      throw refuse(403, 'DATA_CONSENT_INVALID', 'the request says it carries consent, and does not');
    try {
      checkConsentScope(secrets.consent, request, secrets);
    } catch (error) {
      if (isPujiangError(error)) throw refuse(403, error.code, error.message, error.details);
      throw error;
    }
    const report = await this.o.verifyConsent(secrets.consent);
    if (report.verified) return;
    if (report.error?.code === 'VC_REVOKED') {
      if (request.status === 'granted')
        await this.o.transactions
          .submit(
            'revokeGrant',
            encodePayload(RevokeGrant, { request: hexToBytes(request.id), reason: 'consent-revoked' }),
          )
          .catch(() => undefined);
      throw refuse(403, 'DATA_CONSENT_REVOKED', 'the subject revoked its consent');
    }
    throw refuse(403, 'DATA_CONSENT_INVALID', `the consent does not verify: ${report.error?.message ?? ''}`, {
      cause: report.error?.code,
    });
  }

  /** Restricted data under an automatic policy: the steward's service grants once consent verified (the chain cannot check a credential). */
  private policyGrants(dataset: DatasetJson, request: RequestJson): boolean {
    const p = dataset.policy;
    return (
      dataset.classification === 'restricted' &&
      request.consent &&
      p.auto &&
      (p.orgs.length === 0 || p.orgs.includes(request.requesterOrg)) &&
      p.legalBases.includes(request.legalBasis) &&
      BigInt(request.validUntil) - BigInt(request.time) <= BigInt(p.maxDurationMs)
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
        if (!isPujiangError(error) || error.code !== 'DATA_NOT_PENDING') throw error;
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
