import { amountArgument } from '@pujiang/module-bank';
import {
  type ChainClient,
  encodePayload,
  hashArgument,
  objectArgument,
  parseAddress,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import { parseCivilDate } from '../dates.js';
import {
  CancelFinancing,
  ConfirmReceivable,
  DENOM,
  FinanceReceivable,
  MAX_DUE_DAY,
  partId,
  REFERENCE,
  ReleasePledge,
  RequestFinancing,
  receivableId,
  SCF_LIMITS,
  SCF_MODULE,
  SetCreditLine,
  SettleReceivable,
  SplitReceivable,
  TransferReceivable,
} from '../formats.js';
import type { CreditLineJson, PartJson, ReceivableJson } from '../records.js';
import { BanksQuery, CreditLineQuery, InvoiceQuery, PartQuery, ReceivableQuery } from '../schemas.js';

/**
 * Supply-chain finance from an application: a bank's credit line, a buyer's confirmation,
 * a holder's splits, transfers and financing requests, a bank's financing (its checker and
 * approver as `endorsers`), the buyer's settlement; and the records as the node says them.
 * Every call checks its arguments first (`SDK_INVALID_ARGUMENT` naming the parameter).
 * A confirmation needs the supplier's key among `endorsers`.
 */
export type ScfSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;
/** An amount in the denomination's smallest unit: a bigint, a safe integer or a decimal string. */
export type AmountLike = bigint | number | string;

const send = (client: ChainClient, p: ScfSendParameters, type: string, payload: Uint8Array) =>
  client.sendTransaction({ ...p, module: SCF_MODULE, type, payload });

const digestArgument = (value: unknown, parameter: string): Uint8Array => {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) throw invalidArgument(`${parameter} is 32 bytes`, parameter);
    return value;
  }
  return hexToBytes(hashArgument(value, parameter));
};
function denomArgument(value: unknown): string {
  if (value === undefined) return 'native';
  if (typeof value !== 'string' || !DENOM.test(value))
    throw invalidArgument('denom is a denomination name', 'denom');
  return value;
}
/** A due date as YYYY-MM-DD (Asia/Shanghai) or a day number. */
export function dueDayArgument(value: unknown): number {
  const day =
    typeof value === 'string'
      ? parseCivilDate(value)
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? BigInt(value)
        : undefined;
  if (day === undefined || day < 0n || day > MAX_DUE_DAY)
    throw invalidArgument('dueDate is a date (YYYY-MM-DD) or a day number', 'dueDate');
  return Number(day);
}

/** `scf/setCreditLine`: a bank caps a buyer's outstanding confirmations in a denomination. */
export function setCreditLine(
  client: ChainClient,
  p: ScfSendParameters & { buyer: string; denom?: string; limit: AmountLike },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { buyer, denom, limit, ...rest } = p;
  const payload = encodePayload(SetCreditLine, {
    buyer: parseAddress(buyer, 'buyer'),
    denom: denomArgument(denom),
    limit: amountArgument(limit, 'limit', true),
  });
  return send(client, rest, 'setCreditLine', payload);
}

/** `scf/confirm`: the buyer (the key) confirms a payable; the receivable's id derives from the invoice. */
export async function confirmReceivable(
  client: ChainClient,
  p: ScfSendParameters & {
    supplier: string;
    amount: AmountLike;
    denom?: string;
    dueDate: string | number;
    /** SHA-256 of the invoice file (bytes or hex). */
    invoiceDigest: Uint8Array | string;
    deliveryDigests?: readonly (Uint8Array | string)[];
    reference: string;
    /** The chain's hash algorithm (the receivable's id is computed with it; default sm3 chains say so). */
    chainHash?: 'sha256' | 'sm3';
  },
): Promise<SendTransactionReturnType & { id: string }> {
  objectArgument(p, 'parameters');
  const {
    supplier,
    amount,
    denom,
    dueDate,
    invoiceDigest,
    deliveryDigests = [],
    reference,
    chainHash,
    ...rest
  } = p;
  if (typeof reference !== 'string' || !REFERENCE.test(reference))
    throw invalidArgument('reference is 1-64 of A-Z a-z 0-9 . _ / : -', 'reference');
  if (!Array.isArray(deliveryDigests) || deliveryDigests.length > SCF_LIMITS.deliveryDigests)
    throw invalidArgument(
      `deliveryDigests lists at most ${SCF_LIMITS.deliveryDigests} digests`,
      'deliveryDigests',
    );
  const invoice = digestArgument(invoiceDigest, 'invoiceDigest');
  const payload = encodePayload(ConfirmReceivable, {
    supplier: parseAddress(supplier, 'supplier'),
    denom: denomArgument(denom),
    amount: amountArgument(amount, 'amount'),
    dueDay: dueDayArgument(dueDate),
    invoiceDigest: invoice,
    deliveryDigests: deliveryDigests.map((d, i) => digestArgument(d, `deliveryDigests[${i}]`)),
    reference,
  });
  const algorithm = chainHash ?? (await client.getStatus()).chainHash;
  const sent = await send(client, rest, 'confirm', payload);
  return { ...sent, id: bytesToHex(receivableId(algorithm, invoice)) };
}

