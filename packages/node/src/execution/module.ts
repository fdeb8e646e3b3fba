import type { Codec } from '@pujiang/codec';
import type { HashAlgorithm, PublicKey } from '@pujiang/crypto';
import { type ChainEvent, type Genesis, moduleKeyText, RECEIPT_LIMITS } from '@pujiang/protocol';

import { PujiangError } from '@pujiang/types';
import { GAS, type GasMeter } from './gas.js';
import type { StateOverlay } from './state-overlay.js';

/** A key that signed a transaction (its sender or an endorser), with its address (hex). */
export interface TxSigner {
  readonly address: string;
  readonly key: PublicKey;
}

/** What a transaction is and who signed it, before any module runs it. */
export interface TxEnvelope {
  readonly module: string;
  readonly type: string;
  readonly sender: TxSigner;
  /** Verified endorsers, in the order the transaction carries them. */
  readonly endorsers: readonly TxSigner[];
  readonly height: bigint;
  /** The block's time (ms); at admission, the latest block's. */
  readonly time: bigint;
  readonly chainHash: HashAlgorithm;
}

/** Module-relative state reads (unmetered: authorization reads a few fixed keys). */
export type StateRead = (key: string) => Uint8Array | undefined;

/** What a message handler may touch: its own module's state (metered), the sender, events. */
export interface MessageContext {
  readonly height: bigint;
  readonly time: bigint;
  /** The transaction's hash (hex), so a module can say where a record came from. */
  readonly txHash: string;
  /** The sender's address (hex). */
  readonly sender: string;
  readonly senderKey: PublicKey;
  readonly endorsers: readonly TxSigner[];
  readonly chainHash: HashAlgorithm;
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array | undefined): void;
  emit(type: string, attributes: Record<string, string>): void;
  /**
   * Writes another module's declared parameter after that module checked it (throws its
   * typed error otherwise). Only a module marked `privileged` (governance) gets this.
   */
  setModuleParam?(module: string, name: string, value: Uint8Array): void;
}

export interface MessageHandler {
  readonly codec: Codec<unknown>;
  handle(ctx: MessageContext, message: unknown): void;
}

/** A message type: its payload codec and its handler, typed together. */
export function defineMessage<M>(
  codec: Codec<M>,
  handle: (ctx: MessageContext, message: M) => void,
): MessageHandler {
  return { codec: codec as Codec<unknown>, handle: (ctx, message) => handle(ctx, message as M) };
}

/** A module in the manner of Cosmos SDK modules: its messages, queries, events and genesis. */
export interface ChainModule {
  readonly name: string;
  readonly messages: Readonly<Record<string, MessageHandler>>;
  /**
   * The events the module emits, each with its attribute names. When present, emitting an
   * undeclared type or attribute fails the transaction, so subscribers can rely on the list
   * (`GET /v1/modules` publishes it).
   */
  readonly events?: Readonly<Record<string, readonly string[]>>;
  readonly queries?: Readonly<
    Record<string, (read: (key: string) => Uint8Array | undefined, params: unknown) => unknown>
  >;
  /** Throws a typed error (`GENESIS_INVALID`) if this module's genesis configuration is malformed. */
  validateGenesis?(config: unknown, genesis?: Genesis): void;
  genesis?(
    write: (key: string, value: Uint8Array | undefined) => void,
    config: unknown,
    genesis?: Genesis,
    read?: StateRead,
  ): void;
  /**
   * Called before any transaction runs (and at mempool admission): throws a typed error to
   * refuse it. This is where membership, roles, policies and accepted suites are enforced.
   */
  authorize?(read: StateRead, tx: TxEnvelope): void;
  /**
   * Parameters governance may set, each with a check that throws a typed error for a bad
   * value. Governance writes a set value at the module's `params/<name>` key.
   */
  readonly params?: Readonly<Record<string, (value: Uint8Array) => void>>;
  /** May set other modules' declared parameters (`MessageContext.setModuleParam`). */
  readonly privileged?: boolean;
  /**
   * Search index entries (module-relative keys) a committed event adds or removes. The node
   * keeps them beside the chain, written with the block; they are not state and not proven:
   * a client proves what a search found with a proven query.
   */
  searchIndex?(event: ChainEvent, at: { readonly height: bigint; readonly time: bigint }): SearchIndexUpdate;
  /** Searches over that index: `scan` lists keys in [start, end) in order, at most `limit`. */
  readonly searches?: Readonly<
    Record<string, (scan: SearchScan, read: StateRead, params: unknown) => unknown>
  >;
}

