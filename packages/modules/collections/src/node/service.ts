import type { NodeService, NodeServiceHost } from '@pujiang/module-kit';
import type { ChainEvent } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { COLLECTIONS_MODULE, privateDataHash } from '../formats.js';
import { decodeMessage, encodeMessage } from './messages.js';
import { PrivateStore, type StoredValue } from './store.js';

/**
 * A node's side of private data collections. A value arrives from a writer (the put route)
 * or a member peer; it waits in memory until its `collections/put` commits with the same
 * hash, and only then is stored (encrypted, under its own key). Values go only to the
 * nodes of the collection's organizations, and a node of another organization refuses them.
 * Entries are purged when their retention ends or the writer purges them.
 */
const MAX_PENDING = 10_000;
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** Blocks a value may wait for its write to commit. */
const PENDING_BLOCKS = 200n;

interface Pending {
  readonly collection: string;
  readonly key: string;
  readonly salt: Uint8Array;
  readonly value: Uint8Array;
  readonly until: bigint;
}

interface CollectionView {
  readonly orgs: readonly string[];
  readonly roles: readonly string[];
}
interface EntryView {
  readonly hash: string;
  readonly expiresAt: string;
  readonly purged: boolean;
}

export class CollectionsService implements NodeService {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private store: PrivateStore | undefined;

  constructor(private readonly host: NodeServiceHost) {}

  private get disk(): PrivateStore {
    if (!this.store) {
      this.store = new PrivateStore(
        this.host.dataDir,
        this.host.chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm',
      );
      this.reconcile(this.store);
    }
    return this.store;
  }

  /** At start: purges what the chain purged, expired or replaced while this node was down. */
  private reconcile(store: PrivateStore): void {
    for (const { collection, key } of store.entries()) {
      const entry = this.entry(collection, key);
      if (
        !entry ||
        entry.purged ||
        BigInt(entry.expiresAt) <= this.host.height() ||
        !store.has(collection, key, entry.hash)
      )
        store.purge(collection, key);
    }
  }

  collection(name: string): CollectionView | undefined {
    return (
      (this.host.query(COLLECTIONS_MODULE, 'collection', { name }) as { collection: CollectionView | null })
        .collection ?? undefined
    );
  }

  entry(collection: string, key: string): EntryView | undefined {
    return (
      (this.host.query(COLLECTIONS_MODULE, 'entry', { collection, key }) as { entry: EntryView | null })
        .entry ?? undefined
    );
  }

  /** Whether this node's organization is one of the collection's (only then does it hold its values). */
  isMember(collection: string): boolean {
    const org = this.host.self()?.org;
    return org !== undefined && (this.collection(collection)?.orgs.includes(org) ?? false);
  }

  /** A value this node holds (undefined: never received, or purged). */
  read(collection: string, key: string): StoredValue | undefined {
    return this.disk.read(collection, key);
  }

  /** Whether a value of `bytes` fits among those waiting for their writes. */
  canHold(bytes: number): boolean {
    return this.pending.size < MAX_PENDING && this.pendingBytes + bytes <= MAX_PENDING_BYTES;
  }

  /**
   * Takes a writer's value (its hash checked by the route against the signed put) and sends
   * it to the collection's other organizations' nodes. Answers how many peers it went to.
   */
  accept(collection: string, key: string, salt: Uint8Array, value: Uint8Array): number {
    this.hold({ collection, key, salt, value, until: this.host.height() + PENDING_BLOCKS });
    const orgs = this.collection(collection)?.orgs ?? [];
    const payload = encodeMessage({ type: 'data', value: { collection, key, salt, value } });
    let sent = 0;
    for (const peer of this.host.peers())
      if (peer.org !== undefined && orgs.includes(peer.org)) {
        this.host.send(peer.id, payload);
        sent++;
      }
    return sent;
  }

  onPeerMessage(peer: string, payload: Uint8Array): void {
    const message = decodeMessage(payload);
    if (!message) return;
    const { collection, key } = message.value;
    const orgs = this.collection(collection)?.orgs ?? [];
    const from = this.host.peers().find((p) => p.id === peer)?.org;
    // Both ends must be members: a node of another organization neither takes nor gets a value.
    if (!this.isMember(collection) || from === undefined || !orgs.includes(from)) return;
    if (message.type === 'data') {
      const { salt, value } = message.value;
      this.hold({ collection, key, salt, value, until: this.host.height() + PENDING_BLOCKS });
      this.settle(collection, key);
      return;
    }
    // From disk, or still waiting here (the asker may have seen the write commit first).
    const wanted = bytesToHex(message.value.hash);
    const held = this.disk.read(collection, key);
    const found =
      held?.hash === wanted
        ? held
        : [...this.pending.values()].find(
            (p) =>
              p.collection === collection &&
              p.key === key &&
              bytesToHex(privateDataHash(this.host.chainHash, collection, key, p.salt, p.value)) === wanted,
          );
    if (found)
      this.host.send(
        peer,
        encodeMessage({ type: 'data', value: { collection, key, salt: found.salt, value: found.value } }),
      );
  }

  onCommit(height: bigint, events: readonly ChainEvent[]): void {
    for (const e of events) {
      if (e.module !== COLLECTIONS_MODULE) continue;
      const { collection, key } = e.attributes as { collection: string; key: string };
      if (e.type === 'put' && this.isMember(collection) && !this.settle(collection, key))
        this.ask(collection, key);
      if (e.type === 'purged') this.disk.purge(collection, key);
    }
    for (const { collection, key } of this.disk.expiredAt(height)) this.disk.purge(collection, key);
    for (const [id, p] of this.pending)
      if (p.until < height) {
        this.pending.delete(id);
        this.pendingBytes -= p.value.length;
      }
  }

  /** Stores a pending value once the chain holds its write with the same hash; true if stored. */
  private settle(collection: string, key: string): boolean {
    const entry = this.entry(collection, key);
    if (!entry || entry.purged || BigInt(entry.expiresAt) <= this.host.height()) return false;
    if (this.disk.has(collection, key, entry.hash)) return true;
    for (const [id, p] of this.pending) {
      if (p.collection !== collection || p.key !== key) continue;
      const hash = bytesToHex(privateDataHash(this.host.chainHash, collection, key, p.salt, p.value));
      if (hash !== entry.hash) continue;
      this.disk.write(collection, key, {
        value: p.value,
        salt: p.salt,
        hash,
        expiresAt: BigInt(entry.expiresAt),
      });
      this.pending.delete(id);
      this.pendingBytes -= p.value.length;
      return true;
    }
    return false;
  }

  /** Asks the collection's other members' nodes for a value this node missed. */
  private ask(collection: string, key: string): void {
    const entry = this.entry(collection, key);
    const orgs = this.collection(collection)?.orgs ?? [];
    if (!entry) return;
    const payload = encodeMessage({ type: 'want', value: { collection, key, hash: hexToBytes(entry.hash) } });
    for (const peer of this.host.peers())
      if (peer.org !== undefined && orgs.includes(peer.org)) this.host.send(peer.id, payload);
  }

  private hold(p: Pending): void {
    if (this.pending.size >= MAX_PENDING || this.pendingBytes + p.value.length > MAX_PENDING_BYTES) return;
    const id = `${p.collection}\0${p.key}\0${bytesToHex(privateDataHash(this.host.chainHash, p.collection, p.key, p.salt, p.value))}`;
    if (this.pending.has(id)) return;
    this.pending.set(id, p);
    this.pendingBytes += p.value.length;
  }
}
