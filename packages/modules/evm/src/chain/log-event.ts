// The `log` event's shape, which the module declares without loading the interpreter.

/** Largest log data an event carries: 32 attributes of 512 bytes (1,024 hex digits, a receipt attribute's limit). */
export const MAX_LOG_DATA = 32 * 512;
/** Hex digits per data attribute (a receipt attribute's limit). */
export const LOG_CHUNK = 1024;

/** The attributes of the `log` event: the emitting contract, its topics, and its data in chunks. */
export const LOG_ATTRIBUTES = [
  'address',
  'topics',
  ...Array.from({ length: MAX_LOG_DATA / 512 }, (_, i) => (i === 0 ? 'data' : `data${i}`)),
];