export interface SearchIndexUpdate {
  readonly put?: readonly string[];
  readonly delete?: readonly string[];
}

export type SearchScan = (start: string, end: string, limit: number) => string[];

export function messageContext(
  module: ChainModule,
  state: StateOverlay,
  gas: GasMeter,
  events: ChainEvent[],
  base: {
    height: bigint;
    time: bigint;
    txHash: string;
    sender: string;
    senderKey: PublicKey;
    endorsers: readonly TxSigner[];
    chainHash: HashAlgorithm;
  },
  setModuleParam?: (module: string, name: string, value: Uint8Array) => void,
): MessageContext {
  let eventBytes = 0;
  return {
    ...base,
    ...(module.privileged && setModuleParam ? { setModuleParam } : {}),
    get(key) {
      const value = state.get(moduleKeyText(module.name, key));
      gas.charge(GAS.readBase + key.length * GAS.readByte + (value?.length ?? 0) * GAS.readByte, 'read');
      // A copy: cached state must not change if a module mutates what it read.
      return value?.slice();
    },
    set(key, value) {
      gas.charge(GAS.writeBase + (key.length + (value?.length ?? 0)) * GAS.writeByte, 'write');
      state.set(moduleKeyText(module.name, key), value?.slice());
    },
    emit(type, attributes) {
      checkDeclared(module, type, attributes);
      const size = checkEvent(type, attributes, events.length, eventBytes);
      gas.charge(GAS.event + size * GAS.eventByte, 'event');
      eventBytes += size;
      events.push({ module: module.name, type, attributes: { ...attributes } });
    },
  };
}

function checkDeclared(module: ChainModule, type: string, attributes: Record<string, string>): void {
  if (module.events === undefined) return;
  const declared = Object.hasOwn(module.events, type) ? module.events[type] : undefined;
  const stray = declared && Object.keys(attributes ?? {}).find((k) => !declared.includes(k));
  if (declared === undefined || stray !== undefined) {
    throw moduleError(
      'EXEC_EVENT_UNDECLARED',
      `${module.name} did not declare event ${type}${stray ? ` with ${stray}` : ''}`,
      {
        module: module.name,
        type,
      },
    );
  }
}

const utf8Length = (text: unknown) =>
  typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : Number.POSITIVE_INFINITY;

/**
 * An event must fit a receipt: a module that emits more (per event, or in all, counting the
 * receipt's byte budget) fails its transaction, never the block. Returns the event's size.
 */
function checkEvent(
  type: string,
  attributes: Record<string, string>,
  emitted: number,
  bytesSoFar: number,
): number {
  const L = RECEIPT_LIMITS;
  const entries = Object.entries(attributes ?? {});
  let size = utf8Length(type) + 8;
  for (const [k, v] of entries) size += utf8Length(k) + utf8Length(v) + 6;
  const bad =
    emitted >= L.events ||
    bytesSoFar + size > L.eventBytes ||
    utf8Length(type) > L.eventType ||
    entries.length > L.attributes ||
    entries.some(([k, v]) => utf8Length(k) > L.attributeKey || utf8Length(v) > L.attributeValue) ||
    ![type, ...entries.flat()].every((t) => (t as string).isWellFormed());
  if (bad) {
    throw moduleError('EXEC_EVENT_INVALID', `event ${String(type).slice(0, 64)} exceeds the receipt limits`, {
      limits: L,
    });
  }
  return size;
}

export function moduleError(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError {
  return new PujiangError(code, message, details);
}
