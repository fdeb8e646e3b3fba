import { Type } from '@sinclair/typebox';

/** Schemas every module's queries and routes use for the chain's common values. */
export const Schemas = {
  /** A 21-byte address as lowercase hex. */
  address: () => Type.String({ pattern: '^[0-9a-f]{42}$', description: '21-byte address, lowercase hex' }),
  /** A 32-byte hash as lowercase hex. */
  hash32: () => Type.String({ pattern: '^[0-9a-f]{64}$', description: '32-byte hash, lowercase hex' }),
  /** Bytes as lowercase hex. */
  hex: () => Type.String({ pattern: '^([0-9a-f]{2})*$', description: 'bytes, lowercase hex' }),
  /** A u64 as a decimal string (JSON numbers lose precision past 2^53). */
  u64: () => Type.String({ pattern: '^(0|[1-9][0-9]{0,19})$', description: 'u64 as a decimal string' }),
  /** A decimal integer parameter within [min, max] (URL parameters arrive as text). */
  integer: (min: number, max: number) => Type.Integer({ minimum: min, maximum: max }),
} as const;
