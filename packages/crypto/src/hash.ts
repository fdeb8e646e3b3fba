// `hash(algorithm, ...parts)`: the implementation is chosen by the package's `#hash` import,
// node:crypto under Node (hash-node.ts) and pure JS under the `browser` condition (hash-browser.ts).

export { hash } from '#hash';
export type { HashAlgorithm } from './hash-algorithms.js';
export { assertHashAlgorithm, HASH_ALGORITHMS, HASH_LENGTH } from './hash-algorithms.js';
