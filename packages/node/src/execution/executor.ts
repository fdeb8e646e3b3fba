import { decode } from '@pujiang/codec';
import { deriveAddress, type HashAlgorithm, hash, type PublicKey, type SuiteId } from '@pujiang/crypto';
import {
  type ChainModule,
  GAS,
  GasMeter,
  type KernelServices,
  kitError,
  type MessageHandler,
  type ModuleGraph,
  moduleError,
  parseParams,
  type StateRead,
  selectModules,
  type TxEnvelope,
  type TxSigner,
  wireModules,
} from '@pujiang/module-kit';
import {
  encodeTx,
  endorserKeys,
  type Genesis,
  LEGACY_ENABLED_MODULES,
  type ModulesResponse,
  moduleKey,
  moduleKeyText,
  moduleParamKey,
  type Receipt,
  type SignedTx,
  senderKey,
  txIsForChain,
  verifyTxSignature,
} from '@pujiang/protocol';
import { EMPTY_ROOT, type SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, equalBytes, isPujiangError, PujiangError } from '@pujiang/types';
import { type HookChain, runBlockHooks } from './block-hooks.js';
import { ExecutionScope, isThenable, messageContext } from './context.js';
import { PreparedTx, readNonce, writeNonce } from './prepared-tx.js';
import { type KnownValue, MAX_KNOWN_VALUES, StateOverlay } from './state-overlay.js';
import { type Verdicts, verdictFor } from './verdicts.js';

/** A transaction of a block, decoded once, with its wire bytes and hash. */
export interface BlockTx {
  readonly tx: SignedTx;
  readonly wire: Uint8Array;
  readonly hash: string;
  /** The sender's address, when already known (the mempool derives it once). */
  readonly sender?: string;
}

/** What executing a block produced. */
export interface BlockResult {
  readonly root: Uint8Array;
  readonly receipts: Receipt[];
  readonly gasUsed: number;
  /** Every state key the block changed, with its new value (null: deleted). */
  readonly writes: ReadonlyMap<string, KnownValue>;
}

export function toBlockTx(algorithm: HashAlgorithm, tx: SignedTx): BlockTx {
  const wire = encodeTx(tx);
  return { tx, wire, hash: bytesToHex(hash(algorithm, wire)) };
}

export interface ExecutorOptions {
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  readonly modules: readonly ChainModule[];
  /** Gas for all transactions of a block together. */
  readonly maxBlockGas: number;
  /** The chain's genesis: which messages each module has on this chain (`MessageHandler.availableOn`). */
  readonly genesis?: Genesis;
  /** Signature suites the genesis accepts; a transaction in another suite fails (a consensus rule, not only an admission check). Default: all. */
  readonly acceptedSuites?: readonly SuiteId[];
}

