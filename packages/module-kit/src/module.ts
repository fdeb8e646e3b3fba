import type { Codec } from '@pujiang/codec';
import type { HashAlgorithm, PublicKey } from '@pujiang/crypto';
import type { BlockHookPhase, BlockLimits, ChainEvent, Genesis, Receipt, SignedTx } from '@pujiang/protocol';
import type { PujiangError } from '@pujiang/types';
import type { TObject, TSchema } from '@sinclair/typebox';
import type { NodeService, NodeServiceHost } from './node-service.js';
import type { ModuleRoute, ModuleSocket } from './routes.js';

/** A key that signed a transaction (its sender or an endorser), with its address (hex). */
export interface TxSigner {
  readonly address: string;
  readonly key: PublicKey;
}

/** What a transaction is and who signed it, before any module runs it. */
export interface TxEnvelope {
  readonly module: string;
  readonly type: string;
  /**
   * A narrower resource the message's module names for this transaction (`resourceOf`), such
   * as `evm/call/<contract>`: a policy set on it decides before the message's own.
   */
  readonly resource?: string;
  readonly sender: TxSigner;
  /** Verified endorsers, in the order the transaction carries them. */
  readonly endorsers: readonly TxSigner[];
  readonly height: bigint;
  /** The block's time (ms); at admission, the latest block's. */
  readonly time: bigint;
  readonly chainHash: HashAlgorithm;
}

/** Module-relative state reads (unmetered: authorization and queries read a few fixed keys). */
export type StateRead = (key: string) => Uint8Array | undefined;

/**
 * What every module code path that may write sees: its own module's state (metered), its
 * events, and the exports of the modules it imports. Everything runs inside the current
 * transaction's (or hook's) overlay and gas meter, so it applies all or nothing.
 */
export interface ModuleContext {
  /** The module this context belongs to (reads and writes are under its state prefix). */
  readonly module: string;
  readonly height: bigint;
  /** The block's time (ms). */
  readonly time: bigint;
  readonly chainHash: HashAlgorithm;
  /** The chain's id (its genesis `chainId`). */
  readonly chainId: string;
  /** Gas still available to the transaction or hook. */
  gasLeft(): number;
  /**
   * Charges computation that reads and writes do not cover (proof checks, big-number
   * arithmetic): `gas` is a non-negative integer, priced by the module from what it measured.
   */
  consume(gas: number, what: string): void;
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array | undefined): void;
  emit(type: string, attributes: Record<string, string>): void;
  /**
   * Calls another module's export. Only what this module declared in `imports` is granted
   * (else `MODULE_CALL_NOT_GRANTED`); the export runs with its own module's state, in this
   * overlay and gas meter. Prefer the typed `importsOf` handle over calling this directly.
   */
  call(module: string, name: string, args: unknown): unknown;
  /**
   * Calls another module's `remote` export for another chain (`MODULE_CALL_NOT_GRANTED` for
   * any other export, or from a module that does not route remote calls). The export gets
   * `{caller, args}`: who called on which chain and channel, and the caller's arguments.
   */
  callRemote(module: string, name: string, caller: RemoteCaller, args: unknown): unknown;
  /**
   * Runs `run` in a nested overlay: on a typed error its writes and events are dropped and
   * the error is returned (the gas it used stays charged). `gasCap` bounds what it may use,
   * so one piece of work cannot spend the whole budget. `run` is synchronous: a function
   * that returns a promise fails with `MODULE_INVALID` (its writes could not be undone).
   */
  attempt<T>(run: () => T, gasCap?: number): AttemptResult<T>;
}

/** Who calls a `remote` export: an account of another chain, over a channel of this one. */
export interface RemoteCaller {
  readonly chainId: string;
  readonly channel: string;
  readonly sender: string;
}

export type AttemptResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: PujiangError };

