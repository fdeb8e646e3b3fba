import { encode } from '@pujiang/codec';
import { defineRoute, type RouteHost, type RouteInput, RouteReply, Type } from '@pujiang/module-kit';
import { hexToBytes, isPujiangError } from '@pujiang/types';
import { base64urlnopad } from '@scure/base';
import { gzipSync } from 'fflate';
import { BUNDLED_CONTEXTS, VC_V2_CONTEXT } from '../credentials/contexts.js';
import { isUrl, type JsonObject } from '../credentials/data-model.js';
import { CredentialError } from '../credentials/errors.js';
import { issueCredential } from '../credentials/issue.js';
import { documentLoader } from '../credentials/loader.js';
import { didResolver } from '../credentials/resolvers.js';
import { proofDigest } from '../credentials/verify.js';
import { SetStatus, STATUS_LIST_ID } from '../status-formats.js';
import { chainOf, configOf, issuerSender, problem, problemReply, unauthorized } from './vc-api.js';

/**
 * Status lists over HTTP: `GET /credentials/status/{list}` serves a list kept on the chain as
 * a BitstringStatusListCredential (GZIP, multibase base64url), signed by its issuer's key
 * when this node holds it; `POST /credentials/status` (VC-API, bearer token) revokes,
 * suspends or reinstates credentials by their status entries, with the issuer's key.
 */
/** Signed (and anchored) list credentials, by list, kept until the list's bits change. */
const signed = new WeakMap<RouteHost, Map<string, { bits: string; credential: JsonObject }>>();

async function serveList(host: RouteHost, input: RouteInput): Promise<RouteReply> {
  const id = input.path.list!;
  const notFound = (message: string) =>
    problem(404, new CredentialError('VC_STATUS_RETRIEVAL', 'credentialStatus', message));
  if (!STATUS_LIST_ID.test(id)) return notFound(`${id} is not a status list id`);
  const { list } = host.query('did', 'statusList', { list: id }) as {
    list: { issuer: string; purpose: string; size: number; bits: string } | null;
  };
  if (!list) return notFound(`there is no status list ${id}`);
  const entry = configOf(host).issuers.get(list.issuer);
  if (!entry) return notFound(`this node holds no key of ${list.issuer}; ask the issuer's node`);
  // The list credential's id is the configured public URL, never one a request names (its Host).
  const publicUrl = configOf(host).publicUrl;
  if (!publicUrl) return notFound('this node serves no status lists: it has no publicUrl configured');
  const url = `${publicUrl}/credentials/status/${id}`;
  const cache = signed.get(host) ?? signed.set(host, new Map()).get(host)!;
  const cached = cache.get(id);
  if (cached && cached.bits === list.bits) return new RouteReply(200, cached.credential, 'application/vc');
  const credential = await issueCredential({
    credential: {
      '@context': [VC_V2_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: list.issuer,
      validFrom: `${new Date().toISOString().slice(0, 19)}Z`,
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: list.purpose,
        encodedList: `u${base64urlnopad.encode(gzipSync(hexToBytes(list.bits)))}`,
      },
    },
    key: entry.key,
    loader: documentLoader(BUNDLED_CONTEXTS, didResolver({ chain: chainOf(host) })),
  });
  // Anchored like every credential of a did:pujiang issuer, so verifiers can date it.
  await issuerSender(host, list.issuer).anchors.anchor(
    proofDigest(String((credential.proof as JsonObject).proofValue)),
  );
  cache.set(id, { bits: list.bits, credential });
  return new RouteReply(200, credential, 'application/vc');
}

const STATUS_VALUES: Record<string, boolean> = {
  revoked: true,
  suspended: true,
  active: false,
  reinstated: false,
};

