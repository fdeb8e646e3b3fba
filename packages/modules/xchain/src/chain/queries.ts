import { decode } from '@pujiang/codec';
import { defineQuery } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import {
  ClientRecord,
  ConsensusRecord,
  clientKey,
  consensusKey,
  ProvenRecord,
  provenKey,
  type Validator,
} from '../formats.js';
import {
  clientQueryContract,
  consensusQueryContract,
  provenQueryContract,
  sectorsQueryContract,
} from '../schemas.js';
import { sectorsOf } from '../sectors.js';

const validatorJson = (v: Validator) => ({
  suite: v.suite,
  publicKey: bytesToHex(v.publicKey),
  power: String(v.power),
});

export const clientQuery = defineQuery({
  ...clientQueryContract,
  run: (read, { id }) => {
    const bytes = read(clientKey(id));
    if (!bytes) return { client: null };
    const r = decode(ClientRecord, bytes);
    return {
      client: {
        chainId: r.chainId,
        chainHash: r.chainHash,
        trustingPeriodMs: String(r.trustingPeriodMs),
        maxClockDriftMs: String(r.maxClockDriftMs),
        latestHeight: String(r.latestHeight),
        frozenHeight: String(r.frozenHeight),
        generation: r.generation,
      },
    };
  },
});

export const consensusQuery = defineQuery({
  ...consensusQueryContract,
  run: (read, { id, at }) => {
    const bytes = read(consensusKey(id, at));
    if (!bytes) return { consensusState: null };
    const r = decode(ConsensusRecord, bytes);
    return {
      consensusState: {
        height: at,
        hash: bytesToHex(r.hash),
        time: String(r.time),
        stateRoot: bytesToHex(r.stateRoot),
        validators: r.validators.map(validatorJson),
        nextValidators: r.nextValidators ? r.nextValidators.map(validatorJson) : null,
      },
    };
  },
});

export const provenQuery = defineQuery({
  ...provenQueryContract,
  run: (read, { id, key }) => {
    const bytes = read(provenKey(id, key));
    if (!bytes) return { proven: null };
    const r = decode(ProvenRecord, bytes);
    return { proven: { height: String(r.height), value: r.value ? bytesToHex(r.value) : null } };
  },
});

/** `xchain/sectors`: the registry governance keeps, each sector with its client's latest trusted height (its last checkpoint). */
export const sectorsQuery = defineQuery({
  ...sectorsQueryContract,
  run: (read) => ({
    sectors: sectorsOf(read).map((s) => {
      const bytes = read(clientKey(s.clientId));
      return { ...s, checkpointHeight: bytes ? String(decode(ClientRecord, bytes).latestHeight) : null };
    }),
  }),
});