/** An own property only: `constructor`, `toString` and friends are not messages or queries. */
function own<T>(table: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * Deterministic block execution. Each transaction runs in its own overlay: on success its
 * writes join the block's, on failure they are dropped and only the sender's nonce advances
 * (so the transaction cannot be replayed). Every receipt records the outcome and gas used.
 */
export class Executor {
  private readonly modules: ReadonlyMap<string, ChainModule>;
  private readonly graph: ModuleGraph;
  private readonly hookChain: HookChain;
  private latest: { root: Uint8Array; values: Map<string, KnownValue> } | undefined;
  /** Admission verdicts at the state they were decided in. */
  private decisions: { root: Uint8Array; height: bigint; time: bigint; verdicts: Verdicts } | undefined;

  /**
   * The executor a chain's genesis defines (the node and the replay audit must build the same
   * one): the modules the genesis enables (absent: the legacy set), taken from `available`,
   * the node's module list. A module the node lacks is `MODULE_UNKNOWN`.
   */
  static forGenesis(tree: SparseMerkleTree, genesis: Genesis, available: readonly ChainModule[]): Executor {
    // A legacy genesis runs the legacy modules the caller lists (a node of this version has all of them).
    const modules =
      genesis.enabledModules === undefined
        ? available.filter((m) => LEGACY_ENABLED_MODULES.includes(m.name))
        : selectModules(available, genesis.enabledModules);
    if (genesis.enabledModules !== undefined)
      for (const name of Object.keys(genesis.modules))
        if (!genesis.enabledModules.includes(name))
          throw new PujiangError(
            'GENESIS_INVALID',
            `genesis: modules.${name} configures a module the chain does not enable`,
            {
              field: `modules.${name}`,
            },
          );
    return new Executor(tree, {
      genesis,
      chainId: genesis.chainId,
      chainHash: genesis.chainHash,
      modules,
      maxBlockGas: genesis.limits.maxBlockGas,
      // A module that authorizes transactions owns the suite rule (governance can change it).
      ...(modules.some((m) => m.authorize) ? {} : { acceptedSuites: genesis.acceptedSuites }),
    });
  }

  constructor(
    private readonly tree: SparseMerkleTree,
    private readonly o: ExecutorOptions,
  ) {
    this.graph = wireModules(o.modules);
    this.modules = this.graph.byName;
    this.hookChain = { modules: o.modules, chainHash: o.chainHash, chainId: o.chainId, graph: this.graph };
  }

  /** The state root after each module's genesis (`full`: the whole genesis, for modules that read more than their section). */
  genesis(config: Readonly<Record<string, unknown>>, full?: Genesis): Uint8Array {
    const state = new StateOverlay(this.tree, EMPTY_ROOT);
    for (const module of this.o.modules) module.validateGenesis?.(config[module.name], full);
    for (const module of this.o.modules) {
      module.genesis?.(
        (key, value) => state.set(moduleKeyText(module.name, key), value),
        config[module.name] ?? {},
        full,
        (key) => state.get(moduleKeyText(module.name, key)),
      );
    }
    return state.commit();
  }

  addressOf(tx: SignedTx): string {
    return this.addressOfKey(senderKey(tx.body));
  }

  addressOfKey(key: PublicKey): string {
    return bytesToHex(deriveAddress(this.o.chainHash, key));
  }

  /**
   * Whether the modules admit a transaction in the state at `root` (membership, roles,
   * policies, suites); throws their typed error if not. The mempool asks this on arrival;
   * execution asks again, in the block's own state.
   */
  authorize(root: Uint8Array, tx: SignedTx, sender: string, height: bigint, time: bigint): void {
    const envelope = this.envelope(tx, sender, height, time);
    // One set of verdicts per state, height and time (see verdicts.ts).
    let decided = this.decisions;
    if (
      decided === undefined ||
      decided.height !== height ||
      decided.time !== time ||
      !equalBytes(decided.root, root)
    ) {
      decided = { root, height, time, verdicts: new Map() };
      this.decisions = decided;
    }
    const refusal = verdictFor(decided.verdicts, envelope, () =>
      this.authorizeIn(this.overlayAt(root), envelope),
    );
    if (refusal) throw refusal;
  }

  private envelope(tx: SignedTx, sender: string, height: bigint, time: bigint): TxEnvelope {
    const endorsers: TxSigner[] =
      tx.endorsements.length === 0
        ? []
        : endorserKeys(tx).map((key) => ({ key, address: this.addressOfKey(key) }));
    const resource = this.modules.get(tx.body.module)?.resourceOf?.(tx.body.type, tx.body.payload);
    return {
      module: tx.body.module,
      type: tx.body.type,
      ...(resource === undefined ? {} : { resource }),
      sender: { address: sender, key: senderKey(tx.body) },
      endorsers,
      height,
      time,
      chainHash: this.o.chainHash,
    };
  }

  private authorizeIn(state: StateOverlay, envelope: TxEnvelope): void {
    for (const module of this.o.modules) {
      module.authorize?.((key) => state.get(moduleKeyText(module.name, key)), envelope);
    }
  }

  /**
   * The chain moved from `from` to `to` by `writes` (a committed block): the values known at
   * `from` become those at `to`. Called only once the block is durably stored.
   */
  advance(from: Uint8Array, to: Uint8Array, writes: ReadonlyMap<string, KnownValue>): void {
    const values =
      this.latest !== undefined &&
      equalBytes(this.latest.root, from) &&
      this.latest.values.size < MAX_KNOWN_VALUES
        ? this.latest.values
        : new Map<string, KnownValue>();
    for (const [key, value] of writes) values.set(key, value);
    this.latest = { root: to, values };
  }

  /**
   * Calls the kernel service `name` of the module that provides it (governance), with reads
   * of that module's state at `root`; undefined when no enabled module provides it.
   */
  kernelCall<K extends keyof KernelServices, R>(
    name: K,
    root: Uint8Array,
    call: (service: NonNullable<KernelServices[K]>, read: StateRead) => R | undefined,
  ): R | undefined {
    const provider = this.o.modules.find((m) => m.kernel?.[name] !== undefined);
    if (provider === undefined) return undefined;
    return call(provider.kernel![name]!, this.reader(root, provider.name));
  }

  /** The modules that index committed transactions (`searchIndexTx`), in module order. */
  get txIndexers(): readonly ChainModule[] {
    return this.o.modules.filter((m) => m.searchIndexTx !== undefined);
  }

  /** The module of that name, if this chain runs it. */
  module(name: string): ChainModule | undefined {
    return this.modules.get(name);
  }

  /** What each module offers: message types, queries and declared events (for `GET /v1/modules`). */
  describeModules(): ModuleDescription[] {
    return this.o.modules.map((m) => ({
      name: m.name,
      messages: Object.keys(m.messages).filter((type) => this.messageOf(m, type) !== undefined),
      queries: Object.keys(m.queries ?? {}),
      events: m.events ? Object.fromEntries(Object.entries(m.events).map(([k, v]) => [k, [...v]])) : null,
      errors: { ...(m.errors ?? {}) },
      exports: Object.keys(m.exports ?? {}),
      imports: Object.fromEntries(Object.entries(m.imports ?? {}).map(([k, v]) => [k, [...v]])),
      hooks: (['beginBlock', 'endBlock'] as const).filter((phase) => m[phase] !== undefined),
      routes: (m.routes ?? []).map((r) => `${r.method} ${r.path}`),
    }));
  }

  /** The modules this chain runs, in execution order. */
  get enabledModules(): readonly ChainModule[] {
    return this.o.modules;
  }

  nonceOf(root: Uint8Array, address: string): bigint {
    return readNonce(this.overlayAt(root), address);
  }

  /** Module-relative reads of one module's state at `root` (the node's view of governance, say). */
  reader(root: Uint8Array, module: string): (key: string) => Uint8Array | undefined {
    const state = this.overlayAt(root);
    return (key) => state.get(moduleKeyText(module, key));
  }

  /** A read overlay at `root`, backed by the latest state's known values when `root` is the latest. */
  private overlayAt(root: Uint8Array): StateOverlay {
    const known =
      this.latest !== undefined && equalBytes(this.latest.root, root) ? this.latest.values : undefined;
    return new StateOverlay(this.tree, root, undefined, known);
  }

  query(
    root: Uint8Array,
    module: string,
    name: string,
    params: unknown,
    onRead?: (key: Uint8Array, value: Uint8Array | undefined) => void,
  ): unknown {
    const q = own(this.modules.get(module)?.queries, name);
    if (!q) {
      throw kitError('QUERY_UNKNOWN', `unknown query ${module}/${name}`, { module, name });
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw moduleError(q.invalidParams, 'query parameters must be an object', { module, name });
    const typed = parseParams(q.params, params as Record<string, string>, q.invalidParams, q.paramCodes);
    const state = new StateOverlay(this.tree, root);
    return q.run((key) => {
      const value = state.get(moduleKeyText(module, key));
      onRead?.(moduleKey(module, key), value);
      return value;
    }, typed);
  }

  /**
   * Runs a block's transactions over `root`. `signatureChecked(hash)` says a transaction's
   * signature was verified already (by the mempool's worker pool); others are verified here.
   * Transactions run strictly one after another: an asynchronous handler is awaited before
   * the next transaction starts (a synchronous one costs no await). One block at a time per
   * executor (`Chain.commit` serializes them): `advance` must not run while a block awaits.
   */
  async executeBlock(
    root: Uint8Array,
    height: bigint,
    txs: readonly BlockTx[],
    signatureChecked: (hash: string) => boolean = () => false,
    /** The block's time (ms), which modules see (certificate validity, say). */
    time = 0n,
    /** Gas for the whole block, as governance last set it (default: genesis). */
    maxBlockGas = this.o.maxBlockGas,
  ): Promise<BlockResult> {
    const known =
      this.latest !== undefined && equalBytes(this.latest.root, root) ? this.latest.values : undefined;
    const block = new StateOverlay(this.tree, root, undefined, known);
    const receipts: Receipt[] = [];
    const begun = runBlockHooks(this.hookChain, 'beginBlock', block, height, time);
    let blockGas = 0;
    for (const t of txs) {
      const signatureOk = signatureChecked(t.hash) || verifyTxSignature(t.tx);
      const ran = this.executeTx(block, height, time, t, signatureOk, maxBlockGas - blockGas);
      const receipt = ran instanceof Promise ? await ran : ran;
      blockGas += receipt.gasUsed;
      receipts.push(receipt);
    }
    // Hook results follow the transactions' (a transaction's receipt index is its index in the block).
    receipts.push(...begun, ...runBlockHooks(this.hookChain, 'endBlock', block, height, time));
    return { root: block.commit(), receipts, gasUsed: blockGas, writes: block.changes };
  }

  /** A module's message of that type, if this chain has it. */
  private messageOf(module: ChainModule | undefined, type: string): MessageHandler | undefined {
    const handler = own(module?.messages, type);
    const genesis = this.o.genesis;
    if (handler?.availableOn === undefined || genesis === undefined) return handler;
    return handler.availableOn(genesis) ? handler : undefined;
  }

  /** A module parameter set by a privileged module, after the owning module checked the value. */
  private setModuleParam(
    state: StateOverlay,
    gas: GasMeter,
    target: string,
    name: string,
    value: Uint8Array,
  ): void {
    const check = own(this.modules.get(target)?.params, name);
    if (!check)
      throw moduleError('EXEC_UNKNOWN_PARAM', `module ${target} has no parameter ${name}`, {
        module: target,
        name,
      });
    check(value);
    gas.charge(GAS.writeBase + (name.length + value.length) * GAS.writeByte, 'write');
    state.set(moduleKeyText(target, moduleParamKey(name)), value.slice());
  }

  /**
   * One transaction: its checks (`prepareTx`), its handler, then its receipt (`PreparedTx`'s
   * `succeed` or `fail`). A handler's promise is awaited before the receipt (a rejection
   * counts as a throw); a handler that returns nothing gets its receipt without an await.
   */
  private executeTx(
    block: StateOverlay,
    height: bigint,
    time: bigint,
    t: BlockTx,
    signatureOk: boolean,
    gasLeft: number,
  ): Receipt | Promise<Receipt> {
    const prepared = this.prepareTx(block, height, time, t, signatureOk, gasLeft);
    if (!(prepared instanceof PreparedTx)) return prepared;
    let result: void | Promise<void>;
    try {
      result = this.runHandler(prepared, t);
    } catch (error) {
      return prepared.fail(error);
    }
    if (!isThenable(result)) return prepared.succeed();
    return Promise.resolve(result).then(
      () => prepared.succeed(),
      (error: unknown) => prepared.fail(error),
    );
  }

  /** Checks a transaction; a refusal's receipt, or the scope its handler runs in. */
  private prepareTx(
    block: StateOverlay,
    height: bigint,
    time: bigint,
    { tx, hash, sender: knownSender }: BlockTx,
    signatureOk: boolean,
    gasLeft: number,
  ): Receipt | PreparedTx {
    const refused = (code: string, message: string): Receipt => ({
      txHash: hash,
      code,
      message,
      gasUsed: 0,
      events: [],
    });
    const { body } = tx;
    if (!signatureOk) return refused('TX_BAD_SIGNATURE', 'the signature does not verify');
    if (!txIsForChain(tx, this.o.chainId))
      return refused('TX_WRONG_CHAIN', 'the transaction is for another chain');
    if (this.o.acceptedSuites && !this.o.acceptedSuites.includes(body.suite))
      return refused('TX_SUITE_NOT_ACCEPTED', `this chain does not accept ${body.suite} signatures`);
    if (body.expiresAtHeight < height) return refused('TX_EXPIRED', 'the transaction expired');
    const sender = knownSender ?? this.addressOf(tx);
    const nonce = readNonce(block, sender);
    if (body.nonce !== nonce) return refused('TX_BAD_NONCE', `expected nonce ${nonce}`);
    const envelope = this.envelope(tx, sender, height, time);
    try {
      this.authorizeIn(block, envelope);
    } catch (error) {
      if (!isPujiangError(error)) throw error;
      // Refused by policy: the nonce still advances, so the transaction cannot be replayed.
      writeNonce(block, sender, nonce + 1n);
      return refused(error.code, error.message);
    }

    const gas = new GasMeter(Math.max(0, Math.min(Number(body.gasLimit), gasLeft)));
    const scope = new ExecutionScope(
      block.child(),
      gas,
      height,
      time,
      this.o.chainHash,
      this.o.chainId,
      this.graph,
      { txHash: hash, sender, senderKey: envelope.sender.key, endorsers: envelope.endorsers, nonce },
      (target, name, value) => this.setModuleParam(scope.state, gas, target, name, value),
    );
    return new PreparedTx(block, scope, sender, nonce);
  }

  /** Charges the transaction's size, decodes its payload and calls its handler (which may return a promise). */
  private runHandler({ scope }: PreparedTx, { tx: { body }, wire }: BlockTx): void | Promise<void> {
    const module = this.modules.get(body.module);
    // A self-metered module prices the transaction's size itself (the EVM's intrinsic gas).
    if (!module?.selfMetered) scope.gas.charge(GAS.txBase + wire.length * GAS.txByte, 'transaction size');
    const handler = this.messageOf(module, body.type);
    if (!handler) throw moduleError('EXEC_UNKNOWN_MESSAGE', `unknown message ${body.module}/${body.type}`);
    let decoded: unknown;
    try {
      decoded = decode(handler.codec, body.payload);
    } catch (cause) {
      throw moduleError('EXEC_BAD_PAYLOAD', `payload of ${body.module}/${body.type} does not decode`, {
        cause: String(cause),
      });
    }
    return handler.handle(messageContext(module!, scope, scope.tx!), decoded);
  }
}

/** What `/v1/modules` says of a module (the API's schema is the one definition). */
export type ModuleDescription = ModulesResponse['modules'][number];
