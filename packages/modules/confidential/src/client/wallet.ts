import { fileURLToPath } from 'node:url';
import { generateEphemeralKeyPair } from '@pujiang/crypto';
import {
  type ChainClient,
  encodePayload,
  objectArgument,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
  sdkError,
} from '@pujiang/module-kit';
import { bytesToHex, concatBytes, hexToBytes, invalidArgument, utf8ToBytes } from '@pujiang/types';
import { commit, coordinates, encodeJub, SUBGROUP_ORDER } from '../babyjub.js';
import { Accept, CONFIDENTIAL_MODULE, Mint, RegisterViewKey, Transfer } from '../formats.js';
import { encodeSnarkjsProof } from '../groth16.js';
import { openMemo, sealMemo } from '../memo.js';
import { BalanceQuery, InboxQuery, ParamsQuery } from '../schemas.js';

/**
 * A confidential account from an application: its wallet keeps the opening of its balance
 * commitment (amount and blind) and its view key; `syncWallet` applies what the inbox
 * received, `sendConfidential` proves and sends a transfer (snarkjs, with the committed
 * circuit and proving key), `auditInbox` is what the auditor's view key reads.
 */
export const WALLET_FORMAT = 'pujiang-confidential-wallet/v1';

export interface ConfidentialWallet {
  readonly format: typeof WALLET_FORMAT;
  /** The X25519 view key's secret (hex): memos to this account open with it. */
  readonly viewSecret: string;
  readonly viewKey: string;
  /** The balance commitment's opening. */
  readonly balance: string;
  readonly blind: string;
  /** The next inbox entry to apply. */
  readonly inboxSeq: number;
}

type SendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

export function newConfidentialWallet(): ConfidentialWallet {
  const { publicKey, secretKey } = generateEphemeralKeyPair();
  return {
    format: WALLET_FORMAT,
    viewSecret: bytesToHex(secretKey),
    viewKey: bytesToHex(publicKey),
    balance: '0',
    blind: '0',
    inboxSeq: 0,
  };
}

export function parseConfidentialWallet(value: unknown): ConfidentialWallet {
  const v = value as Partial<ConfidentialWallet> | null;
  const ok =
    v !== null &&
    typeof v === 'object' &&
    v.format === WALLET_FORMAT &&
    /^[0-9a-f]{64}$/.test(v.viewSecret ?? '') &&
    /^[0-9a-f]{64}$/.test(v.viewKey ?? '') &&
    /^[0-9]+$/.test(v.balance ?? '') &&
    /^[0-9]+$/.test(v.blind ?? '') &&
    Number.isSafeInteger(v.inboxSeq);
  if (!ok) throw invalidArgument(`not a ${WALLET_FORMAT} wallet`, 'wallet');
  return v as ConfidentialWallet;
}

export const memoContext = (chainId: string, from: string, to: string, amount: Uint8Array): Uint8Array =>
  concatBytes(utf8ToBytes(`${chainId}\0${from}\0${to}\0`), amount);

export function registerConfidentialViewKey(
  client: ChainClient,
  p: SendParameters & { wallet: ConfidentialWallet },
): Promise<SendTransactionReturnType> {
  const wallet = parseConfidentialWallet(objectArgument(p, 'parameters').wallet);
  const payload = encodePayload(RegisterViewKey, { key: hexToBytes(wallet.viewKey) });
  return client.sendTransaction({ ...p, module: CONFIDENTIAL_MODULE, type: 'registerViewKey', payload });
}

export function mintConfidential(
  client: ChainClient,
  p: SendParameters & { to: string; amount: bigint },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  if (typeof p.to !== 'string' || !/^[0-9a-f]{42}$/.test(p.to))
    throw invalidArgument('to is an address', 'to');
  if (typeof p.amount !== 'bigint' || p.amount <= 0n || p.amount >= 2n ** 64n)
    throw invalidArgument('amount is 1 to 2^64 - 1', 'amount');
  const payload = encodePayload(Mint, { to: hexToBytes(p.to), amount: p.amount });
  return client.sendTransaction({
    ...p,
    gasLimit: p.gasLimit ?? 1_000_000n,
    module: CONFIDENTIAL_MODULE,
    type: 'mint',
    payload,
  });
}

/**
 * Receives what arrived since the wallet's cursor: every entry whose memo opens to its
 * commitment (or a mint, in the clear) is accepted in one `confidential/accept`, and the
 * wallet's opening grows by them; an entry whose memo does not open, or opens to another
 * commitment, is left unaccepted and reported (`rejected`): the balance stays spendable.
 * Then the opening is checked against the chain's balance commitment.
 */
