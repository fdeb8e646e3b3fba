/**
 * Requests signed by a member (HTTP Message Signatures, RFC 9421): what a signature covers
 * (the node's authority too, so a request signed for one node is refused by another) and carries, shared by the SDK that signs and the node that checks. The signature is
 * labelled `pujiang`; `keyid` is the member's address (hex) and `alg` its suite (`ed25519`
 * as RFC 9421 registers it; `sm2`, `secp256k1`, `ml-dsa-65` and the hybrids by their suite
 * names); a request with a body also covers `content-digest` (RFC 9530, `sha-256`).
 */
export const SIGNED_REQUEST = {
  label: 'pujiang',
  components: ['@method', '@authority', '@path', '@query'],
  bodyComponent: 'content-digest',
  params: ['created', 'nonce', 'keyid', 'alg'],
  /** How old a signature may be, and how far ahead of the node's clock its `created` may lie. */
  maxAgeSeconds: 300,
  clockSkewSeconds: 30,
} as const;

/** What a members-only node answers for a read it will not serve (401: who are you; 403: not you). */
export const READ_AUTH_ERRORS = {
  API_UNAUTHENTICATED: 'the node serves members only: sign the request (RFC 9421) with a registered key',
  API_SIGNATURE_MALFORMED: 'the Signature or Signature-Input header is malformed or lacks a required part',
  API_SIGNATURE_INVALID: "the signature does not verify under the member's registered key",
  API_SIGNATURE_EXPIRED: 'the signature is older than 5 minutes, or dated in the future',
  API_SIGNATURE_REPLAYED: "the signature's nonce was seen before",
  API_FORBIDDEN: 'the signer is not a valid member, or may not read this',
} as const;
export type ReadAuthErrorCode = keyof typeof READ_AUTH_ERRORS;
