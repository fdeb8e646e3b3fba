import { type KeyPair, openEnvelope } from '@pujiang/crypto';
import {
  type ChainClient,
  hashArgument,
  keyPairArgument,
  objectArgument,
  sdkError,
  stringArgument,
} from '@pujiang/module-kit';
import { requestSigner, signatureHeaders } from '@pujiang/module-kit/signed-requests';
import { bytesToHex, invalidArgument, PujiangError } from '@pujiang/types';
import { deliveryContext, deliveryDigest } from '../formats.js';
import type { Delivery, DeliveryAnswer } from '../service/data-service.js';
import { getAccessLog } from './requests.js';

export interface FetchDataParameters {
  /** The data service's URL (the dataset's endpoint). */
  service: string;
  request: string;
  /** The requester's key: the one that sent the request. */
  key: KeyPair;
  /** The X25519 secret of the request's reply key. */
  replySecret: Uint8Array;
  timeoutMs?: number;
}

export interface FetchDataReturnType {
  readonly delivery: Delivery;
  readonly digest: string;
  readonly receipt: DeliveryAnswer['receipt'];
}

/**
 * Fetches what a grant covers from the agency's data service: the fetch is signed with the
 * requester's key (RFC 9421), the answer opened with the reply key's secret, and its digest
 * checked against the access receipt the chain recorded. A refusal throws the service's code.
 */
export async function fetchData(client: ChainClient, p: FetchDataParameters): Promise<FetchDataReturnType> {
  objectArgument(p, 'parameters');
  const service = stringArgument(p.service, 'service');
  if (!URL.canParse(service)) throw invalidArgument('service is the data service URL', 'service');
  const request = hashArgument(p.request, 'request');
  keyPairArgument(p.key, 'key');
  if (!(p.replySecret instanceof Uint8Array) || p.replySecret.length !== 32)
    throw invalidArgument('replySecret is a 32-byte X25519 secret key', 'replySecret');
  const { chainId, chainHash } = await client.getStatus();
  const url = new URL('/v1/data/fetch', service).toString();
  const body = JSON.stringify({ request });
  const headers = await signatureHeaders(
    requestSigner(p.key, async () => chainHash),
    'POST',
    url,
    body,
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(p.timeoutMs ?? 60_000),
  });
  const answer = (await response.json().catch(() => ({}))) as DeliveryAnswer & {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
  if (!response.ok)
    throw new PujiangError(
      answer.error?.code ?? 'DATA_SERVICE_UNAVAILABLE',
      answer.error?.message ?? `HTTP ${response.status}`,
      {
        status: response.status,
        ...(answer.error?.details ?? {}),
      },
    );
  const plaintext = openEnvelope(p.replySecret, new Uint8Array(Buffer.from(answer.envelope, 'base64')), {
    context: deliveryContext(chainId, request),
  });
  const digest = bytesToHex(deliveryDigest(chainHash, plaintext));
  const recorded = (await getAccessLog(client, answer.dataset, { from: answer.receipt.seq, limit: 1 }))
    .receipts[0];
  if (digest !== answer.digest || recorded?.digest !== digest || recorded.request !== request)
    throw sdkError('SDK_VERIFICATION_FAILED', 'the delivery does not match its access receipt on chain', {
      check: 'delivery-digest',
    });
  return {
    delivery: JSON.parse(new TextDecoder().decode(plaintext)) as Delivery,
    digest,
    receipt: answer.receipt,
  };
}
