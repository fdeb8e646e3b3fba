import type { HashAlgorithm, PublicKey } from '@pujiang/crypto';
import {
  type AttemptResult,
  type BlockHookPhase,
  type CallContext,
  type ChainModule,
  checkValue,
  GAS,
  type GasMeter,
  grantKey,
  type HookContext,
  kitError,
  type MessageContext,
  type ModuleGraph,
  moduleError,
  type RemoteCaller,
  type TxSigner,
  type UnmeteredState,
} from '@pujiang/module-kit';
import { type ChainEvent, moduleKeyText, RECEIPT_LIMITS } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import type { StateOverlay } from './state-overlay.js';

/** A promise, or anything else with a `then` (what `await` would wait for). */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** The transaction a scope runs for (hooks have none). */
export interface ScopeTx {
  readonly txHash: string;
  readonly sender: string;
  readonly senderKey: PublicKey;
  readonly endorsers: readonly TxSigner[];
  readonly nonce: bigint;
}

/**
 * One transaction's (or one hook's) execution: the overlay its writes go to, its gas meter
 * and its events. Every module context of the transaction, including those of the exports
 * it calls, shares the scope, so the whole applies all or nothing under one meter.
 */
export class ExecutionScope {
  eventBytes = 0;
  readonly events: ChainEvent[] = [];
  /** Set when the transaction's receipt is made: work a handler left running can change nothing after. */
  closed = false;

  constructor(
    /** The overlay writes go to now (`attempt` nests one and restores this). */
    public state: StateOverlay,
    readonly gas: GasMeter,
    readonly height: bigint,
    readonly time: bigint,
    readonly chainHash: HashAlgorithm,
    readonly chainId: string,
    readonly graph: ModuleGraph,
    readonly tx?: ScopeTx,
    /** Governance's kernel hook (privileged modules only). */
    readonly setModuleParam?: (module: string, name: string, value: Uint8Array) => void,
  ) {}
}

/** A module's view of a scope: its own state prefix, its declared events, its granted imports. */
class KernelContext {
  readonly height: bigint;
  readonly time: bigint;
  readonly chainHash: HashAlgorithm;
  readonly chainId: string;

  constructor(
    protected readonly owner: ChainModule,
    protected readonly scope: ExecutionScope,
  ) {
    this.height = scope.height;
    this.time = scope.time;
    this.chainHash = scope.chainHash;
    this.chainId = scope.chainId;
  }

  get module(): string {
    return this.owner.name;
  }

  gasLeft(): number {
    return this.scope.gas.left;
  }

  /** Refuses any use of a context after its transaction (or hook) ended. */
  protected live(): void {
    if (this.scope.closed)
      throw kitError(
        'MODULE_INVALID',
        `module ${this.owner.name} used a context after its transaction ended`,
        {
          module: this.owner.name,
        },
      );
  }

  consume(gas: number, what: string): void {
    this.live();
    if (!Number.isSafeInteger(gas) || gas < 0)
      throw kitError('MODULE_INVALID', `module ${this.owner.name} charged ${gas} gas`, {
        module: this.owner.name,
      });
    this.scope.gas.charge(gas, what);
  }

  get(key: string): Uint8Array | undefined {
    this.live();
    const value = this.scope.state.get(moduleKeyText(this.owner.name, key));
    this.scope.gas.charge(
      GAS.readBase + key.length * GAS.readByte + (value?.length ?? 0) * GAS.readByte,
      'read',
    );
    // A copy: cached state must not change if a module mutates what it read.
    return value?.slice();
  }

  set(key: string, value: Uint8Array | undefined): void {
    this.live();
    this.scope.gas.charge(GAS.writeBase + (key.length + (value?.length ?? 0)) * GAS.writeByte, 'write');
    this.scope.state.set(moduleKeyText(this.owner.name, key), value?.slice());
  }

  emit(type: string, attributes: Record<string, string>): void {
    this.live();
    checkDeclared(this.owner, type, attributes);
    const scope = this.scope;
    const size = checkEvent(type, attributes, scope.events.length, scope.eventBytes);
    // A self-metered module priced its events itself (the EVM's LOG gas).
    if (!this.owner.selfMetered) scope.gas.charge(GAS.event + size * GAS.eventByte, 'event');
    scope.eventBytes += size;
    scope.events.push({ module: this.owner.name, type, attributes: { ...attributes } });
  }

  call(module: string, name: string, args: unknown): unknown {
    const graph = this.scope.graph;
    if (!graph.grants.get(this.owner.name)?.has(grantKey(module, name)))
      throw kitError(
        'MODULE_CALL_NOT_GRANTED',
        `module ${this.owner.name} did not import ${module}.${name}`,
        { module: this.owner.name, target: module, name },
      );
    return this.runExport(module, name, args);
  }

  callRemote(module: string, name: string, caller: RemoteCaller, args: unknown): unknown {
    if (!this.owner.routesRemoteCalls || !this.scope.graph.remote.has(grantKey(module, name)))
      throw kitError('MODULE_CALL_NOT_GRANTED', `${module}.${name} is not callable from other chains`, {
        module: this.owner.name,
        target: module,
        name,
      });
    return this.runExport(module, name, { caller, args });
  }

