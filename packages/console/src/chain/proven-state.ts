import { type Codec, decode } from '@pujiang/codec';
import { moduleKey } from '@pujiang/protocol';
import type { VerifiedQuery } from '@pujiang/sdk/verify';
import { bytesToHex } from '@pujiang/types';

/**
 * Values decoded from a verified query's proven reads, never from its `result`: the reads are
 * what the light client checked under a certified header, while `result` is whatever the node
 * computed (and may be a lie). A page that shows a value as proven takes it from here.
 */
export class ProvenState {
  constructor(
    private readonly verified: Pick<VerifiedQuery, 'reads' | 'height'>,
    private readonly module: string,
  ) {}

  get height(): number {
    return this.verified.height;
  }

  /** Whether the query read `key` (module-relative), so its value, or its absence, is proven. */
  has(key: string): boolean {
    return this.verified.reads.has(bytesToHex(moduleKey(this.module, key)));
  }

  /** The raw proven bytes of `key`, undefined when proven absent; throws when the query never read it. */
  bytes(key: string): Uint8Array | undefined {
    const hex = bytesToHex(moduleKey(this.module, key));
    if (!this.verified.reads.has(hex))
      throw new Error(
        `${this.module}/${key} is not among the proven reads: the page cannot show it as proven`,
      );
    return this.verified.reads.get(hex);
  }

  /** The proven value of `key` decoded with `codec`, undefined when proven absent; throws when not read or not decodable. */
  value<T>(key: string, codec: Codec<T>): T | undefined {
    const bytes = this.bytes(key);
    return bytes === undefined ? undefined : decode(codec, bytes);
  }
}

/** The state key (full, as the tree holds it) a query must have read, for `requiredKeys`. */
export const stateKey = (module: string, key: string): Uint8Array => moduleKey(module, key);