/** What a message handler sees: its module context plus the transaction and who signed it. */
export interface MessageContext extends ModuleContext {
  /** The transaction's hash (hex), so a module can say where a record came from. */
  readonly txHash: string;
  /** The sender's address (hex). */
  readonly sender: string;
  readonly senderKey: PublicKey;
  readonly endorsers: readonly TxSigner[];
  /** The transaction's nonce (the kernel checked it is the sender's next). */
  readonly nonce: bigint;
  /**
   * The module's own state without per-access gas: only for a module marked `selfMetered`,
   * whose own meter prices every access (the EVM's gas) and which charges it through
   * `consume`. Writes go to the transaction's overlay as `set`'s do.
   */
  readonly unmetered?: UnmeteredState;
  /**
   * Writes another module's declared parameter after that module checked it (throws its
   * typed error otherwise). A kernel hook, outside the capability graph: only a module
   * marked `privileged` (governance) gets it.
   */
  setModuleParam?(module: string, name: string, value: Uint8Array): void;
}

/** What an export sees when another module calls it: the exporting module's own context. */
export interface CallContext extends ModuleContext {
  /** The module that called this export. */
  readonly caller: string;
  /** The transaction being executed and its sender, when the call came from one (not from a hook). */
  readonly txHash?: string;
  readonly sender?: string;
  /** The sender's key (so an export can check what the sender may do, as a DID's controller). */
  readonly senderKey?: PublicKey;
}

export type { BlockHookPhase } from '@pujiang/protocol';

/** What a block hook sees: its module context for this block (no transaction, no sender). */
export interface HookContext extends ModuleContext {
  readonly phase: BlockHookPhase;
}

/**
 * A block hook: runs once per block (before or after its transactions) with a gas budget of
 * its own. Work that may not fit goes through a queue with a cursor (`drainQueue`), so
 * what is left carries over to the next block instead of failing again.
 */
export interface BlockHook {
  /** Gas for one run. Exceeding it drops the hook's writes and records `HOOK_OUT_OF_GAS`. */
  readonly gas: number;
  /** Synchronous (only message handlers may be asynchronous). */
  run(ctx: HookContext): void;
}

/**
 * A message type of a module. `handle` may be asynchronous (a library with an async API, as
 * the EVM's interpreter): the executor awaits it before the next transaction starts, so
 * transactions still run strictly one after another, and a rejection counts as a throw (a
 * typed error fails the transaction, anything else is a bug). It must not start work that
 * outlives its own transaction (no timers, no background I/O): everything it does goes
 * through `ctx` before its promise settles. Everything else a module offers (block hooks,
 * exports, queries, genesis, `authorize`, `attempt`'s function) is synchronous.
 */
export interface MessageHandler {
  readonly codec: Codec<unknown>;
  handle(ctx: MessageContext, message: unknown): void | Promise<void>;
  /**
   * Whether a chain of this genesis has the message (default: every chain). A message added
   * to a module after chains exist says so, so those chains replay their blocks unchanged
   * (there the message stays `EXEC_UNKNOWN_MESSAGE`).
   */
  availableOn?(genesis: Genesis): boolean;
}

/** A typed query: URL parameters and result are TypeBox schemas (checked, and published in OpenAPI). */
export interface QueryDefinition {
  readonly summary: string;
  readonly params: TObject;
  readonly result: TSchema;
  /** The module's code for malformed parameters (400). */
  readonly invalidParams: string;
  /** Codes for particular parameters, where the module tells them apart. */
  readonly paramCodes?: Readonly<Record<string, string>>;
  run(read: StateRead, params: unknown): unknown;
}

/** A function a module offers to the modules that import it. */
export interface ModuleExport {
  readonly summary: string;
  /** The schema its arguments must match (checked before `run`: `MODULE_BAD_CALL`). */
  readonly args: TSchema;
  /** Synchronous: returns its answer, never a promise (only message handlers may be asynchronous). */
  run(ctx: CallContext, args: unknown): unknown;
  /**
   * Callable from other chains: a module that routes remote calls (`routesRemoteCalls`, the
   * cross-chain module) may call it with `{caller: {chainId, channel, sender}, args}`.
   */
  readonly remote?: boolean;
}

