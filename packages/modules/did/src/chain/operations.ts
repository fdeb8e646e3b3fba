import { decode, encode } from '@pujiang/codec';
import type { PublicKey } from '@pujiang/crypto';
import { type MessageContext, type ModuleContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { didOf, parsePujiangDid } from '../did-syntax.js';
import { checkDocument } from '../document.js';
import {
  type AnchorIssuance,
  type CreateDid,
  type DeactivateDid,
  DidHead,
  DidVersion,
  type DocumentParts,
  headKey,
  IssuanceAnchor,
  issuedKey,
  type UpdateDid,
  versionKey,
} from '../formats.js';
import { didKeyOfChainKey, sameKey } from '../keys.js';

/** What governance's `identityOf` export answers (called by name: modules depend on capabilities, not packages). */
interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

/** Who acts: a transaction's sender and its key, in the module's context (a message's, or an export's). */
type ActingContext = ModuleContext & { readonly sender: string; readonly senderKey: PublicKey };

/** The organization the sender administers (a valid admin identity of a member), or undefined. */
function adminOrgOf(ctx: ActingContext): string | undefined {
  const identity = ctx.call('governance', 'identityOf', { address: ctx.sender }) as IdentityView | null;
  return identity?.valid && identity.role === 'admin' ? identity.org : undefined;
}

/** Whether the sender's key is one of `parts`' capabilityInvocation methods. */
function senderInvokes(ctx: ActingContext, parts: DocumentParts): boolean {
  const sender = didKeyOfChainKey(ctx.senderKey);
  if (!sender) return false;
  return parts.capabilityInvocation.some((fragment) => {
    const method = parts.methods.find((m) => m.fragment === fragment);
    return method !== undefined && sameKey(sender, { algorithm: method.algorithm, bytes: method.key });
  });
}

function writeVersion(
  ctx: MessageContext,
  uniqueId: string,
  version: number,
  deactivated: boolean,
  document: DocumentParts,
) {
  const record: DidVersion = {
    version,
    height: ctx.height,
    time: ctx.time,
    txHash: hexToBytes(ctx.txHash),
    deactivated,
    document,
  };
  ctx.set(versionKey(uniqueId, version), encode(DidVersion, record));
}

/**
 * `did/create`: the DID comes from the transaction's hash. The sender must control it (its
 * key is a capabilityInvocation method), or be an administrator of a member organization,
 * which then is its registrar.
 */
export function createDid(ctx: MessageContext, m: CreateDid): void {
  checkDocument(m.document);
  const did = didOf(ctx.chainId, hexToBytes(ctx.txHash));
  const { uniqueId } = parsePujiangDid(did)!;
  if (ctx.get(headKey(uniqueId)) !== undefined) throw moduleError('DID_EXISTS', `${did} exists`, { did });
  let registrar = '';
  if (!senderInvokes(ctx, m.document)) {
    const org = adminOrgOf(ctx);
    if (org === undefined)
      throw moduleError(
        'DID_NOT_AUTHORIZED',
        "the sender's key must be a capabilityInvocation method of the new document (or the sender an organization's administrator)",
        { did },
      );
    registrar = org;
  }
  ctx.set(headKey(uniqueId), encode(DidHead, { version: 1, deactivated: false, registrar }));
  writeVersion(ctx, uniqueId, 1, false, m.document);
  ctx.emit('created', { did, registrar });
}

/** The DID's head, checked: on this chain, existing, not deactivated, at the version the message names. */
function current(
  ctx: MessageContext,
  did: string,
  version: number,
): { uniqueId: string; head: DidHead; document: DocumentParts } {
  const parsed = parsePujiangDid(did);
  if (!parsed || parsed.namespace !== ctx.chainId)
    throw moduleError('DID_BAD_DID', `${did} is not a did:pujiang DID of this chain`, { did });
  const bytes = ctx.get(headKey(parsed.uniqueId));
  if (!bytes) throw moduleError('DID_NOT_FOUND', `${did} does not exist`, { did });
  const head = decode(DidHead, bytes);
  if (head.deactivated) throw moduleError('DID_DEACTIVATED', `${did} is deactivated`, { did });
  if (head.version !== version)
    throw moduleError('DID_VERSION_CONFLICT', `${did} is at version ${head.version}, not ${version}`, {
      did,
      current: head.version,
      named: version,
    });
  const latest = decode(DidVersion, ctx.get(versionKey(parsed.uniqueId, head.version))!);
  return { uniqueId: parsed.uniqueId, head, document: latest.document };
}

/**
 * Who may change a DID: a key of its capabilityInvocation, or of the current document of one
 * of its did:pujiang controllers (one level: a controller's own controllers do not count), or an
 * administrator of its registrar organization.
 */
function authorize(ctx: ActingContext, did: string, head: DidHead, document: DocumentParts): void {
  if (senderInvokes(ctx, document)) return;
  for (const controller of document.controllers) {
    const parsed = parsePujiangDid(controller);
    if (!parsed || parsed.namespace !== ctx.chainId) continue;
    const bytes = ctx.get(headKey(parsed.uniqueId));
    if (!bytes) continue;
    const controllerHead = decode(DidHead, bytes);
    if (controllerHead.deactivated) continue;
    const version = decode(DidVersion, ctx.get(versionKey(parsed.uniqueId, controllerHead.version))!);
    if (senderInvokes(ctx, version.document)) return;
  }
  if (head.registrar !== '' && adminOrgOf(ctx) === head.registrar) return;
  throw moduleError('DID_NOT_AUTHORIZED', `the sender may not change ${did}`, { did });
}

/** Throws `DID_NOT_AUTHORIZED` unless the sender may act for `did` (as for updating it); it must exist and be active. */
export function authorizeFor(ctx: ActingContext, did: string): void {
  const parsed = parsePujiangDid(did);
  if (!parsed || parsed.namespace !== ctx.chainId)
    throw moduleError('DID_BAD_DID', `${did} is not a did:pujiang DID of this chain`, { did });
  const bytes = ctx.get(headKey(parsed.uniqueId));
  if (!bytes) throw moduleError('DID_NOT_FOUND', `${did} does not exist`, { did });
  const head = decode(DidHead, bytes);
  if (head.deactivated) throw moduleError('DID_DEACTIVATED', `${did} is deactivated`, { did });
  const latest = decode(DidVersion, ctx.get(versionKey(parsed.uniqueId, head.version))!);
  authorize(ctx, did, head, latest.document);
}

/** `did/update`: a new version of the document, by its controller. */
export function updateDid(ctx: MessageContext, m: UpdateDid): void {
  const { uniqueId, head, document } = current(ctx, m.did, m.version);
  authorize(ctx, m.did, head, document);
  checkDocument(m.document);
  const version = head.version + 1;
  ctx.set(headKey(uniqueId), encode(DidHead, { ...head, version }));
  writeVersion(ctx, uniqueId, version, false, m.document);
  ctx.emit('updated', { did: m.did, version: String(version) });
}

/** `did/deactivate`: a last version (the same document, deactivated); the DID never changes again. */
export function deactivateDid(ctx: MessageContext, m: DeactivateDid): void {
  const { uniqueId, head, document } = current(ctx, m.did, m.version);
  authorize(ctx, m.did, head, document);
  const version = head.version + 1;
  ctx.set(headKey(uniqueId), encode(DidHead, { ...head, version, deactivated: true }));
  writeVersion(ctx, uniqueId, version, true, document);
  ctx.emit('deactivated', { did: m.did, version: String(version) });
}

/** `did/anchor`: the first anchoring of each digest stands (later ones are skipped, not errors). */
export function anchorIssuance(ctx: MessageContext, m: AnchorIssuance): void {
  if (m.digests.length === 0) throw moduleError('DID_BAD_ANCHOR', 'anchor at least one digest');
  let recorded = 0;
  for (const digest of m.digests) {
    const key = issuedKey(bytesToHex(digest));
    if (ctx.get(key) !== undefined) continue;
    const record: IssuanceAnchor = {
      height: ctx.height,
      time: ctx.time,
      txHash: hexToBytes(ctx.txHash),
      sender: hexToBytes(ctx.sender),
    };
    ctx.set(key, encode(IssuanceAnchor, record));
    recorded++;
  }
  ctx.emit('anchored', { count: String(recorded), sender: ctx.sender });
}
