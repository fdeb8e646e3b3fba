import { bytesKey } from '#platform';

/**
 * A size-bounded memo keyed by byte strings, least recently used evicted first. Used to
 * import or precompute each public key once: a chain sees the same few keys (validators,
 * busy senders) over and over, and a flood of fresh keys must not push those out.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 4096) {}

  getOrCreate(key: Uint8Array, create: () => V): V {
    const id = bytesKey(key);
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      this.entries.delete(id); // re-insert: Map order is our recency order
      this.entries.set(id, hit);
      return hit;
    }
    const value = create();
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, value);
    return value;
  }
}
