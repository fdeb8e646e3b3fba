import type { AccountFields, StateManagerInterface } from '@ethereumjs/common';
import { Account, type Address, KECCAK256_NULL } from '@ethereumjs/util';
import { keccak256 } from '@pujiang/crypto';
import {
  type AccountRecord,
  accountKey,
  codeKey,
  decodeAccount,
  encodeAccount,
  hex,
  storageKey,
  stripZeros,
} from './keys.js';

/** The module's state as the state manager reads and writes it (module-relative keys). */
export interface EvmStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array | undefined): void;
}

/** `null`: deleted in this transaction. */
type Written = Uint8Array | null;

interface Undo {
  readonly key: string;
  /** What the key held in the journal before (undefined: not in the journal). */
  readonly before: Written | undefined;
}

const EMPTY = new Uint8Array(0);
const NO_CODE_HASH = KECCAK256_NULL;

/** Code is addressed by its hash, so a cache of it can never be stale. */
const codeCache = new Map<string, Uint8Array>();
const CODE_CACHE_ENTRIES = 512;

/**
 * The EVM's state manager over the chain's state tree, for one transaction (or one
 * `eth_call`). Writes stay in a journal of this object until `flush`, which the module calls
 * once the transaction succeeded: nested calls checkpoint, commit and revert in the journal
 * only. So the store keeps the values of the transaction's start, and
 * `originalStorageCache` reads them there: the "original value" of EIP-2200/3529 that
 * SSTORE's gas depends on is the value before this transaction, not before the block.
 */
export class ChainStateManager implements StateManagerInterface {
  private readonly journal = new Map<string, Written>();
  private readonly undo: Undo[][] = [];
  /** Accounts whose stored slots read as zero (created over, or destroyed, in this transaction). */
  private readonly cleared = new Set<string>();

  readonly originalStorageCache = {
    get: async (address: Address, key: Uint8Array): Promise<Uint8Array> => {
      return this.store.get(storageKey(addressHex(address), hex(key))) ?? EMPTY;
    },
    clear: (): void => {},
  };

  constructor(private store: EvmStore) {}

  /** Points this manager at another transaction's state, with an empty journal. */
  bind(store: EvmStore): void {
    this.store = store;
    this.journal.clear();
    this.undo.length = 0;
    this.cleared.clear();
  }

  private read(key: string): Uint8Array | undefined {
    const written = this.journal.get(key);
    if (written !== undefined) return written ?? undefined;
    return this.store.get(key);
  }

  private write(key: string, value: Written): void {
    const frame = this.undo[this.undo.length - 1];
    frame?.push({ key, before: this.journal.get(key) });
    this.journal.set(key, value);
  }

  private record(address: string): AccountRecord | undefined {
    const bytes = this.read(accountKey(address));
    return bytes === undefined ? undefined : decodeAccount(bytes);
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const a = this.record(addressHex(address));
    if (a === undefined) return undefined;
    const code = this.codeOf(a.codeHash);
    return new Account(a.nonce, a.balance, undefined, a.codeHash, code.length);
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    const key = accountKey(addressHex(address));
    if (account === undefined) return this.write(key, null);
    this.write(
      key,
      encodeAccount({ nonce: account.nonce, balance: account.balance, codeHash: account.codeHash }),
    );
  }

  async deleteAccount(address: Address): Promise<void> {
    const a = addressHex(address);
    this.write(accountKey(a), null);
    this.clearSlots(a);
  }

  async modifyAccountFields(address: Address, fields: AccountFields): Promise<void> {
    const a = this.record(addressHex(address)) ?? { nonce: 0n, balance: 0n, codeHash: NO_CODE_HASH };
    this.write(
      accountKey(addressHex(address)),
      encodeAccount({
        nonce: fields.nonce ?? a.nonce,
        balance: fields.balance ?? a.balance,
        codeHash: fields.codeHash ?? a.codeHash,
      }),
    );
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    const codeHash = value.length === 0 ? NO_CODE_HASH : keccak256(value);
    if (value.length > 0) this.write(codeKey(hex(codeHash)), value.slice());
    await this.modifyAccountFields(address, { codeHash });
  }

