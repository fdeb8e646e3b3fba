import { decode } from '@pujiang/codec';
import type { CertifiedValidator, CommitCertificate } from '@pujiang/consensus';
import type { HashAlgorithm } from '@pujiang/crypto';
import { ValidatorSetRecord, validatorSetStateKey, validatorsOfRecord } from '@pujiang/module-governance';
import type { BlockHeader, BlockHeaderJson, CommitCertificateJson, StateReadJson } from '@pujiang/protocol';
import { bytesToHex, equalBytes, isPujiangError } from '@pujiang/types';
import { type CertifiedHeader, verifyHeader, verifyStateRead } from '@pujiang/verify';
import { xchainError } from './errors.js';

/**
 * A light client of another Pujiang chain, as its host chain keeps it: pure functions from the
 * stored state and what a relayer brings to the next state, or a typed refusal. The rules are
 * the Tendermint light client's, on Pujiang's certificates and validator-set records:
 *
 * - a header is accepted when its commit certificate verifies against the validators offered
 *   with it (more than 2/3 of their power), and those validators are trusted: exactly the set
 *   the client proved for that height (the next height after a trusted one), or, when the
 *   relayer skips heights, a set whose signers hold more than 1/3 of the power the client
 *   trusts (so at least one honest validator it trusts vouches for them);
 * - the set for height H+1 is proven under header H (`nextValidatorsRead`: governance's
 *   validator-set record, which a change by block k makes the set of height k+2), so the
 *   client follows changes without trusting the relayer;
 * - headers below the latest are refused (one it holds, offered again, is a no-op), headers
 *   timed beyond the host's time plus the clock drift are refused, and past the trusting
 *   period the client is expired;
 * - two certified headers of one height freeze the client (`checkMisbehaviour`); a frozen or
 *   expired client accepts nothing until governance recovers it.
 */
export interface ClientParameters {
  /** The chain followed: its id and its hash algorithm (headers hash with it). */
  readonly chainId: string;
  readonly chainHash: HashAlgorithm;
  /** How long a trusted header stays usable for the next update (ms). */
  readonly trustingPeriodMs: bigint;
  /** How far ahead of the host's time a header's time may be (ms). */
  readonly maxClockDriftMs: bigint;
}

export interface ClientState extends ClientParameters {
  readonly latestHeight: number;
  /** 0: not frozen; else the height at which two certified headers were seen. */
  readonly frozenHeight: number;
}

/** What the client keeps of each header it accepted. */
export interface ConsensusState {
  readonly height: number;
  readonly hash: string;
  readonly time: bigint;
  /** The state after block `height - 1`: proofs of the other chain's state are checked against it. */
  readonly stateRoot: Uint8Array;
  /** The set that signed this height. */
  readonly validators: readonly CertifiedValidator[];
  /** The set that signs `height + 1`, proven under this header (every submission carries the read). */
  readonly nextValidators?: readonly CertifiedValidator[];
}

/** A header a relayer submits, with the validators it says signed it. */
export interface HeaderSubmission {
  readonly header: BlockHeader | BlockHeaderJson;
  readonly certificate: CommitCertificate | CommitCertificateJson;
  readonly validators: readonly CertifiedValidator[];
  /**
   * Governance's validator-set record read under this header: the set of the next height.
   * Required: headers do not commit to their validator set, so the set a client trusts next
   * is always the proven one, never one a relayer chose.
   */
  readonly nextValidatorsRead: StateReadJson;
}

/** The host chain's view when it checks: its block time (ms). */
export interface HostClock {
  readonly now: bigint;
}

/** Powers are summed as numbers: each is bounded so sums stay exact (and a relayer cannot overflow them). */
export const MAX_VALIDATOR_POWER = 2 ** 40;
export const MAX_VALIDATORS = 1000;

