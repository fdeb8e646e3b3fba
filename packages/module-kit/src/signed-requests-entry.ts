// `@pujiang/module-kit/signed-requests`: requests signed by a member (RFC 9421), signing and
// checking. Its own entry: the library it uses needs node:crypto, which browser bundles of
// the kit's main entry must not pull in.
export type { SignedRequestInput, SignerLookup } from './request-verifier.js';
export { SignedRequestError, SignedRequestVerifier } from './request-verifier.js';
export type { RequestSigner } from './signed-requests.js';
export { requestSigner, signatureHeaders } from './signed-requests.js';