  async getCode(address: Address): Promise<Uint8Array> {
    const a = this.record(addressHex(address));
    return a === undefined ? EMPTY : this.codeOf(a.codeHash);
  }

  async getCodeSize(address: Address): Promise<number> {
    return (await this.getCode(address)).length;
  }

  private codeOf(codeHash: Uint8Array): Uint8Array {
    if (equal(codeHash, NO_CODE_HASH)) return EMPTY;
    const h = hex(codeHash);
    const cached = codeCache.get(h);
    if (cached !== undefined) return cached;
    const code = this.read(codeKey(h)) ?? EMPTY;
    // Only what is stored is cached: code of a transaction that may still fail is not.
    if (!this.journal.has(codeKey(h)) && code.length > 0) {
      if (codeCache.size >= CODE_CACHE_ENTRIES) codeCache.clear();
      codeCache.set(h, code);
    }
    return code;
  }

  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const a = addressHex(address);
    const k = storageKey(a, hex(key));
    const written = this.journal.get(k);
    if (written !== undefined) return written ?? EMPTY;
    if (this.cleared.has(a)) return EMPTY;
    return this.store.get(k) ?? EMPTY;
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const v = stripZeros(value);
    this.write(storageKey(addressHex(address), hex(key)), v.length === 0 ? null : v.slice());
  }

  async clearStorage(address: Address): Promise<void> {
    this.clearSlots(addressHex(address));
  }

  /**
   * Slots written in the journal are dropped and stored ones read as zero. Stored slots of
   * an account cannot be listed, so they are not deleted: since Cancun an account's storage
   * is cleared only when it was created in the same transaction (EIP-6780) or is created
   * where no storage exists (EIP-7610), and then nothing of it is stored yet.
   */
  private clearSlots(address: string): void {
    const prefix = `s/${address}/`;
    for (const key of this.journal.keys()) if (key.startsWith(prefix)) this.write(key, null);
    if (!this.cleared.has(address)) {
      this.cleared.add(address);
      this.undo[this.undo.length - 1]?.push({ key: `cleared/${address}`, before: undefined });
    }
  }

  async checkpoint(): Promise<void> {
    this.undo.push([]);
  }

  async commit(): Promise<void> {
    const frame = this.undo.pop();
    const below = this.undo[this.undo.length - 1];
    if (frame !== undefined && below !== undefined) for (const u of frame) below.push(u);
  }

  async revert(): Promise<void> {
    const frame = this.undo.pop() ?? [];
    for (let i = frame.length - 1; i >= 0; i--) {
      const { key, before } = frame[i]!;
      if (key.startsWith('cleared/')) this.cleared.delete(key.slice(8));
      else if (before === undefined) this.journal.delete(key);
      else this.journal.set(key, before);
    }
  }

  /** Writes what the transaction changed to the module's state (after it succeeded). */
  flush(): void {
    if (this.undo.length !== 0) throw new Error('flush inside a checkpoint');
    for (const [key, value] of this.journal) this.store.set(key, value ?? undefined);
    this.journal.clear();
  }

  /** Keys the journal holds (for tests and gas accounting). */
  get pendingWrites(): number {
    return this.journal.size;
  }

  // The chain's state tree, not a Merkle Patricia trie, authenticates this state: there is
  // no Ethereum state root to give, and receipts since Byzantium carry none.
  async getStateRoot(): Promise<Uint8Array> {
    return new Uint8Array(32);
  }

  async setStateRoot(): Promise<void> {
    throw new Error('the EVM state is the chain state: it has no state root to set');
  }

  async hasStateRoot(): Promise<boolean> {
    return false;
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    return new ChainStateManager(this.store);
  }
}

const addressHex = (address: Address): string => hex(address.bytes);

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
