// The Ed25519 suite: the rule in ed25519-rules.ts, the implementation chosen by the
// package's `#ed25519` import (node:crypto under Node, @noble/curves under `browser`).

export { ed25519 } from '#ed25519';
export {
  ED25519_PKCS8_PREFIX,
  ED25519_SPKI_PREFIX,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
  SMALL_ORDER_ENCODINGS,
} from './ed25519-rules.js';
