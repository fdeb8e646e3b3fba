import { bytes, decode, encode, fixedBytes, struct, union } from '@pujiang/codec';
import type { TreeNode } from './tree.js';

/** The canonical encoding of a tree node, for stores that keep nodes as bytes. */
const NodeCodec = union('StateNode', {
  leaf: struct('Leaf', { path: fixedBytes(32), key: bytes({ max: 1 << 16 }), value: bytes() }),
  internal: struct('Internal', { left: fixedBytes(32), right: fixedBytes(32) }),
});

export function encodeNode(node: TreeNode): Uint8Array {
  return node.kind === 'leaf'
    ? encode(NodeCodec, { type: 'leaf', value: { path: node.path, key: node.key, value: node.value } })
    : encode(NodeCodec, { type: 'internal', value: { left: node.left, right: node.right } });
}

export function decodeNode(bytes: Uint8Array): TreeNode {
  const n = decode(NodeCodec, bytes);
  return n.type === 'leaf' ? { kind: 'leaf', ...n.value } : { kind: 'internal', ...n.value };
}
