import { decode, encode, u32 } from '@pujiang/codec';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type Receipt,
  ReceiptRecord,
  RequestRecord,
  receiptCountKey,
  receiptKey,
  requestKey,
} from '../formats.js';
import { readDataset } from './catalog.js';
import { requireSteward } from './identity.js';
import { grantProblem, readRequest, requireConsentIfRestricted } from './requests.js';

export function readReceiptCount(read: StateRead, dataset: string): number {
  const bytes = read(receiptCountKey(dataset));
  return bytes ? decode(u32, bytes) : 0;
}

export function readReceipt(read: StateRead, dataset: string, seq: number): ReceiptRecord | undefined {
  const bytes = read(receiptKey(dataset, seq));
  return bytes ? decode(ReceiptRecord, bytes) : undefined;
}

const GRANT_MESSAGES: Record<string, string> = {
  DATA_GRANT_REVOKED: 'the grant was revoked',
  DATA_NOT_GRANTED: 'the request was not granted',
  DATA_GRANT_EXPIRED: 'the grant expired',
};

/**
 * `data/receipt`: the steward's data service records one delivery (who, what, under which
 * grant, the delivered bytes' digest, when) under a grant live at this block. Receipts are
 * numbered per dataset, so an audit that proves the count proves none is missing.
 */
export function receipt(ctx: MessageContext, m: Receipt): void {
  const id = bytesToHex(m.request);
  const request = readRequest((k) => ctx.get(k), id);
  if (!request) throw moduleError('DATA_UNKNOWN', `there is no request ${id}`, { request: id });
  const dataset = readDataset((k) => ctx.get(k), request.dataset)!;
  requireSteward(ctx, dataset.steward, 'records deliveries');
  requireConsentIfRestricted(dataset, request);
  const problem = grantProblem(request, ctx.time);
  if (problem) throw moduleError(problem, GRANT_MESSAGES[problem]!, { request: id });
  const seq = readReceiptCount((k) => ctx.get(k), request.dataset);
  const record: ReceiptRecord = {
    seq,
    request: m.request,
    requester: request.requester,
    digest: m.digest,
    bytes: m.bytes,
    by: hexToBytes(ctx.sender),
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(ctx.txHash),
  };
  ctx.set(receiptKey(request.dataset, seq), encode(ReceiptRecord, record));
  ctx.set(receiptCountKey(request.dataset), encode(u32, seq + 1));
  ctx.set(requestKey(id), encode(RequestRecord, { ...request, receipts: request.receipts + 1 }));
  ctx.emit('accessed', {
    dataset: request.dataset,
    request: id,
    seq: String(seq),
    requester: bytesToHex(request.requester),
  });
}
