import { decode } from '@pujiang/codec';
import { defineQuery } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { IssuanceAnchor, issuedKey } from '../formats.js';
import { resolveDidState } from '../resolution.js';
import { IssuanceQuery, ResolveQuery } from '../schemas.js';

export const resolveQuery = defineQuery({
  ...ResolveQuery,
  run: (read, { did, versionId, versionTime, atHeight }) => ({
    state:
      resolveDidState(read, did, did.slice(did.lastIndexOf(':') + 1), {
        ...(versionId === undefined ? {} : { versionId }),
        ...(versionTime === undefined ? {} : { versionTime: BigInt(versionTime) }),
        ...(atHeight === undefined ? {} : { atHeight: BigInt(atHeight) }),
      }) ?? null,
  }),
});

export const issuanceQuery = defineQuery({
  ...IssuanceQuery,
  run: (read, { digest }) => {
    const bytes = read(issuedKey(digest));
    if (!bytes) return { anchor: null };
    const a = decode(IssuanceAnchor, bytes);
    return {
      anchor: {
        digest,
        height: String(a.height),
        time: String(a.time),
        txHash: bytesToHex(a.txHash),
        sender: bytesToHex(a.sender),
      },
    };
  },
});
