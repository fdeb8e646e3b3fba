export type { CodecErrorCode } from './errors.js';
export { CodecError } from './errors.js';
export { MAX_LENGTH_PREFIX, Reader, Writer } from './io.js';
export { leb128Length, writeLeb128 } from './leb128.js';
export type { Codec, Infer, LimitOptions, StructValue, UnionValue } from './schema.js';
export {
  bool,
  bytes,
  decode,
  encode,
  fixedBytes,
  list,
  literals,
  map,
  optional,
  string,
  struct,
  u8,
  u16,
  u32,
  u64,
  union,
} from './schema.js';