/** `scf/split`: the holder divides a part; the new parts' ids are returned in order. */
export async function splitReceivable(
  client: ChainClient,
  p: ScfSendParameters & { id: string; amounts: readonly AmountLike[]; chainHash?: 'sha256' | 'sm3' },
): Promise<SendTransactionReturnType & { parts: string[] }> {
  objectArgument(p, 'parameters');
  const { id, amounts, chainHash, ...rest } = p;
  const idBytes = digestArgument(id, 'id');
  if (!Array.isArray(amounts) || amounts.length < 2 || amounts.length > SCF_LIMITS.splitParts)
    throw invalidArgument(`amounts lists 2 to ${SCF_LIMITS.splitParts} amounts`, 'amounts');
  const payload = encodePayload(SplitReceivable, {
    id: idBytes,
    amounts: amounts.map((a, i) => amountArgument(a, `amounts[${i}]`)),
  });
  const algorithm = chainHash ?? (await client.getStatus()).chainHash;
  const sent = await send(client, rest, 'split', payload);
  return { ...sent, parts: amounts.map((_, i) => bytesToHex(partId(algorithm, idBytes, i))) };
}

/** `scf/transfer`: the holder moves a whole part to another member. */
export function transferReceivable(
  client: ChainClient,
  p: ScfSendParameters & { id: string; to: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, to, ...rest } = p;
  return send(
    client,
    rest,
    'transfer',
    encodePayload(TransferReceivable, { id: digestArgument(id, 'id'), to: parseAddress(to, 'to') }),
  );
}

/** `scf/requestFinancing`: the holder asks bank `org` to advance `advance` against a part. */
export function requestFinancing(
  client: ChainClient,
  p: ScfSendParameters & { id: string; org: string; advance: AmountLike },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, org, advance, ...rest } = p;
  if (typeof org !== 'string' || org.length === 0 || org.length > SCF_LIMITS.orgId)
    throw invalidArgument('org is an organization id', 'org');
  const payload = encodePayload(RequestFinancing, {
    id: digestArgument(id, 'id'),
    org,
    advance: amountArgument(advance, 'advance'),
  });
  return send(client, rest, 'requestFinancing', payload);
}

/** `scf/cancelFinancing`: the holder withdraws its pending request. */
export function cancelFinancing(
  client: ChainClient,
  p: ScfSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, ...rest } = p;
  return send(
    client,
    rest,
    'cancelFinancing',
    encodePayload(CancelFinancing, { id: digestArgument(id, 'id') }),
  );
}

/**
 * `scf/finance`: the requested bank pays the advance and takes the part in pledge. The key is
 * the maker; its checker and approver sign as `endorsers` when the bank's policy
 * (`scf/finance/<org>`) asks for them. `payTo` is the bank's identity paid at maturity;
 * `advance` is the amount the signers approve (the holder's request must be that amount).
 */
export function financeReceivable(
  client: ChainClient,
  p: ScfSendParameters & { id: string; payTo: string; advance: AmountLike },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, payTo, advance, ...rest } = p;
  const payload = encodePayload(FinanceReceivable, {
    id: digestArgument(id, 'id'),
    payTo: parseAddress(payTo, 'payTo'),
    advance: amountArgument(advance, 'advance'),
  });
  return send(client, rest, 'finance', payload);
}

/** `scf/release`: the pledgee bank gives a part back to its holder. */
export function releasePledge(
  client: ChainClient,
  p: ScfSendParameters & { id: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, ...rest } = p;
  return send(client, rest, 'release', encodePayload(ReleasePledge, { id: digestArgument(id, 'id') }));
}

/** `scf/settle`: the buyer pays a receivable (all that is unpaid, or `amount`), pro rata to its parts. */
export function settleReceivable(
  client: ChainClient,
  p: ScfSendParameters & { id: string; amount?: AmountLike },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const { id, amount, ...rest } = p;
  const payload = encodePayload(SettleReceivable, {
    id: digestArgument(id, 'id'),
    amount: amount === undefined ? [] : [amountArgument(amount, 'amount')],
  });
  return send(client, rest, 'settle', payload);
}

/** A receivable with its parts as the node says (null if none). */
export async function getReceivable(client: ChainClient, id: string): Promise<ReceivableJson | null> {
  return (await queryTyped(client, ReceivableQuery, { id: hashArgument(id, 'id') })).result.receivable;
}

export async function getReceivablePart(client: ChainClient, id: string): Promise<PartJson | null> {
  return (await queryTyped(client, PartQuery, { id: hashArgument(id, 'id') })).result.part;
}

/** The registry: the receivable an invoice digest backs (null: the invoice is free). */
export async function getInvoice(client: ChainClient, digest: string): Promise<ReceivableJson | null> {
  return (await queryTyped(client, InvoiceQuery, { digest: hashArgument(digest, 'digest') })).result
    .receivable;
}

export async function getCreditLine(
  client: ChainClient,
  p: { buyer: string; denom?: string },
): Promise<CreditLineJson | null> {
  objectArgument(p, 'parameters');
  const buyer = bytesToHex(parseAddress(p.buyer, 'buyer'));
  return (await queryTyped(client, CreditLineQuery, { buyer, denom: denomArgument(p.denom) })).result.line;
}

export async function getScfBanks(client: ChainClient): Promise<string[]> {
  return (await queryTyped(client, BanksQuery, {})).result.banks;
}
