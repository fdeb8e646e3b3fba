import { decodeU64, encodeU64, nonceKeyText, type Receipt } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import type { ExecutionScope } from './context.js';
import type { StateOverlay } from './state-overlay.js';

/** An account's next nonce in a state. */
export function readNonce(state: StateOverlay, address: string): bigint {
  return decodeU64(state.get(nonceKeyText(address)));
}

export function writeNonce(state: StateOverlay, address: string, nonce: bigint): void {
  state.set(nonceKeyText(address), encodeU64(nonce));
}

/** A receipt holds a code of at most 64 bytes: a module with a longer one is reported generically. */
export const receiptCode = (code: string): string =>
  /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'EXEC_MODULE_ERROR';

/**
 * A transaction that passed the kernel's checks (signature, chain, suite, expiry, nonce,
 * authorization) and whose handler runs now: its scope, and how it ends. Either way its
 * sender's nonce advances, so the transaction cannot be replayed.
 */
export class PreparedTx {
  constructor(
    private readonly block: StateOverlay,
    readonly scope: ExecutionScope,
    private readonly sender: string,
    private readonly nonce: bigint,
  ) {}

  /** The handler returned (or its promise resolved): its writes join the block's. */
  succeed(): Receipt {
    this.scope.state.mergeIntoParent();
    return this.receipt('OK');
  }

  /** The handler threw (or its promise rejected): a typed error fails the transaction, anything else is a bug. */
  fail(error: unknown): Receipt {
    if (!isPujiangError(error)) throw error; // a bug, not bad input
    return this.receipt(receiptCode(error.code), error.message);
  }

  private receipt(code: string, message?: string): Receipt {
    writeNonce(this.block, this.sender, this.nonce + 1n);
    this.scope.closed = true;
    const { gas, events, tx } = this.scope;
    return {
      txHash: tx!.txHash,
      code,
      ...(message === undefined ? {} : { message }),
      gasUsed: Math.min(gas.used, gas.limit),
      events: code === 'OK' ? events : [],
    };
  }
}
