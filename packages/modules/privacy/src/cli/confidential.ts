import { existsSync } from 'node:fs';
import {
  type CommandContext,
  EXIT,
  printJson,
  required,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { encode } from '@pujiang/codec';
import { deriveAddress, type KeyPair } from '@pujiang/crypto';
import { AuditorKey, Minters } from '@pujiang/module-confidential';
import {
  auditInbox,
  mintConfidential,
  newConfidentialWallet,
  parseConfidentialWallet,
  registerConfidentialViewKey,
  sendConfidential,
  syncWallet,
} from '@pujiang/module-confidential/client';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { readJsonFile, writeSecretFile } from './files.js';

/** `privacy confidential ...`: the confidential token (the confidential module) from the command line. */
type Values = Record<string, unknown>;

const amountOf = (values: Values): bigint => {
  const text = required(values, 'amount');
  if (!/^[1-9][0-9]{0,19}$/.test(text) || BigInt(text) >= 2n ** 64n)
    throw usageError('--amount is 1 to 2^64 - 1', { option: 'amount' });
  return BigInt(text);
};
const addressOption = (values: Values, name: string): string => {
  const text = required(values, name);
  if (!/^[0-9a-f]{42}$/.test(text))
    throw usageError(`--${name} is an address (42 hex digits)`, { option: name });
  return text;
};

export async function runConfidential(
  sub: string | undefined,
  values: Values,
  positionals: string[],
  ctx: CommandContext,
): Promise<number> {
  const { io } = ctx;
  const choice = waitChoice(values);
  if (sub === 'param') {
    const minters = (values.minter as string[] | undefined) ?? [];
    if (minters.length > 0 === (values['auditor-key'] !== undefined))
      throw usageError('give --minter ADDR... or --auditor-key HEX', { option: 'minter' });
    if (minters.length > 0) {
      if (!minters.every((m) => /^[0-9a-f]{42}$/.test(m)))
        throw usageError('--minter is an address', { option: 'minter' });
      printJson(io, {
        module: 'confidential',
        name: 'minters',
        value: bytesToHex(encode(Minters, minters.map(hexToBytes))),
      });
    } else {
      const key = values['auditor-key'] as string;
      if (!/^[0-9a-f]{64}$/.test(key))
        throw usageError('--auditor-key is an X25519 key (64 hex digits)', { option: 'auditor-key' });
      printJson(io, {
        module: 'confidential',
        name: 'auditor',
        value: bytesToHex(encode(AuditorKey, hexToBytes(key))),
      });
    }
    return EXIT.ok;
  }
  if (sub === 'wallet') {
    const out = required(values, 'out');
    if (existsSync(out)) throw usageError(`${out} exists: a wallet is never overwritten`, { option: 'out' });
    const wallet = newConfidentialWallet();
    writeSecretFile(out, wallet);
    printJson(io, { wallet: out, viewKey: wallet.viewKey });
    return EXIT.ok;
  }
  const client = ctx.client(values);
  if (sub === 'audit') {
    const address = positionals[0];
    if (!address || !/^[0-9a-f]{42}$/.test(address)) throw usageError('name one ADDRESS');
    const auditor = parseConfidentialWallet(readJsonFile(required(values, 'auditor'), 'auditor'));
    const seen = await auditInbox(client, { address, auditorSecret: auditor.viewSecret });
    printJson(io, { address, received: seen.map((s) => ({ ...s, amount: s.amount?.toString() ?? null })) });
    return seen.every((s) => s.matches) ? EXIT.ok : EXIT.invalid;
  }
  const key = ctx.readKey(required(values, 'key'));
  const address = async (k: KeyPair) =>
    bytesToHex(deriveAddress((await client.getStatus()).chainHash, k.publicKey));
  switch (sub) {
    case 'register': {
      const wallet = parseConfidentialWallet(readJsonFile(required(values, 'wallet'), 'wallet'));
      return sendAndReport(io, choice, () => registerConfidentialViewKey(client, { key, wallet, ...choice }));
    }
    case 'mint':
      return sendAndReport(io, choice, () =>
        mintConfidential(client, {
          key,
          to: addressOption(values, 'to'),
          amount: amountOf(values),
          ...choice,
        }),
      );
    case 'sync':
    case 'balance': {
      const path = required(values, 'wallet');
      const synced = await syncWallet(client, {
        key,
        address: await address(key),
        wallet: parseConfidentialWallet(readJsonFile(path, 'wallet')),
      });
      writeSecretFile(path, synced.wallet);
      printJson(io, {
        balance: synced.wallet.balance,
        accepted: synced.accepted,
        rejectedMemos: synced.rejected,
      });
      return synced.rejected.length === 0 ? EXIT.ok : EXIT.invalid;
    }
    case 'send': {
      const path = required(values, 'wallet');
      const from = await address(key);
      const synced = await syncWallet(client, {
        key,
        address: from,
        wallet: parseConfidentialWallet(readJsonFile(path, 'wallet')),
      });
      let after = synced.wallet;
      const exit = await sendAndReport(io, choice, async () => {
        const sent = await sendConfidential(client, {
          key,
          address: from,
          wallet: synced.wallet,
          to: addressOption(values, 'to'),
          amount: amountOf(values),
          ...choice,
        });
        after = sent.wallet;
        return sent.result;
      });
      // sendConfidential waits for the commit and answers the old wallet unless it is OK.
      writeSecretFile(path, after);
      return exit;
    }
    default:
      throw usageError(`unknown privacy confidential command "${sub ?? ''}"`);
  }
}
