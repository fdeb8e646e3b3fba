/**
 * Unsigned LEB128 as the canonical encoding writes lengths (always the shortest form), for
 * encoders that write into one exact-size buffer (receipts, state-tree nodes) instead of
 * going through a `Writer`.
 */
export function leb128Length(n: number): number {
  let length = 1;
  for (let v = n; v >= 0x80; v >>>= 7) length++;
  return length;
}

/** Writes `n` at `offset` and returns the offset after it. */
export function writeLeb128(out: Uint8Array, offset: number, n: number): number {
  let v = n;
  let at = offset;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}
