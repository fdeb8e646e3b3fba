import { listArgument } from '@pujiang/module-kit';
import { hexToBytes, invalidArgument, PujiangError } from '@pujiang/types';
import { hexArgument, idArgument, intArgument, recordArgument, textArgument } from '../arguments.js';
import { partialContext } from '../contexts.js';
import { lagrangeAtZero, shareCommitment } from '../crypto/dkg.js';
import { decodePoint, G, IDENTITY, type Point, times } from '../crypto/group.js';
import { verifyEqualLogs } from '../crypto/proofs.js';

/**
 * Threshold decryption checked off chain: each partial decryption against its member's
 * verification key (from the epoch's public joint commitments), and any t of them combined.
 * A partial that does not verify is refused naming its member, before anything is combined.
 */
export interface PartialDecryptionJson {
  /** The member's 1-based index in the epoch. */
  readonly member: number;
  /** D_j = s_j·H, hex. */
  readonly share: string;
  /** The Chaum-Pedersen proof, hex (64 bytes). */
  readonly proof: string;
}

export interface CombinedDecryption {
  /** Σ λ_j·D_j = s·H. */
  readonly combined: Point;
  /** The members whose partials were used. */
  readonly members: readonly number[];
}

export function verifyPartial(p: {
  readonly chainId: string;
  readonly request: string;
  /** The epoch's joint commitments, hex. */
  readonly commitments: readonly string[];
  /** The point decrypted (the request's blinded c1), hex. */
  readonly base: string;
  readonly partial: PartialDecryptionJson;
}): boolean {
  checkRequestShape(p);
  const partial = recordArgument<PartialDecryptionJson>(p.partial, 'partial');
  intArgument(partial.member, 'partial.member', 1, 32);
  hexArgument(partial.share, 'partial.share', 32);
  hexArgument(partial.proof, 'partial.proof', 64);
  try {
    const commitments = p.commitments.map((c, k) => decodePoint(hexToBytes(c), `commitments[${k}]`));
    const key = shareCommitment(commitments, p.partial.member);
    const base = decodePoint(hexToBytes(p.base), 'base');
    const share = decodePoint(hexToBytes(p.partial.share), 'share');
    const context = partialContext(p.chainId, p.request, p.partial.member);
    return verifyEqualLogs(G, key, base, share, hexToBytes(p.partial.proof), context);
  } catch {
    return false;
  }
}

/**
 * Combines t verified partials (`SDK_VERIFICATION_FAILED`: check `partial` naming the first
 * bad one's member; check `threshold` for fewer than t, since t-1 shares determine nothing).
 */
export function combinePartials(p: {
  readonly chainId: string;
  readonly request: string;
  readonly commitments: readonly string[];
  readonly base: string;
  readonly threshold: number;
  readonly partials: readonly PartialDecryptionJson[];
}): CombinedDecryption {
  checkRequestShape(p);
  intArgument(p.threshold, 'threshold', 1, 32);
  listArgument(p.partials as PartialDecryptionJson[], 'partials');
  for (const partial of p.partials)
    if (!verifyPartial({ ...p, partial }))
      throw new PujiangError(
        'SDK_VERIFICATION_FAILED',
        `the partial decryption of member ${partial.member} is wrong`,
        {
          check: 'partial',
          member: partial.member,
        },
      );
  const members = [...new Set(p.partials.map((x) => x.member))].slice(0, p.threshold);
  if (members.length < p.threshold)
    throw new PujiangError(
      'SDK_VERIFICATION_FAILED',
      `${members.length} of the ${p.threshold} partials needed`,
      {
        check: 'threshold',
        have: members.length,
        need: p.threshold,
      },
    );
  let combined = IDENTITY;
  for (const member of members) {
    const partial = p.partials.find((x) => x.member === member) as PartialDecryptionJson;
    combined = combined.add(
      times(decodePoint(hexToBytes(partial.share), 'share'), lagrangeAtZero(members, member)),
    );
  }
  return { combined, members };
}

function checkRequestShape(p: unknown): void {
  const r = recordArgument<{ chainId: unknown; request: unknown; commitments: unknown; base: unknown }>(
    p,
    'parameters',
  );
  textArgument(r.chainId, 'chainId', 128);
  idArgument(r.request, 'request');
  const commitments = listArgument(r.commitments as string[], 'commitments');
  if (commitments.length === 0 || commitments.length > 32)
    throw invalidArgument('commitments has 1 to 32 points', 'commitments');
  for (const [k, c] of commitments.entries()) hexArgument(c, `commitments[${k}]`, 32);
  hexArgument(r.base, 'base', 32);
}
