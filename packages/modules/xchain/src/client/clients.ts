import type { HashAlgorithm } from '@pujiang/crypto';
import { validatorSetStateKey } from '@pujiang/module-governance';
import {
  type ChainClient,
  encodePayload,
  heightArgument,
  invalidArgument,
  objectArgument,
  queryTyped,
  type RequestOptions,
  type SendTransactionReturnType,
  stringArgument,
  toU64,
  type U64Like,
} from '@pujiang/module-kit';
import { certificateFromJson, encodeCertificate, headerFromJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import {
  ApplyRecovery,
  CLIENT_ID,
  CreateClient,
  ProveState,
  type Submission,
  SubmitMisbehaviour,
  UpdateClient,
  type Validator,
} from '../formats.js';
import {
  clientQueryContract,
  consensusQueryContract,
  provenQueryContract,
  sectorsQueryContract,
} from '../schemas.js';
import { send, type XchainSendParameters } from './send.js';

export type { XchainSendParameters } from './send.js';

function clientIdArgument(id: unknown): string {
  if (typeof id !== 'string' || !CLIENT_ID.test(id))
    throw invalidArgument('clientId must be 1-64 of [a-z0-9-]', 'clientId');
  return id;
}

/**
 * What a relayer submits for header `height` of the chain `followed` serves: the header and
 * its certificate, the validators that signed it, and governance's validator-set record read
 * under it (so the host learns the next height's set by proof). Nothing here is trusted: the
 * host chain checks it all.
 */
export async function readHeaderSubmission(
  followed: ChainClient,
  height: number,
  options?: RequestOptions,
): Promise<Submission> {
  heightArgument(height);
  const [h, v, s] = await Promise.all([
    followed.getHeader(height, options),
    followed.getValidators(height, options),
    followed.getState(validatorSetStateKey(), height, options),
  ]);
  return {
    header: headerFromJson(h.header),
    certificate: encodeCertificate(certificateFromJson(h.certificate)),
    validators: v.validators.map((x) => ({
      // The host checks the suite (the codec refuses one it does not know).
      suite: x.suite as Validator['suite'],
      publicKey: hexToBytes(x.publicKey),
      power: BigInt(x.power),
    })),
    nextValidatorsRead: utf8ToBytes(JSON.stringify({ key: s.key, value: s.value, proof: s.proof })),
  };
}

/** Creates a light client (`xchain/createClient`) trusting `trusted` (from `readHeaderSubmission`). */
export function createLightClient(
  client: ChainClient,
  p: XchainSendParameters & {
    clientId: string;
    chainId: string;
    chainHash: HashAlgorithm;
    trustingPeriodMs: U64Like;
    maxClockDriftMs: U64Like;
    trusted: Submission;
  },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(CreateClient, {
    clientId: clientIdArgument(p.clientId),
    chainId: stringArgument(p.chainId, 'chainId'),
    chainHash: p.chainHash,
    trustingPeriodMs: toU64(p.trustingPeriodMs, 'trustingPeriodMs'),
    maxClockDriftMs: toU64(p.maxClockDriftMs, 'maxClockDriftMs'),
    trusted: objectArgument(p.trusted, 'trusted'),
  });
  return send(client, p, 'createClient', payload);
}

/** Moves a light client to a newer header (`xchain/updateClient`). */
export function updateLightClient(
  client: ChainClient,
  p: XchainSendParameters & { clientId: string; header: Submission },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(UpdateClient, {
    clientId: clientIdArgument(p.clientId),
    header: objectArgument(p.header, 'header'),
  });
  return send(client, p, 'updateClient', payload);
}

/** Submits two certified headers of one height (`xchain/submitMisbehaviour`): the client freezes. */
export function submitMisbehaviour(
  client: ChainClient,
  p: XchainSendParameters & { clientId: string; a: Submission; b: Submission },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(SubmitMisbehaviour, {
    clientId: clientIdArgument(p.clientId),
    a: objectArgument(p.a, 'a'),
    b: objectArgument(p.b, 'b'),
  });
  return send(client, p, 'submitMisbehaviour', payload);
}

/** Applies the recovery governance approved for a client (`xchain/applyRecovery`). */
export function applyLightClientRecovery(
  client: ChainClient,
  p: XchainSendParameters & { clientId: string },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const payload = encodePayload(ApplyRecovery, { clientId: clientIdArgument(p.clientId) });
  return send(client, p, 'applyRecovery', payload);
}

/** A light client's state on the host chain, or null. */
export async function getLightClient(client: ChainClient, clientId: string, options?: RequestOptions) {
  return (await queryTyped(client, clientQueryContract, { id: clientIdArgument(clientId) }, options)).result
    .client;
}

/** What a light client keeps of the header of `height`, or null. */
export async function getLightClientConsensusState(
  client: ChainClient,
  clientId: string,
  height: number,
  options?: RequestOptions,
) {
  const at = String(heightArgument(height));
  return (await queryTyped(client, consensusQueryContract, { id: clientIdArgument(clientId), at }, options))
    .result.consensusState;
}

/**
 * Proves a key of the followed chain on the host (`xchain/proveState`): its value (or its
 * absence) under header `height`, which the host's client must hold. `followed` serves the
 * proof; the host checks it against the header's state root.
 */
export async function proveForeignState(
  host: ChainClient,
  followed: ChainClient,
  p: XchainSendParameters & { clientId: string; stateKey: Uint8Array | string; height: number },
): Promise<SendTransactionReturnType> {
  objectArgument(p, 'parameters');
  const clientId = clientIdArgument(p.clientId);
  const height = heightArgument(p.height);
  const stateKey = p.stateKey;
  if (
    !(stateKey instanceof Uint8Array) &&
    (typeof stateKey !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(stateKey))
  )
    throw invalidArgument('stateKey must be bytes or hex', 'stateKey');
  const s = await followed.getState(stateKey, height);
  const read = utf8ToBytes(JSON.stringify({ key: s.key, value: s.value, proof: s.proof }));
  const { stateKey: _stateKey, height: _height, clientId: _id, ...rest } = p;
  return send(
    host,
    rest,
    'proveState',
    encodePayload(ProveState, { clientId, height: BigInt(height), read }),
  );
}

/** A key of the followed chain proven on the host: its height there and the value (null: proven absent), or null. */
export async function getProvenState(
  client: ChainClient,
  clientId: string,
  key: Uint8Array | string,
  options?: RequestOptions,
) {
  const hex = typeof key === 'string' ? key.toLowerCase() : key instanceof Uint8Array ? bytesToHex(key) : '';
  if (!/^([0-9a-f]{2})+$/.test(hex)) throw invalidArgument('key must be bytes or hex', 'key');
  return (
    await queryTyped(client, provenQueryContract, { id: clientIdArgument(clientId), key: hex }, options)
  ).result.proven;
}

/** The sector chains the main chain's governance registered, with each one's last checkpoint height. */
export async function getSectors(client: ChainClient, options?: RequestOptions) {
  return (await queryTyped(client, sectorsQueryContract, {}, options)).result.sectors;
}