  private runExport(module: string, name: string, args: unknown): unknown {
    this.live();
    const graph = this.scope.graph;
    this.scope.gas.charge(GAS.call, 'call');
    const exporter = graph.byName.get(module)!;
    const exported = exporter.exports![name]!;
    checkValue(
      exported.args,
      args,
      'MODULE_BAD_CALL',
      `${module}.${name} called by ${this.owner.name} with arguments`,
    );
    return exported.run(new ExportKernelContext(exporter, this.scope, this.owner.name), args);
  }

  attempt<T>(run: () => T, gasCap?: number): AttemptResult<T> {
    this.live();
    const scope = this.scope;
    const parent = scope.state;
    const events = scope.events.length;
    const eventBytes = scope.eventBytes;
    const nested = parent.child();
    scope.state = nested;
    let value: T;
    try {
      value = gasCap === undefined ? run() : scope.gas.capped(gasCap, run);
    } catch (error) {
      if (!isPujiangError(error)) throw error;
      scope.events.length = events;
      scope.eventBytes = eventBytes;
      return { ok: false, error };
    } finally {
      scope.state = parent;
    }
    // Work still running could not be undone: the whole transaction fails instead.
    if (isThenable(value))
      throw kitError('MODULE_INVALID', `module ${this.owner.name} passed attempt an asynchronous function`, {
        module: this.owner.name,
      });
    nested.mergeIntoParent();
    return { ok: true, value };
  }
}

class MessageKernelContext extends KernelContext implements MessageContext {
  readonly txHash: string;
  readonly sender: string;
  readonly senderKey: PublicKey;
  readonly endorsers: readonly TxSigner[];
  readonly nonce: bigint;
  readonly unmetered?: UnmeteredState;
  readonly setModuleParam?: (module: string, name: string, value: Uint8Array) => void;

  constructor(owner: ChainModule, scope: ExecutionScope, tx: ScopeTx) {
    super(owner, scope);
    this.txHash = tx.txHash;
    this.sender = tx.sender;
    this.senderKey = tx.senderKey;
    this.endorsers = tx.endorsers;
    this.nonce = tx.nonce;
    // The scope's current overlay, read at each access (an `attempt` nests one).
    if (owner.selfMetered)
      this.unmetered = {
        get: (key) => {
          this.live();
          return scope.state.get(moduleKeyText(owner.name, key))?.slice();
        },
        set: (key, value) => {
          this.live();
          scope.state.set(moduleKeyText(owner.name, key), value?.slice());
        },
      };
    if (owner.privileged && scope.setModuleParam) this.setModuleParam = scope.setModuleParam;
  }
}

class ExportKernelContext extends KernelContext implements CallContext {
  readonly txHash?: string;
  readonly sender?: string;
  readonly senderKey?: PublicKey;

  constructor(
    owner: ChainModule,
    scope: ExecutionScope,
    readonly caller: string,
  ) {
    super(owner, scope);
    if (scope.tx) {
      this.txHash = scope.tx.txHash;
      this.sender = scope.tx.sender;
      this.senderKey = scope.tx.senderKey;
    }
  }
}

class HookKernelContext extends KernelContext implements HookContext {
  constructor(
    owner: ChainModule,
    scope: ExecutionScope,
    readonly phase: BlockHookPhase,
  ) {
    super(owner, scope);
  }
}

export function messageContext(module: ChainModule, scope: ExecutionScope, tx: ScopeTx): MessageContext {
  return new MessageKernelContext(module, scope, tx);
}

export function hookContext(module: ChainModule, scope: ExecutionScope, phase: BlockHookPhase): HookContext {
  return new HookKernelContext(module, scope, phase);
}

function checkDeclared(module: ChainModule, type: string, attributes: Record<string, string>): void {
  if (module.events === undefined) return;
  const declared = Object.hasOwn(module.events, type) ? module.events[type] : undefined;
  const stray = declared && Object.keys(attributes ?? {}).find((k) => !declared.includes(k));
  if (declared === undefined || stray !== undefined) {
    throw moduleError(
      'EXEC_EVENT_UNDECLARED',
      `${module.name} did not declare event ${type}${stray ? ` with ${stray}` : ''}`,
      { module: module.name, type },
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
  // One pass and no intermediate arrays: every transfer emits an event.
  const L = RECEIPT_LIMITS;
  const typeLength = utf8Length(type);
  const keys = attributes === undefined || attributes === null ? [] : Object.keys(attributes);
  let size = typeLength + 8;
  let bad =
    emitted >= L.events ||
    typeLength > L.eventType ||
    keys.length > L.attributes ||
    !(type as string).isWellFormed();
  for (const k of keys) {
    const v = attributes[k];
    const keyLength = utf8Length(k);
    const valueLength = utf8Length(v);
    size += keyLength + valueLength + 6;
    if (keyLength > L.attributeKey || valueLength > L.attributeValue) bad = true;
    else if (!k.isWellFormed() || !(v as string).isWellFormed()) bad = true;
  }
  if (bad || bytesSoFar + size > L.eventBytes) {
    throw moduleError('EXEC_EVENT_INVALID', `event ${String(type).slice(0, 64)} exceeds the receipt limits`, {
      limits: L,
    });
  }
  return size;
}
