import { bytes, decode, encode, fixedBytes, type Infer, string, struct, union } from '@pujiang/codec';
import { MAX_VALUE_BYTES, SALT_BYTES } from '../formats.js';

/**
 * What collection members' nodes send each other (inside the sealed peer links): a value
 * with its salt, to the member organizations' nodes only; and a request for a value a node
 * missed (it was down, or joined later), answered only to member organizations' nodes.
 */
export const CollectionMessage = union('CollectionMessage', {
  data: struct('PrivateData', {
    collection: string({ max: 64 }),
    key: string({ max: 128 }),
    salt: fixedBytes(SALT_BYTES),
    value: bytes({ max: MAX_VALUE_BYTES }),
  }),
  want: struct('WantPrivateData', {
    collection: string({ max: 64 }),
    key: string({ max: 128 }),
    hash: fixedBytes(32),
  }),
});
export type CollectionMessage = Infer<typeof CollectionMessage>;

export const encodeMessage = (m: CollectionMessage): Uint8Array => encode(CollectionMessage, m);

export function decodeMessage(payload: Uint8Array): CollectionMessage | undefined {
  try {
    return decode(CollectionMessage, payload);
  } catch {
    return undefined;
  }
}