export async function syncWallet(
  client: ChainClient,
  p: SendParameters & { address: string; wallet: ConfidentialWallet },
): Promise<{
  readonly wallet: ConfidentialWallet;
  readonly accepted: readonly number[];
  readonly rejected: readonly number[];
}> {
  let wallet = parseConfidentialWallet(objectArgument(p, 'parameters').wallet);
  if (typeof p.address !== 'string' || !/^[0-9a-f]{42}$/.test(p.address))
    throw invalidArgument('address is an address', 'address');
  const { chainId } = await client.getStatus();
  const accepted: number[] = [];
  const rejected: number[] = [];
  let balance = BigInt(wallet.balance);
  let blind = BigInt(wallet.blind);
  let cursor = wallet.inboxSeq;
  for (;;) {
    const { result } = await queryTyped(client, InboxQuery, { address: p.address, from: cursor });
    if (result.entries.length === 0) break;
    for (const e of result.entries) {
      cursor = e.seq + 1;
      if (e.accepted) continue;
      if (e.memo === '') {
        balance += BigInt(e.minted);
        accepted.push(e.seq);
        continue;
      }
      try {
        const amount = hexToBytes(e.amount);
        const opened = openMemo(
          hexToBytes(wallet.viewSecret),
          hexToBytes(e.memo),
          memoContext(chainId, e.from, p.address, amount),
        );
        if (bytesToHex(encodeJub(commit(opened.amount, opened.blind))) !== e.amount)
          throw new Error('mismatch');
        balance += opened.amount;
        blind = (blind + opened.blind) % SUBGROUP_ORDER;
        accepted.push(e.seq);
      } catch {
        rejected.push(e.seq);
      }
    }
  }
  for (let i = 0; i < accepted.length; i += 64) {
    const seqs = accepted.slice(i, i + 64);
    const sent = await client.sendTransaction({
      ...p,
      wait: true,
      gasLimit: p.gasLimit ?? 1_000_000n + 200_000n * BigInt(seqs.length),
      module: CONFIDENTIAL_MODULE,
      type: 'accept',
      payload: encodePayload(Accept, { seqs }),
    });
    if (sent.result.receipt?.code !== 'OK')
      throw sdkError('SDK_TRANSACTION_FAILED', `accept: ${sent.result.receipt?.code ?? sent.result.status}`, {
        code: sent.result.receipt?.code ?? null,
      });
  }
  wallet = { ...wallet, balance: balance.toString(), blind: blind.toString(), inboxSeq: cursor };
  const { commitment } = (await queryTyped(client, BalanceQuery, { address: p.address })).result;
  if (bytesToHex(encodeJub(commit(balance, blind))) !== commitment)
    throw sdkError('SDK_VERIFICATION_FAILED', "the wallet's opening is not the chain's balance commitment", {
      check: 'opening',
    });
  return { wallet, accepted, rejected };
}

/**
 * snarkjs keeps its BN254 engine and worker threads in a global (ffjavascript's
 * `curve_bn128`) after proving; they would hold the process open. Released after each proof
 * (the next one builds them again, a few hundred milliseconds).
 */
export async function releaseProver(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
}

const DEFAULT_KEYS = {
  wasm: fileURLToPath(new URL('../../../keys/transfer.wasm', import.meta.url)),
  zkey: fileURLToPath(new URL('../../../keys/transfer.zkey', import.meta.url)),
};

/**
 * Proves and sends a transfer of `amount` to `to`: a fresh blind, the amount commitment, a
 * Groth16 proof (snarkjs, about a second per proof), memos to the receiver's and the
 * auditor's view keys. Answers the wallet after it (balance and blind less the amount).
 */
