import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  intOption,
  printJson,
  readJsonOption,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import type { SendTransactionReturnType } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import type { FunctionFragment, Interface } from 'ethers';
import { type ContractArtifact, parseContractArtifact } from '../artifact.js';
import { evmAddressOf } from '../client/address.js';
import { callContract } from '../client/call.js';
import { deployContract } from '../client/deploy.js';
import { readContract } from '../client/read.js';
import type { EvmTransactionReturnType } from '../client/send.js';
import { evmAddressArgument } from '../verify/arguments.js';
import {
  abiStep,
  argsOption,
  checksummed,
  decodeLogs,
  decodeRevert,
  functionOf,
  interfaceOf,
  named,
} from './abi.js';
import { EVM_USAGE } from './usage.js';

/** How a receipt's message starts for a revert (the chain module's), the revert data following. */
const REVERT_MESSAGE = 'execution reverted: ';

const OPTIONS = {
  ...SEND_OPTIONS,
  contract: { type: 'string' },
  args: { type: 'string' },
  function: { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
  value: { type: 'string' },
  gas: { type: 'string' },
  height: { type: 'string' },
} as const;

type Values = Record<string, unknown> & { node?: string; api?: string; 'sign-as'?: string };

function artifactOf(
  positionals: readonly string[],
  values: Values,
  needed: boolean,
): ContractArtifact | undefined {
  if (positionals.length > 1) throw usageError('name one ARTIFACT');
  const path = positionals[0];
  if (path === undefined) {
    if (needed) throw usageError('name the ARTIFACT to deploy (a compiled contract, JSON)');
    if (values.contract !== undefined)
      throw usageError('--contract picks a contract out of an ARTIFACT: name one', { option: 'contract' });
    return undefined;
  }
  return parseContractArtifact(readJsonOption(path, 'ARTIFACT'), values.contract as string | undefined);
}

function gasOption(values: Values): bigint | undefined {
  const gas = values.gas;
  if (gas === undefined) return undefined;
  if (typeof gas !== 'string' || !/^[1-9][0-9]{0,19}$/.test(gas))
    throw usageError('--gas is a whole number of gas', { option: 'gas' });
  return BigInt(gas);
}

function valueOption(values: Values): string | undefined {
  const value = values.value;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(value))
    throw usageError('--value is an amount of wei (a whole number)', { option: 'value' });
  return value;
}

function toOption(values: Values): string {
  try {
    return evmAddressArgument(required(values, 'to'), 'to');
  } catch (error) {
    if (isPujiangError(error) && error.code === 'SDK_INVALID_ARGUMENT')
      throw usageError(`--to: ${error.message}`, { option: 'to' });
    throw error;
  }
}

/** The function and its encoded call data. */
function encodedCall(
  artifact: ContractArtifact | undefined,
  values: Values,
): { abi: Interface; fragment: FunctionFragment; data: string } {
  const abi = interfaceOf(artifact);
  const fragment = functionOf(abi, artifact !== undefined, required(values, 'function'));
  const args = argsOption(values.args);
  const data = abiStep('args', `--args for ${fragment.format('sighash')}`, () =>
    abi.encodeFunctionData(fragment, args),
  );
  return { abi, fragment, data };
}

/** The revert data of a failed receipt (`execution reverted: 0x…`), if it is a revert. */
function revertDataOf(message: string | undefined): string | undefined {
  if (message === undefined || !message.startsWith(REVERT_MESSAGE)) return undefined;
  const data = message.slice(REVERT_MESSAGE.length);
  return /^0x([0-9a-f]{2})*$/.test(data) ? data : undefined;
}

/**
 * Sends and reports as every command does (cli-kit's `sendAndReport`), with what the evm
 * adds: a call that would revert is caught by the gas estimate before anything is signed
 * (printed as `{status: "reverted", ...}`, exit 1), and a revert in the block is decoded
 * with the ABI on stderr.
 */
async function sendEvm(
  ctx: CommandContext,
  values: Values,
  abi: Interface,
  send: () => Promise<EvmTransactionReturnType & { contractAddress?: string }>,
): Promise<number> {
  const { io } = ctx;
  let outcome: (EvmTransactionReturnType & { contractAddress?: string }) | undefined;
  let exit: number;
  try {
    exit = await sendAndReport(
      io,
      waitChoice(values),
      async (): Promise<SendTransactionReturnType> => {
        outcome = await send();
        return outcome.sent;
      },
      () => ({
        fields: {
          ...(outcome?.contractAddress === undefined
            ? {}
            : { contractAddress: checksummed(outcome.contractAddress) }),
          from: outcome === undefined ? undefined : checksummed(outcome.from),
          gasUsed: outcome?.gasUsed,
          events: decodeLogs(abi, outcome?.logs ?? []),
        },
      }),
    );
  } catch (error) {
    if (!isPujiangError(error) || (error.code !== 'EVM_REVERTED' && error.code !== 'EVM_RPC_ERROR'))
      throw error;
    // The gas estimate ran the call and it failed: nothing was signed or sent.
    const data = typeof error.details.data === 'string' ? error.details.data : undefined;
    const decoded = data === undefined ? undefined : decodeRevert(abi, data);
    printJson(io, {
      status: error.code === 'EVM_REVERTED' ? 'reverted' : 'failed',
      code: error.code,
      message: error.message,
      ...(data === undefined ? {} : { data }),
      ...decoded,
      sent: false,
    });
    io.err(
      `${error.code === 'EVM_REVERTED' ? 'reverts' : 'fails'} (not sent): ${describe(error.message, decoded)}`,
    );
    return EXIT.invalid;
  }
  const receipt = outcome?.receipt;
  const data = revertDataOf(receipt?.code === 'EVM_REVERTED' ? receipt.message : undefined);
  const decoded = data === undefined ? undefined : decodeRevert(abi, data);
  if (decoded !== undefined) io.err(`reverted: ${describe('', decoded)}`);
  return exit;
}

