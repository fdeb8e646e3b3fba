import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type CommandIo,
  EXIT,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { readKeyFile } from '@pujiang/node';
import { LightClient, type PujiangClient, parseGenesis } from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';
import { nodeClient } from '../context.js';
import { provenAfterOption } from './query.js';

export const CLIENT_USAGE = `Client commands (--node URL or --api URL, default $PUJIANG_NODE or http://127.0.0.1:26657):
pujiang status                                  the node's chain, height and latest block
pujiang send --key FILE --to ADDRESS --amount N [--no-wait] [--timeout-ms MS]
                                                a token transfer; waits for the commit (exit 0 OK; 1 refused by the
                                                node, e.g. MEMBER_UNKNOWN, or failed in its block; 3 pending)
pujiang balance ADDRESS [--verify --genesis FILE [--after TXHASH]]
                                                with --verify: proven against a header certified by the genesis
                                                validators (--after: one that proves the state after that transaction)
pujiang block HEIGHT|latest                     header, transactions and commit certificate
pujiang tx HASH [--verify --genesis FILE]       status, result, events (exit 3 while pending)`;

const OPTIONS = {
  ...SEND_OPTIONS,
  to: { type: 'string' },
  amount: { type: 'string' },
  verify: { type: 'boolean' },
  genesis: { type: 'string' },
  after: { type: 'string' },
} as const;

const print = printJson;

function lightClient(client: PujiangClient, genesisFile: string): LightClient {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(genesisFile, 'utf8'));
  } catch (error) {
    throw usageError(`cannot read the genesis file ${genesisFile}: ${(error as Error).message}`, {
      option: 'genesis',
    });
  }
  return new LightClient({ client, genesis: parseGenesis(json) });
}

/** `status`, `send`, `balance`, `block`, `tx`: thin wrappers over the SDK. */
export async function runClient(command: string, args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const client = nodeClient(values);
  const verifier = () => (values.verify ? lightClient(client, required(values, 'genesis')) : undefined);
  if (values.genesis !== undefined && !values.verify) throw usageError('--genesis goes with --verify');
  if (values.after !== undefined && command !== 'balance')
    throw usageError('--after goes with balance --verify', { option: 'after' });
  switch (command) {
    case 'status':
      print(io, await client.getStatus());
      return EXIT.ok;
    case 'send': {
      const key = readKeyFile(required(values, 'key'));
      const amount = required(values, 'amount');
      if (!/^[1-9][0-9]{0,19}$/.test(amount) || BigInt(amount) >= 1n << 64n)
        throw usageError('--amount must be a positive integer below 2^64', { option: 'amount' });
      const to = required(values, 'to');
      const choice = waitChoice(values);
      return sendAndReport(io, choice, () =>
        client.sendTransfer({ key, to, amount: BigInt(amount), ...choice }),
      );
    }
    case 'balance': {
      const address = one(positionals, 'ADDRESS');
      const light = verifier();
      if (!light) provenAfterOption(values.after, false);
      if (light) {
        const proven = await light.getVerifiedBalance(address, provenAfterOption(values.after, true));
        print(io, { ...proven, verified: true });
      } else {
        print(io, await client.query('bank', 'balance', { address }));
      }
      return EXIT.ok;
    }
    case 'block': {
      const at = one(positionals, 'HEIGHT');
      if (at === 'latest') print(io, await client.getLatestBlock());
      else if (/^[1-9][0-9]{0,15}$/.test(at)) print(io, await client.getBlock(Number(at)));
      else throw usageError('HEIGHT must be a positive integer or latest');
      return EXIT.ok;
    }
    case 'tx': {
      const hash = one(positionals, 'HASH');
      const light = verifier();
      const tx = await client.getTx(hash);
      if (tx.status === 'pending') {
        print(io, tx);
        return EXIT.pending;
      }
      if (light) {
        const proven = await light.getVerifiedTransaction(hash);
        print(io, {
          hash,
          height: proven.height,
          index: proven.index,
          receipt: proven.receipt,
          verified: true,
        });
      } else {
        print(io, tx);
      }
      return EXIT.ok;
    }
    default:
      throw new PujiangError('CLI_UNKNOWN_COMMAND', `unknown command "${command}"`);
  }
}

function one(positionals: readonly string[], name: string): string {
  if (positionals.length !== 1) throw usageError(`expected one ${name}`, { got: positionals.length });
  return positionals[0]!;
}