/** Checks a header's certificate against the validators offered with it; refusals are the module's codes. */
function certify(p: ClientParameters, s: HeaderSubmission): CertifiedHeader {
  if (
    s.validators.length > MAX_VALIDATORS ||
    s.validators.some((v) => !Number.isSafeInteger(v.power) || v.power < 1 || v.power > MAX_VALIDATOR_POWER)
  )
    throw xchainError(
      'XCHAIN_BAD_CERTIFICATE',
      `at most ${MAX_VALIDATORS} validators, each of power 1 to 2^40`,
    );
  const chainId = (s.header as { chainId?: unknown }).chainId;
  if (chainId !== p.chainId)
    throw xchainError('XCHAIN_WRONG_CHAIN', `the header is for chain ${String(chainId)}, not ${p.chainId}`, {
      expected: p.chainId,
    });
  try {
    return verifyHeader({
      chainId: p.chainId,
      chainHash: p.chainHash,
      validators: s.validators,
      header: s.header,
      certificate: s.certificate,
    });
  } catch (error) {
    if (!isPujiangError(error)) throw error;
    throw xchainError('XCHAIN_BAD_CERTIFICATE', error.message, { check: error.details.check });
  }
}

/**
 * The set of the next height, proven under `header`. An absent record means the set never
 * changed: it is the set the client already trusts (`unchanged`), never the one offered with
 * the header, which a relayer chose.
 */
function provenNextValidators(
  certified: CertifiedHeader,
  read: StateReadJson | undefined,
  unchanged: readonly CertifiedValidator[],
): readonly CertifiedValidator[] {
  if (read === undefined)
    throw xchainError(
      'XCHAIN_BAD_PROOF',
      "a header comes with governance's validator-set record read under it",
    );
  let value: Uint8Array | undefined;
  try {
    value = verifyStateRead(read, certified, validatorSetStateKey()).value;
  } catch (error) {
    if (!isPujiangError(error)) throw error;
    throw xchainError('XCHAIN_BAD_PROOF', `the validator-set proof: ${error.message}`, {
      check: error.details.check,
    });
  }
  if (value === undefined) return unchanged;
  try {
    return validatorsOfRecord(decode(ValidatorSetRecord, value)).map(({ publicKey, power }) => ({
      publicKey,
      power,
    }));
  } catch {
    throw xchainError('XCHAIN_BAD_PROOF', 'the proven validator-set record does not decode');
  }
}

const keyOf = (v: CertifiedValidator) => `${v.publicKey.suite}:${bytesToHex(v.publicKey.bytes)}`;

function sameSet(a: readonly CertifiedValidator[], b: readonly CertifiedValidator[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (v, i) =>
        v.power === b[i]!.power &&
        v.publicKey.suite === b[i]!.publicKey.suite &&
        equalBytes(v.publicKey.bytes, b[i]!.publicKey.bytes),
    )
  );
}

/** Whether the certificate's signers hold more than 1/3 of `trusted`'s power (matched by key). */
function trustedSignersSuffice(
  certificate: CommitCertificate,
  offered: readonly CertifiedValidator[],
  trusted: readonly CertifiedValidator[],
): boolean {
  const power = new Map(trusted.map((v) => [keyOf(v), v.power]));
  const total = trusted.reduce((sum, v) => sum + v.power, 0);
  const counted = new Set<string>();
  let signed = 0;
  for (const { message } of certificate.precommits) {
    const validator = offered[message.validator];
    if (!validator) continue;
    const key = keyOf(validator);
    if (counted.has(key)) continue;
    counted.add(key);
    signed += power.get(key) ?? 0;
  }
  return 3 * signed > total;
}

function checkUsable(client: ClientState, latest: ConsensusState, clock: HostClock): void {
  if (client.frozenHeight > 0)
    throw xchainError('XCHAIN_CLIENT_FROZEN', undefined, { frozenHeight: client.frozenHeight });
  if (clock.now - latest.time > client.trustingPeriodMs)
    throw xchainError('XCHAIN_CLIENT_EXPIRED', undefined, {
      latestHeight: latest.height,
      latestTime: String(latest.time),
    });
}

/** What the client keeps of an accepted header; `trusted` is the set it trusts when no change is recorded. */
function consensusOf(
  certified: CertifiedHeader,
  s: HeaderSubmission,
  trusted: readonly CertifiedValidator[],
): ConsensusState {
  return {
    height: certified.height,
    hash: certified.hash,
    time: certified.header.time,
    stateRoot: certified.header.stateRoot,
    validators: s.validators,
    nextValidators: provenNextValidators(certified, s.nextValidatorsRead, trusted),
  };
}

/**
 * A new client, trusting the header its creator offers (and the validators offered with it:
 * the creator's choice, as in IBC; counterparties decide which clients they use).
 */