const describe = (message: string, decoded: Record<string, unknown> | undefined): string =>
  decoded === undefined ? message : `${decoded.error} ${JSON.stringify(decoded.args)}`;

async function deploy(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const artifact = artifactOf(positionals, values, true)!;
  if (artifact.bytecode === '0x')
    throw usageError(
      `${artifact.name} has no bytecode: an interface or abstract contract cannot be deployed`,
    );
  const abi = interfaceOf(artifact);
  const args = argsOption(values.args);
  const constructorData = abiStep('args', `--args for ${artifact.name}'s constructor`, () =>
    abi.encodeDeploy(args),
  );
  const { client, sending } = sender(values, ctx);
  return sendEvm(ctx, values, abi, () =>
    deployContract(client, { ...sending, bytecode: artifact.bytecode, constructorData }),
  );
}

async function send(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const artifact = artifactOf(positionals, values, false);
  const to = toOption(values);
  const { abi, data } = encodedCall(artifact, values);
  const { client, sending } = sender(values, ctx);
  return sendEvm(ctx, values, abi, () => callContract(client, { ...sending, to, data }));
}

/** What `deploy` and `send` both take: the key, value, gas and whether to wait. */
function sender(values: Values, ctx: CommandContext) {
  const gasLimit = gasOption(values);
  const value = valueOption(values);
  return {
    client: ctx.client(values),
    sending: {
      key: ctx.readKey(required(values, 'key')),
      ...(value === undefined ? {} : { value }),
      ...(gasLimit === undefined ? {} : { gasLimit }),
      ...waitChoice(values),
    },
  };
}

async function call(positionals: string[], values: Values, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const artifact = artifactOf(positionals, values, false);
  const to = toOption(values);
  const { abi, fragment, data } = encodedCall(artifact, values);
  if (values.from !== undefined && values.key !== undefined)
    throw usageError('give --from or --key, not both', { option: 'from' });
  const height = intOption(values, 'height', 0, Number.MAX_SAFE_INTEGER);
  const value = valueOption(values);
  const client = ctx.client(values);
  let from: string | undefined;
  if (values.from !== undefined) {
    try {
      from = evmAddressArgument(values.from, 'from');
    } catch (error) {
      throw usageError(`--from: ${(error as Error).message}`, { option: 'from' });
    }
  } else if (values.key !== undefined) {
    const key = ctx.readKey(values.key as string);
    from = evmAddressOf(key, (await client.getStatus()).chainHash);
  }
  const shown = { to: checksummed(to), function: fragment.format('sighash') };
  let result: string;
  try {
    result = await readContract(client, {
      to,
      data,
      ...(from === undefined ? {} : { from }),
      ...(value === undefined ? {} : { value }),
      ...(height === undefined ? {} : { height }),
    });
  } catch (error) {
    if (!isPujiangError(error) || error.code !== 'EVM_REVERTED') throw error;
    const revert = typeof error.details.data === 'string' ? error.details.data : '0x';
    const decoded = decodeRevert(abi, revert);
    printJson(io, { status: 'reverted', ...shown, message: error.message, data: revert, ...decoded });
    io.err(`reverted: ${describe(error.message, decoded)}`);
    return EXIT.invalid;
  }
  const decoded =
    fragment.outputs.length === 0
      ? undefined
      : abiStep('function', `the result of ${shown.function}`, () =>
          named(fragment.outputs, abi.decodeFunctionResult(fragment, result)),
        );
  printJson(io, { ...shown, ...(decoded === undefined ? {} : { result: decoded }), data: result });
  return EXIT.ok;
}

/** `pujiang evm deploy | send | call`. */
export async function runEvm(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  switch (sub) {
    case 'deploy':
      return deploy(positionals, values, ctx);
    case 'send':
      return send(positionals, values, ctx);
    case 'call':
      return call(positionals, values, ctx);
    default:
      throw usageError(`unknown evm command "${sub ?? ''}"\n\n${EVM_USAGE}`);
  }
}