async function updateStatus(host: RouteHost, input: RouteInput): Promise<RouteReply> {
  const denied = unauthorized(host, input);
  if (denied) return denied;
  const body = input.body as JsonObject;
  const bad = (message: string) =>
    problem(400, new CredentialError('VC_BAD_REQUEST', 'credentialStatus', message));
  if (typeof body !== 'object' || body === null)
    return bad('the body is {"credentialStatus": [...], "status": "revoked"|"suspended"|"active"}');
  const value = typeof body.status === 'boolean' ? body.status : STATUS_VALUES[String(body.status)];
  if (value === undefined) return bad('status must be revoked, suspended, active (or true/false)');
  const entries = Array.isArray(body.credentialStatus) ? body.credentialStatus : [body.credentialStatus];
  if (entries.length === 0 || entries.length > 256) return bad('name 1 to 256 status entries');
  const byList = new Map<string, { index: number; value: boolean }[]>();
  for (const e of entries as JsonObject[]) {
    const url = e?.statusListCredential;
    const list = isUrl(url) ? /\/credentials\/status\/([a-z0-9][a-z0-9-]{0,63})$/.exec(url)?.[1] : undefined;
    const index =
      typeof e?.statusListIndex === 'string' && /^(0|[1-9][0-9]{0,8})$/.test(e.statusListIndex)
        ? Number(e.statusListIndex)
        : undefined;
    if (!list || index === undefined)
      return bad('each entry needs a statusListCredential of this chain and a statusListIndex');
    byList.set(list, [...(byList.get(list) ?? []), { index, value }]);
  }
  let height = 0n;
  try {
    for (const [list, updates] of byList) {
      const { entry } = host.query('did', 'statusEntry', { list, index: '0' }) as {
        entry: { issuer: string } | null;
      };
      if (!entry)
        return problem(
          404,
          new CredentialError('VC_STATUS_RETRIEVAL', 'credentialStatus', `there is no status list ${list}`),
        );
      const forbidden = unauthorized(host, input, entry.issuer);
      if (forbidden) return forbidden;
      if (!configOf(host).issuers.has(entry.issuer))
        return problem(
          400,
          new CredentialError('VC_UNKNOWN_ISSUER', 'issuer', `this node holds no key of ${entry.issuer}`),
        );
      ({ height } = await issuerSender(host, entry.issuer).sender.send(
        'setStatus',
        encode(SetStatus, { list, updates }),
      ));
    }
  } catch (error) {
    if (isPujiangError(error)) return problem(400, error);
    throw error;
  }
  return new RouteReply(200, { updated: entries.length, height: String(height) });
}

export const statusRoutes = [
  defineRoute({
    method: 'GET',
    path: '/credentials/status/{list}',
    wellKnown: true,
    // Public by design, even where a node's reads are members-only.
    public: true,
    summary:
      "A status list on the chain as a BitstringStatusListCredential, signed by its issuer's key (when this node holds it)",
    response: Type.Record(Type.String(), Type.Unknown()),
    errors: ['VC_STATUS_RETRIEVAL'],
    replies: {
      200: {
        description: 'The BitstringStatusListCredential',
        schema: Type.Record(Type.String(), Type.Unknown()),
        mediaTypes: ['application/vc'],
      },
      404: problemReply('VC_STATUS_RETRIEVAL: no such list, or this node does not serve it'),
    },
    handle: (host, input) => serveList(host, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/credentials/status',
    wellKnown: true,
    bearer: true,
    summary:
      'W3C VC-API: revoke, suspend or reinstate credentials by their status entries (bearer token; the issuer key signs the change)',
    body: Type.Unknown(),
    response: Type.Object({ updated: Type.Integer(), height: Type.String() }),
    replies: {
      200: {
        description: 'Changed on chain',
        schema: Type.Object({ updated: Type.Integer(), height: Type.String() }),
      },
      400: problemReply('VC_BAD_REQUEST or VC_UNKNOWN_ISSUER, or the change failed'),
      401: problemReply('VC_UNAUTHORIZED: no bearer token this node accepts'),
      403: problemReply('VC_FORBIDDEN: the token may not act for the list issuer'),
      404: problemReply('VC_STATUS_RETRIEVAL: no such status list'),
    },
    errors: [
      'VC_UNAUTHORIZED',
      'VC_BAD_REQUEST',
      'VC_UNKNOWN_ISSUER',
      'VC_STATUS_RETRIEVAL',
      'DID_NOT_AUTHORIZED',
      'DID_STATUS_RANGE',
    ],
    handle: (host, input) => updateStatus(host, input),
  }),
];
