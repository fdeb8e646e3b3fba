import type { EVMError, Log } from '@ethereumjs/evm';
import { createLegacyTx, createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { Address, bytesToHex as ethHex } from '@ethereumjs/util';
import { runTx } from '@ethereumjs/vm';
import { decode } from '@pujiang/codec';
import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { decodeEthereumTx, ethereumChainId } from '@pujiang/protocol';
import { bytesToHex, equalBytes, hexToBytes, isPujiangError } from '@pujiang/types';
import { EvmCall, NATIVE_CALL_TAG } from '../formats.js';
import { senderEvmAddress } from './addresses.js';
import { toBigInt } from './keys.js';
import { LOG_CHUNK, MAX_LOG_DATA } from './log-event.js';
import { blockContext, EVM_BLOCK_GAS_LIMIT, type EvmInstance, withEvm } from './vm.js';

interface Prepared {
  readonly tx: TypedTransaction;
  /** The Ethereum hash for an Ethereum-signed transaction, empty for a native call. */
  readonly ethHash: string;
}

/**
 * Runs a `deploy` or `call` message: an Ethereum-signed transaction (its raw bytes), or a
 * native account's call (0x00 || EvmCall). The caller is the sender's EVM address
 * (`evmAddressOf`); its EVM nonce is set to the transaction's chain nonce first, so contract
 * addresses follow the nonces Ethereum tools count. On success the journal is written to the
 * module's state and every log becomes a `log` event; an EVM failure (revert, out of gas,
 * invalid opcode, stack overflow) fails this transaction only, with the revert data in its
 * receipt's message. The chain's meter is charged the EVM's gas (after refunds), so the
 * receipt's gas is the gas an Ethereum node reports.
 */
export async function executeEvmMessage(
  ctx: MessageContext,
  payload: Uint8Array,
  kind: 'deploy' | 'call',
): Promise<void> {
  const chainId = ethereumChainId(ctx.chainId);
  const caller = new Address(hexToBytes(senderEvmAddress(ctx.senderKey, ctx.sender)));
  const store = ctx.unmetered;
  if (store === undefined) throw moduleError('EVM_NOT_SELF_METERED', 'the kernel gave no unmetered state');
  const before = ctx.gasLeft();
  const result = await withEvm(chainId, store, async (evm) => {
    let prepared: Prepared;
    try {
      prepared = prepare(evm, ctx, payload, caller);
      if (prepared.tx.to === undefined ? kind !== 'deploy' : kind !== 'call')
        throw moduleError(
          'EVM_BAD_PAYLOAD',
          `a ${kind} message must ${kind === 'deploy' ? 'not ' : ''}name a recipient`,
        );
    } catch (error) {
      chargeUpTo(ctx, before, Math.min(INTRINSIC_GAS, before));
      // Whatever the interpreter's constructors refuse is a refusal of this transaction, never a block's failure.
      if (isPujiangError(error)) throw error;
      throw moduleError(
        'EVM_BAD_PAYLOAD',
        `the EVM cannot build the transaction: ${(error as Error).message}`,
      );
    }
    const { tx, ethHash } = prepared;
    await evm.state.modifyAccountFields(caller, { nonce: ctx.nonce });
    let run: Awaited<ReturnType<typeof runTx>>;
    try {
      run = await runTx(evm.vm, {
        tx,
        block: blockContext(evm.common, ctx.height, ctx.time),
        skipBlockGasLimitValidation: true,
      });
    } catch (error) {
      // Refused before running (intrinsic gas above the limit, funds for its value): it
      // still costs the intrinsic gas of a transaction, so refusals are not free.
      chargeUpTo(ctx, before, Math.min(INTRINSIC_GAS, before));
      throw moduleError('EVM_TX_INVALID', `the EVM refused the transaction: ${(error as Error).message}`);
    }
    if (run.execResult.exceptionError !== undefined) chargeUpTo(ctx, before, Number(run.totalGasSpent));
    if (run.execResult.exceptionError === undefined) evm.state.flush();
    return { run, ethHash, to: tx.to };
  });
  const { run, ethHash, to } = result;
  const gasUsed = Number(run.totalGasSpent);
  const failure = run.execResult.exceptionError;
  if (failure !== undefined) {
    chargeUpTo(ctx, before, gasUsed);
    throw evmFailure(failure, run.execResult.returnValue);
  }
  // The EVM priced every log; the kernel does not charge a self-metered module's events.
  chargeUpTo(ctx, before, gasUsed);
  for (const log of run.execResult.logs ?? []) emitLog(ctx, log);
  ctx.emit('executed', {
    hash: ethHash,
    from: bytesToHex(caller.bytes),
    to: to === undefined ? '' : bytesToHex(to.bytes),
    created: run.createdAddress === undefined ? '' : bytesToHex(run.createdAddress.bytes),
    gasUsed: String(gasUsed),
  });
}

/** What any Ethereum transaction costs at least. */
const INTRINSIC_GAS = 21_000;

/** Charges what the EVM used beyond what the kernel already metered for this transaction. */
function chargeUpTo(ctx: MessageContext, before: number, gasUsed: number): void {
  const metered = before - ctx.gasLeft();
  if (gasUsed > metered) ctx.consume(gasUsed - metered, 'evm');
}

function prepare(evm: EvmInstance, ctx: MessageContext, payload: Uint8Array, caller: Address): Prepared {
  if (payload[0] === NATIVE_CALL_TAG) {
    let call: EvmCall;
    try {
      call = decode(EvmCall, payload.subarray(1));
    } catch (cause) {
      throw moduleError('EVM_BAD_PAYLOAD', 'a native call does not decode', { cause: String(cause) });
    }
    if (call.to.length !== 0 && call.to.length !== 20)
      throw moduleError('EVM_BAD_PAYLOAD', 'to is neither empty nor 20 bytes');
    if (call.value.length > 0 && call.value[0] === 0)
      throw moduleError('EVM_BAD_PAYLOAD', 'value has a leading zero');
    const tx = createLegacyTx(
      {
        nonce: ctx.nonce,
        gasPrice: 0n,
        // A transaction's EVM gas is at most GASLIMIT's, whatever the chain's limit allows.
        gasLimit: BigInt(Math.min(ctx.gasLeft(), Number(EVM_BLOCK_GAS_LIMIT))),
        ...(call.to.length === 0 ? {} : { to: new Address(call.to) }),
        value: toBigInt(call.value),
        data: call.data,
      },
      { common: evm.txCommon, params: {} },
    );
    return { tx: asSentBy(tx, caller), ethHash: '' };
  }
  // An Ethereum-signed transaction: the kernel checked its chain id, nonce and signature
  // (version 2). One wrapped in a native transaction must be that transaction's own signer's,
  // for the same chain and nonce, within the gas the chain gave it.
  let eth: ReturnType<typeof decodeEthereumTx>;
  try {
    eth = decodeEthereumTx(payload);
  } catch (error) {
    throw moduleError('EVM_BAD_PAYLOAD', (error as Error).message);
  }
  if (eth.chainId !== ethereumChainId(ctx.chainId) || eth.nonce !== ctx.nonce)
    throw moduleError('EVM_BAD_PAYLOAD', 'the Ethereum transaction names another chain id or nonce');
  if (ctx.senderKey.suite !== 'secp256k1' || !equalBytes(ctx.senderKey.bytes, eth.publicKey))
    throw moduleError('EVM_BAD_PAYLOAD', "an Ethereum transaction is sent by its signer's key");
  if (eth.gasLimit > EVM_BLOCK_GAS_LIMIT || eth.gasLimit > BigInt(ctx.gasLeft()))
    throw moduleError(
      'EVM_TX_INVALID',
      `the gas limit exceeds ${EVM_BLOCK_GAS_LIMIT} or what the transaction has`,
    );
  const tx = createTxFromRLP(payload, { common: evm.txCommon, params: {} });
  return { tx: asSentBy(tx, caller), ethHash: bytesToHex(eth.hash) };
}

/**
 * The interpreter asks a transaction for its sender; the kernel already knows it (recovered
 * once when the transaction was decoded, or the native signer), so it is not recovered again.
 */
export function asSentBy<T extends TypedTransaction>(tx: T, caller: Address): T {
  // Transactions are frozen: a proxy answers the sender and forwards the rest.
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'getSenderAddress') return () => caller;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function emitLog(ctx: MessageContext, [address, topics, data]: Log): void {
  if (data.length > MAX_LOG_DATA)
    throw moduleError('EVM_LOG_TOO_LARGE', `a log carries at most ${MAX_LOG_DATA} bytes of data`, {
      size: data.length,
    });
  const attributes: Record<string, string> = {
    address: bytesToHex(address),
    topics: topics.map((t) => bytesToHex(t)).join(','),
    data: '',
  };
  const hexData = bytesToHex(data);
  for (let i = 0; i * LOG_CHUNK < hexData.length; i++)
    attributes[i === 0 ? 'data' : `data${i}`] = hexData.slice(i * LOG_CHUNK, (i + 1) * LOG_CHUNK);
  ctx.emit('log', attributes);
}

/** The receipt codes of EVM failures, by the interpreter's error. */
const FAILURE_CODES: Record<string, string> = {
  revert: 'EVM_REVERTED',
  'out of gas': 'EVM_OUT_OF_GAS',
  'code store out of gas': 'EVM_OUT_OF_GAS',
  'invalid opcode': 'EVM_INVALID_OPCODE',
  'stack overflow': 'EVM_STACK_OVERFLOW',
  'stack underflow': 'EVM_STACK_UNDERFLOW',
  'invalid JUMP': 'EVM_INVALID_JUMP',
  'static state change': 'EVM_STATIC_STATE_CHANGE',
  'create collision': 'EVM_CREATE_COLLISION',
  'code size to deposit exceeds maximum code size': 'EVM_CODE_TOO_LARGE',
  'initcode exceeds max initcode size': 'EVM_CODE_TOO_LARGE',
  'insufficient balance': 'EVM_INSUFFICIENT_BALANCE',
};

/** Revert data in a receipt's message: `0x…`, cut to fit the message (1,024 characters). */
export const REVERT_DATA_PREFIX = 'execution reverted: ';

function evmFailure(error: EVMError, returnValue: Uint8Array) {
  const code = FAILURE_CODES[error.error] ?? 'EVM_EXCEPTION';
  const data = ethHex(returnValue);
  const message =
    code === 'EVM_REVERTED' ? `${REVERT_DATA_PREFIX}${data.slice(0, 1000)}` : `EVM exception: ${error.error}`;
  return moduleError(code, message, { data });
}
