export { decodeNode, encodeNode, encodeNodeWithCodec } from './node-codec.js';
export type { NodeStore, StateErrorCode, StateProof, TreeNode } from './tree.js';
export { EMPTY_ROOT, MemoryNodeStore, SparseMerkleTree } from './tree.js';
export type { ProofVerdict } from './verify.js';
export { verifyStateProof } from './verify.js';