/** A validator as consensus and certificate checks need it. */
export interface KernelValidator {
  readonly publicKey: PublicKey;
  readonly power: number;
  readonly name?: string;
}

/**
 * What the node's kernel asks of the module that keeps membership (governance), outside the
 * capability graph: at most one enabled module provides each service, and a chain without a
 * provider keeps the genesis values. Each reads the provider's state at the root it is given.
 */
export interface KernelServices {
  /** The validator set recorded in state, and the height it signs from (undefined: the genesis set). */
  validatorSet?(
    read: StateRead,
  ): { readonly since: bigint; readonly validators: readonly KernelValidator[] } | undefined;
  /**
   * The suites, block limits and pacing in force (undefined: the genesis values, and a block
   * every block interval).
   */
  chainConfig?(read: StateRead):
    | {
        readonly acceptedSuites: readonly string[];
        readonly limits: BlockLimits;
        /** How often an idle chain makes a block; 0: every block interval. */
        readonly emptyBlockIntervalMs?: number;
      }
    | undefined;
  /**
   * Whether a node key may hold a peer link: true or false, or undefined for no verdict (the
   * kernel then admits what the node's config admits and the validators of the next heights).
   */
  /**
   * A registered member's identity, for authenticating API requests signed by its key: the
   * key, organization and role, and the membership code that makes it invalid now, if any
   * (undefined: no member has that address).
   */
  memberIdentity?(
    read: StateRead,
    address: string,
    at: { readonly time: bigint; readonly chainHash: HashAlgorithm },
  ):
    | {
        readonly publicKey: PublicKey;
        readonly org: string;
        readonly role: string;
        readonly problem?: string;
      }
    | undefined;
  admitsPeer?(
    read: StateRead,
    key: PublicKey,
    at: { readonly time: bigint; readonly chainHash: HashAlgorithm; readonly admittedByConfig: boolean },
  ): boolean | undefined;
}

/** Module-relative reads and writes that the kernel does not meter (`MessageContext.unmetered`). */
export interface UnmeteredState {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array | undefined): void;
}

/** A committed transaction of the module, whatever its outcome, for the module's search index. */
export interface TxIndexEntry {
  readonly tx: SignedTx;
  /** Its hash (hex) and index in the block. */
  readonly hash: string;
  readonly index: number;
  readonly receipt: Receipt;
  readonly chainHash: HashAlgorithm;
}

export interface SearchIndexUpdate {
  readonly put?: readonly string[];
  readonly delete?: readonly string[];
}

/** Lists index keys in [start, end) in order, at most `limit`. */
export type SearchScan = (start: string, end: string, limit: number) => string[];

/** A search over a module's index: typed URL parameters and result, as a query's. */
export interface SearchDefinition {
  readonly summary: string;
  readonly params: TObject;
  readonly result: TSchema;
  readonly invalidParams: string;
  run(scan: SearchScan, read: StateRead, params: unknown): unknown;
}

/**
 * A module in the manner of Cosmos SDK modules: its messages, queries, events, errors and
 * genesis; the exports it offers other modules and the ones it imports; block hooks; API
 * routes. Build one with `defineModule`, which checks the definition.
 */
