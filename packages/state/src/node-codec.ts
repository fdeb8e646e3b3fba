import { bytes, decode, encode, fixedBytes, leb128Length, struct, union, writeLeb128 } from '@pujiang/codec';
import type { TreeNode } from './tree.js';

/** The canonical encoding of a tree node, for stores that keep nodes as bytes. */
const NodeCodec = union('StateNode', {
  leaf: struct('Leaf', { path: fixedBytes(32), key: bytes({ max: 1 << 16 }), value: bytes() }),
  internal: struct('Internal', { left: fixedBytes(32), right: fixedBytes(32) }),
});

/** The codec's encoding; `encodeNode` must always equal it. */
export function encodeNodeWithCodec(node: TreeNode): Uint8Array {
  return node.kind === 'leaf'
    ? encode(NodeCodec, { type: 'leaf', value: { path: node.path, key: node.key, value: node.value } })
    : encode(NodeCodec, { type: 'internal', value: { left: node.left, right: node.right } });
}

const INTERNAL = 1; // variant indexes follow the union's declaration order
const LEAF = 0;

/**
 * A node's canonical encoding, written directly: every block stores thousands of nodes, and
 * this skips the generic codec's walk. Unusual input (a wrong hash length, a key over the
 * limit) goes through the codec, which refuses it with a typed error.
 */
export function encodeNode(node: TreeNode): Uint8Array {
  if (node.kind === 'internal') {
    if (node.left.length !== 32 || node.right.length !== 32) return encodeNodeWithCodec(node);
    const out = new Uint8Array(65);
    out[0] = INTERNAL;
    out.set(node.left, 1);
    out.set(node.right, 33);
    return out;
  }
  if (node.path.length !== 32 || node.key.length > 1 << 16) return encodeNodeWithCodec(node);
  const { key, value } = node;
  const out = new Uint8Array(
    1 + 32 + leb128Length(key.length) + key.length + leb128Length(value.length) + value.length,
  );
  out[0] = LEAF;
  out.set(node.path, 1);
  let at = writeLeb128(out, 33, key.length);
  out.set(key, at);
  at = writeLeb128(out, at + key.length, value.length);
  out.set(value, at);
  return out;
}

export function decodeNode(bytes: Uint8Array): TreeNode {
  const n = decode(NodeCodec, bytes);
  return n.type === 'leaf' ? { kind: 'leaf', ...n.value } : { kind: 'internal', ...n.value };
}