export function createClient(
  p: ClientParameters,
  s: HeaderSubmission,
  clock: HostClock,
): { client: ClientState; consensus: ConsensusState } {
  const certified = certify(p, s);
  if (certified.header.time > clock.now + p.maxClockDriftMs)
    throw xchainError('XCHAIN_HEADER_FUTURE', undefined, { time: String(certified.header.time) });
  // The creator's set is trusted: unchanged, it is the next height's too.
  const consensus = consensusOf(certified, s, s.validators);
  return { client: { ...p, latestHeight: certified.height, frozenHeight: 0 }, consensus };
}

export type UpdateOutcome =
  | { readonly kind: 'updated'; readonly client: ClientState; readonly consensus: ConsensusState }
  /** The same header the client holds: nothing to do (a second relayer raced the first). */
  | { readonly kind: 'known' }
  /** A certified header that conflicts with one the client holds: the client is frozen. */
  | { readonly kind: 'frozen'; readonly client: ClientState };

/**
 * Moves the client to a newer header. `latest` is the consensus state at the client's latest
 * height; `atHeight` gives the one the client holds at another height (for a header offered
 * again, or conflicting with one held).
 */
export function updateClient(
  client: ClientState,
  latest: ConsensusState,
  atHeight: (height: number) => ConsensusState | undefined,
  s: HeaderSubmission,
  clock: HostClock,
): UpdateOutcome {
  checkUsable(client, latest, clock);
  const certified = certify(client, s);
  const height = certified.height;
  if (height <= client.latestHeight) {
    const held = atHeight(height);
    if (!held)
      throw xchainError('XCHAIN_HEADER_OLD', undefined, { height, latestHeight: client.latestHeight });
    if (held.hash === certified.hash) return { kind: 'known' };
    // Another header of a height it holds, certified: only if the validators it trusted for
    // that height signed it does it prove misbehaviour (else it is just a bad header).
    if (!sameSet(s.validators, held.validators))
      throw xchainError('XCHAIN_VALIDATORS_MISMATCH', undefined, { height });
    return { kind: 'frozen', client: { ...client, frozenHeight: height } };
  }
  if (certified.header.time > clock.now + client.maxClockDriftMs)
    throw xchainError('XCHAIN_HEADER_FUTURE', undefined, { time: String(certified.header.time) });
  if (certified.header.time <= latest.time)
    throw xchainError('XCHAIN_HEADER_NOT_NEWER', undefined, { time: String(certified.header.time) });
  const provenNext = height === latest.height + 1 ? latest.nextValidators : undefined;
  if (provenNext) {
    if (!sameSet(s.validators, provenNext))
      throw xchainError('XCHAIN_VALIDATORS_MISMATCH', undefined, { height });
  } else {
    const trusted = latest.nextValidators ?? latest.validators;
    if (!trustedSignersSuffice(certified.certificate, s.validators, trusted))
      throw xchainError('XCHAIN_UNTRUSTED_VALIDATORS', undefined, { height, trustedHeight: latest.height });
  }
  return {
    kind: 'updated',
    client: { ...client, latestHeight: height },
    consensus: consensusOf(certified, s, latest.nextValidators ?? latest.validators),
  };
}

/**
 * Evidence that the chain followed signed two headers at one height: both must be headers
 * the client would have accepted from its latest trusted state (certified by validators it
 * trusts), of one height, with different hashes. Any relayer may submit it; the client freezes.
 */
export function checkMisbehaviour(
  client: ClientState,
  latest: ConsensusState,
  a: HeaderSubmission,
  b: HeaderSubmission,
  clock: HostClock,
): ClientState {
  checkUsable(client, latest, clock);
  const [ca, cb] = [certify(client, a), certify(client, b)];
  if (ca.height !== cb.height || ca.hash === cb.hash)
    throw xchainError('XCHAIN_NOT_MISBEHAVIOUR', undefined, { heights: [ca.height, cb.height] });
  for (const [certified, s] of [
    [ca, a],
    [cb, b],
  ] as const) {
    const trusted = latest.nextValidators ?? latest.validators;
    if (!trustedSignersSuffice(certified.certificate, s.validators, trusted))
      throw xchainError('XCHAIN_UNTRUSTED_VALIDATORS', undefined, { height: certified.height });
  }
  return { ...client, frozenHeight: ca.height };
}