export async function sendConfidential(
  client: ChainClient,
  p: SendParameters & {
    address: string;
    wallet: ConfidentialWallet;
    to: string;
    amount: bigint;
    keys?: { wasm: string; zkey: string };
  },
): Promise<{ readonly result: SendTransactionReturnType; readonly wallet: ConfidentialWallet }> {
  const wallet = parseConfidentialWallet(objectArgument(p, 'parameters').wallet);
  if (typeof p.address !== 'string' || !/^[0-9a-f]{42}$/.test(p.address))
    throw invalidArgument('address is an address', 'address');
  if (typeof p.to !== 'string' || !/^[0-9a-f]{42}$/.test(p.to))
    throw invalidArgument('to is an address', 'to');
  if (typeof p.amount !== 'bigint' || p.amount < 0n || p.amount >= 2n ** 64n)
    throw invalidArgument('amount is 0 to 2^64 - 1', 'amount');
  const balance = BigInt(wallet.balance);
  const blind = BigInt(wallet.blind);
  if (p.amount > balance) throw invalidArgument(`the balance is ${balance}`, 'amount');
  const { chainId } = await client.getStatus();
  const [receiver, audit] = await Promise.all([
    queryTyped(client, BalanceQuery, { address: p.to }),
    queryTyped(client, ParamsQuery, {}),
  ]);
  if (!receiver.result.viewKey) throw invalidArgument('the receiver has not registered a view key', 'to');
  if (!audit.result.auditor) throw invalidArgument('governance has not set the auditor view key', 'to');
  const amountBlind = BigInt(`0x${bytesToHex(generateEphemeralKeyPair().secretKey)}`) % SUBGROUP_ORDER;
  const amountPoint = commit(p.amount, amountBlind);
  const balancePoint = commit(balance, blind);
  const [balanceX, balanceY] = coordinates(balancePoint);
  const [amountX, amountY] = coordinates(amountPoint);
  const snarkjs = (await import('snarkjs')) as unknown as {
    groth16: {
      fullProve(
        input: unknown,
        wasm: string,
        zkey: string,
      ): Promise<{ proof: Parameters<typeof encodeSnarkjsProof>[0] }>;
    };
  };
  const keys = p.keys ?? DEFAULT_KEYS;
  const input: Record<string, bigint> = {
    balanceX,
    balanceY,
    amountX,
    amountY,
    balance,
    balanceBlind: blind,
    amount: p.amount,
    amountBlind,
  };
  let proof: Parameters<typeof encodeSnarkjsProof>[0];
  try {
    ({ proof } = await snarkjs.groth16.fullProve(input, keys.wasm, keys.zkey));
  } finally {
    await releaseProver();
  }
  const amount = encodeJub(amountPoint);
  const context = memoContext(chainId, p.address, p.to, amount);
  const payload = encodePayload(Transfer, {
    to: hexToBytes(p.to),
    amount,
    proof: encodeSnarkjsProof(proof),
    memoTo: sealMemo(hexToBytes(receiver.result.viewKey), p.amount, amountBlind, context),
    memoAuditor: sealMemo(hexToBytes(audit.result.auditor), p.amount, amountBlind, context),
  });
  const { keys: _keys, wallet: _wallet, address: _address, to: _to, amount: _amount, ...send } = p;
  const result = await client.sendTransaction({
    ...send,
    // The opening changes only with a committed transfer: always wait for it.
    wait: true,
    gasLimit: send.gasLimit ?? 20_000_000n,
    module: CONFIDENTIAL_MODULE,
    type: 'transfer',
    payload,
  });
  const after = {
    ...wallet,
    balance: (balance - p.amount).toString(),
    blind: ((((blind - amountBlind) % SUBGROUP_ORDER) + SUBGROUP_ORDER) % SUBGROUP_ORDER).toString(),
  };
  return { result, wallet: result.result.receipt?.code === 'OK' ? after : wallet };
}

/** What the auditor's view key reads of an account's inbox: each transfer's amount, and whether its memo matches. */
export async function auditInbox(
  client: ChainClient,
  p: { address: string; auditorSecret: string; from?: number },
): Promise<{ seq: number; from: string; amount: bigint | null; matches: boolean }[]> {
  objectArgument(p, 'parameters');
  if (typeof p.address !== 'string' || !/^[0-9a-f]{42}$/.test(p.address))
    throw invalidArgument('address is an address', 'address');
  if (typeof p.auditorSecret !== 'string' || !/^[0-9a-f]{64}$/.test(p.auditorSecret))
    throw invalidArgument(
      "auditorSecret is the auditor wallet's view secret (64 hex digits)",
      'auditorSecret',
    );
  if (p.from !== undefined && (!Number.isSafeInteger(p.from) || p.from < 0))
    throw invalidArgument('from is an index', 'from');
  const { chainId } = await client.getStatus();
  const { result } = await queryTyped(client, InboxQuery, { address: p.address, from: p.from ?? 0 });
  return result.entries.map((e) => {
    if (e.memo === '') return { seq: e.seq, from: e.from, amount: BigInt(e.minted), matches: true };
    try {
      const amount = hexToBytes(e.amount);
      const opened = openMemo(
        hexToBytes(p.auditorSecret),
        hexToBytes(e.memoAuditor),
        memoContext(chainId, e.from, p.address, amount),
      );
      const matches = bytesToHex(encodeJub(commit(opened.amount, opened.blind))) === e.amount;
      return { seq: e.seq, from: e.from, amount: opened.amount, matches };
    } catch {
      // A memo the auditor's key does not open: reported, never a reason to stop reading.
      return { seq: e.seq, from: e.from, amount: null, matches: false };
    }
  });
}
