// Types for the Digital Bazaar and JSON-LD libraries this package uses (they ship none):
// only what this package calls, loosely typed at the boundary and checked by our own code.
declare module '@digitalbazaar/vc' {
  export function issue(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function verifyCredential(options: Record<string, unknown>): Promise<VerifyResult>;
  export function verify(options: Record<string, unknown>): Promise<VerifyResult>;
  export function createPresentation(options: Record<string, unknown>): Record<string, unknown>;
  export function signPresentation(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  export interface VerifyResult {
    verified: boolean;
    error?: Error & { errors?: Error[] };
    results?: { verified: boolean; error?: Error; proof?: unknown }[];
    presentationResult?: VerifyResult;
    credentialResults?: VerifyResult[];
  }
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: Record<string, unknown>);
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: Cryptosuite;
  interface Cryptosuite {
    name: string;
    requiredAlgorithm: string | string[];
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<unknown>;
    createVerifyData?: (options: Record<string, unknown>) => Promise<Uint8Array>;
  }
}
declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite').Cryptosuite;
}
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>;
}
declare module 'did-context' {
  export const contexts: Map<string, object>;
}
declare module 'jsonld' {
  const jsonld: {
    toRDF(input: unknown, options: Record<string, unknown>): Promise<unknown>;
    expand(input: unknown, options: Record<string, unknown>): Promise<unknown[]>;
  };
  export default jsonld;
}
declare module 'rdf-canonize' {
  export function canonize(dataset: unknown, options: Record<string, unknown>): Promise<string>;
}
declare module 'jsonld-signatures' {
  const jsigs: {
    verify(
      document: unknown,
      options: Record<string, unknown>,
    ): Promise<import('@digitalbazaar/vc').VerifyResult>;
    purposes: {
      AuthenticationProofPurpose: new (options: { challenge: string; domain?: string }) => unknown;
    };
  };
  export default jsigs;
}