export interface ChainModule {
  readonly name: string;
  readonly summary?: string;
  readonly messages: Readonly<Record<string, MessageHandler>>;
  /**
   * The events the module emits, each with its attribute names. When present, emitting an
   * undeclared type or attribute fails the transaction, so subscribers can rely on the list
   * (`GET /v1/modules` publishes it).
   */
  readonly events?: Readonly<Record<string, readonly string[]>>;
  /** The module's error codes with what each means (`GET /v1/modules` publishes them). */
  readonly errors?: Readonly<Record<string, string>>;
  readonly queries?: Readonly<Record<string, QueryDefinition>>;
  /** Throws a typed error (`GENESIS_INVALID`) if this module's genesis configuration is malformed. */
  validateGenesis?(config: unknown, genesis?: Genesis): void;
  genesis?(
    write: (key: string, value: Uint8Array | undefined) => void,
    config: unknown,
    genesis?: Genesis,
    read?: StateRead,
  ): void;
  /**
   * A kernel hook, outside the capability graph: called before any transaction runs (and at
   * mempool admission); throws a typed error to refuse it. Membership, roles, policies and
   * accepted suites are enforced here. Synchronous, as are `validateGenesis`, `genesis`,
   * queries and searches.
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
   * The narrower resource of one of its messages (`<module>/<type>/<more>`), whose policy, when
   * set, decides before `<module>/<type>`'s: the EVM names the contract a call goes to. A pure
   * function of the message; undefined for none.
   */
  resourceOf?(type: string, payload: Uint8Array): string | undefined;
  /**
   * Meters its own work (the EVM's gas) and charges it through `consume`: its handlers get
   * `unmetered` access to its state, so an access is not charged twice.
   */
  readonly selfMetered?: boolean;
  /**
   * Routes calls from other chains (the cross-chain module): granted every enabled module's
   * `remote` exports, outside the import graph (no edges, so no cycles through it).
   */
  readonly routesRemoteCalls?: boolean;
  /** Functions other modules may call (when they import them). */
  readonly exports?: Readonly<Record<string, ModuleExport>>;
  /** The exports of other modules this one calls, by module name. Wired and checked at start. */
  readonly imports?: Readonly<Record<string, readonly string[]>>;
  /** Services to the node's kernel (governance provides them): validator set, chain config, peer admission. */
  readonly kernel?: KernelServices;
  readonly beginBlock?: BlockHook;
  readonly endBlock?: BlockHook;
  /** HTTP routes under `/v1/modules/<name>/...`, or at a standard's well-known path. */
  readonly routes?: readonly ModuleRoute[];
  /** WebSocket endpoints (a standard's subscriptions: `eth_subscribe` at `/rpc`). */
  readonly sockets?: readonly ModuleSocket[];
  /**
   * Reads this node's own settings for the module (`modules.<name>` of the node's
   * config.json; undefined when absent), once at start, loading what they name (key files
   * relative to `home`). A malformed section throws `CONFIG_INVALID` and the node does not
   * start. Routes get the result as `RouteHost.config`. Never part of the chain's state.
   */
  nodeConfig?(section: unknown, node: { readonly home: string; readonly chainId: string }): unknown;
  /**
   * Work this module runs on each node, off chain (private data a node keeps and sends only
   * to some peers). Routes get the instance as `RouteHost.service`.
   */
  nodeService?(host: NodeServiceHost, config: unknown): NodeService;
  /**
   * Search index entries (module-relative keys) a committed event adds or removes. The node
   * keeps them beside the chain, written with the block; they are not state and not proven:
   * a client proves what a search found with a proven query.
   */
  searchIndex?(event: ChainEvent, at: { readonly height: bigint; readonly time: bigint }): SearchIndexUpdate;
  /**
   * Search index entries for each committed transaction, of any module and whatever its
   * outcome (a failed transaction's events are dropped, its transaction is not): the EVM
   * module finds a transaction by its Ethereum hash, and an Ethereum address's chain account
   * from the first transaction its key sends (a member's registration, say). Return
   * undefined for transactions the module does not index: it is called for every one.
   */
  searchIndexTx?(
    entry: TxIndexEntry,
    at: { readonly height: bigint; readonly time: bigint },
  ): SearchIndexUpdate | undefined;
  /** Searches over that index (`defineSearch`): typed parameters and results, like queries. */
  readonly searches?: Readonly<Record<string, SearchDefinition>>;
}
