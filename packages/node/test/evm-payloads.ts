import { type Codec, encode } from '@pujiang/codec';
import { EvmCall } from '@pujiang/module-evm';
import { concatBytes, hexToBytes } from '@pujiang/types';

/** A payload sent as it is: the evm module parses its payloads whole. */
export const Raw: Codec<Uint8Array> = {
  kind: 'Raw',
  minSize: 0,
  write: (w, v) => w.raw(v),
  read: (r) => r.raw(r.remaining),
};

/** A native account's call (`to` empty: a deployment of `data`), as the module reads it. */
export const nativeCall = (to: string, data = '') =>
  concatBytes(
    new Uint8Array([0]),
    encode(EvmCall, { to: hexToBytes(to), value: new Uint8Array(0), data: hexToBytes(data) }),
  );
