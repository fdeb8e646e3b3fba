import type { KeyPair } from '@pujiang/crypto';
import {
  anchorIssuance,
  BUNDLED_CONTEXTS,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  fromJwk,
  fromMultibase,
  type IssuerKey,
  issueCredential,
  type JsonObject,
  proofDigest,
  resolveDid,
  toMultibase,
} from '@pujiang/module-did/client';
import {
  type ChainClient,
  keyPairArgument,
  objectArgument,
  parseAddress,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes, invalidArgument } from '@pujiang/types';
import { documentCredential, fileDigest } from '../credential.js';
import { type DocumentType, documentIdHex } from '../formats.js';
import {
  type DocsSendParameters,
  didArgument,
  numberArgument,
  registerDocument,
  typeArgument,
} from './registry.js';

export interface IssueDocumentParameters extends DocsSendParameters {
  /** The agency's chain key: an assertion method of its DID (to sign) that may act for it (to register). */
  key: KeyPair;
  /** The agency's did:pujiang DID. */
  issuer: string;
  type: DocumentType;
  /** The subject's DID (the licensee, the shipper, the exporter). */
  subject: string;
  /** The document's own number (unique per issuer and type). */
  number: string;
  /** The document's claims (JSON), under the subject. */
  claims?: Record<string, unknown>;
  /** The attached file's bytes: its SHA-256 goes in the credential and the registry, and is notarized. */
  file?: Uint8Array;
  fileName?: string;
  mediaType?: string;
  /** A transferable document's first holder (a member's address). */
  holder?: string;
  validFrom?: Date;
  validUntil?: Date;
}

export interface IssueDocumentReturnType {
  /** The document's id in the registry. */
  readonly id: string;
  /** The signed credential: give it to the subject or holder. */
  readonly credential: JsonObject;
  /** The `did/anchor` transaction that dates the proof. */
  readonly anchored: SendTransactionReturnType;
  /** The `docs/register` transaction. */
  readonly registered: SendTransactionReturnType;
}

/** The verification method of `issuer` holding `key` among its assertion methods, as an issuer key. */
async function issuerKeyOf(client: ChainClient, issuer: string, key: KeyPair): Promise<IssuerKey> {
  const own = didKeyOfChainKey(key.publicKey);
  if (!own || (own.algorithm !== 'Ed25519' && own.algorithm !== 'SM2'))
    throw invalidArgument('the key must be an ed25519 or sm2 key', 'key');
  const state = await resolveDid(client, issuer);
  if (!state || state.deactivated)
    throw invalidArgument(`${issuer} does not exist or is deactivated`, 'issuer');
  const doc = state.document;
  const mine = toMultibase(own);
  for (const ref of doc.assertionMethod ?? []) {
    const fragment = ref.slice(ref.indexOf('#') + 1);
    const method = doc.verificationMethod?.find((m) => m.id.endsWith(`#${fragment}`));
    if (!method) continue;
    const k = method.publicKeyMultibase
      ? fromMultibase(method.publicKeyMultibase)
      : fromJwk(method.publicKeyJwk);
    if (toMultibase(k) === mine)
      return {
        verificationMethod: `${issuer}#${fragment}`,
        algorithm: own.algorithm,
        secretKey: key.secretKey.bytes,
      };
  }
  throw invalidArgument(`the key is not an assertion method of ${issuer}`, 'key');
}

/**
 * Issues a document in one call: signs its credential with the agency's key (a W3C VC of the
 * document's type, the file's SHA-256 in it), anchors the proof (`did/anchor`, which dates
 * it), and registers the document (`docs/register`, which notarizes the file). The onboarding
 * step issues a `BusinessLicence` this way.
 */
export async function issueDocument(
  client: ChainClient,
  p: IssueDocumentParameters,
): Promise<IssueDocumentReturnType> {
  objectArgument(p, 'parameters');
  const key = keyPairArgument(p.key, 'key');
  const issuer = didArgument(p.issuer, 'issuer');
  if (!issuer.startsWith('did:pujiang:')) throw invalidArgument('issuer is a did:pujiang DID', 'issuer');
  const type = typeArgument(p.type);
  const subject = didArgument(p.subject, 'subject');
  const number = numberArgument(p.number);
  if (p.file !== undefined && !(p.file instanceof Uint8Array)) throw invalidArgument('file is bytes', 'file');
  for (const name of ['fileName', 'mediaType'] as const)
    if (p[name] !== undefined && (typeof p[name] !== 'string' || p[name]!.length > 256))
      throw invalidArgument(`${name} is a string of at most 256 characters`, name);
  for (const name of ['validFrom', 'validUntil'] as const)
    if (p[name] !== undefined && (!(p[name] instanceof Date) || Number.isNaN(p[name]!.getTime())))
      throw invalidArgument(`${name} is a Date`, name);
  if (p.holder !== undefined) parseAddress(p.holder, 'holder');
  const digest = p.file === undefined ? undefined : fileDigest(p.file);
  const id = documentIdHex(issuer, type, number);
  const unsigned = documentCredential({
    id: `urn:pujiang:docs:${id}`,
    issuer,
    type,
    subject,
    number,
    ...(p.claims === undefined ? {} : { claims: p.claims }),
    ...(digest
      ? {
          file: {
            digest,
            ...(p.mediaType ? { mediaType: p.mediaType } : {}),
            ...(p.fileName ? { name: p.fileName } : {}),
          },
        }
      : {}),
    ...(p.validFrom ? { validFrom: p.validFrom } : {}),
    ...(p.validUntil ? { validUntil: p.validUntil } : {}),
  }) as JsonObject;
  const issuerKey = await issuerKeyOf(client, issuer, key);
  // Signing needs only the bundled contexts; the DID was checked above against the node's state.
  const loader = documentLoader(BUNDLED_CONTEXTS, didResolver({}));
  const credential = await issueCredential({ credential: unsigned, key: issuerKey, loader });
  const credentialDigest = proofDigest(String((credential.proof as JsonObject).proofValue));
  const {
    issuer: _i,
    type: _t,
    subject: _s,
    number: _n,
    claims: _c,
    file: _f,
    fileName: _fn,
    mediaType: _m,
    holder: _h,
    validFrom: _vf,
    validUntil: _vu,
    ...send
  } = p;
  // The anchor is committed first: the registration names a proof the chain has dated.
  const anchored = await anchorIssuance(client, {
    ...send,
    wait: true,
    throwOnFailure: true,
    digests: [hexToBytes(credentialDigest)],
  });
  const registered = await registerDocument(client, {
    ...send,
    type,
    issuer,
    subject,
    number,
    credentialDigest,
    ...(digest ? { fileDigest: bytesToHex(digest) } : {}),
    ...(p.holder === undefined ? {} : { holder: p.holder }),
  });
  return { id, credential, anchored, registered };
}
