import type { CertifiedValidator } from '@pujiang/consensus';
import { BANK_MODULE } from '@pujiang/module-bank';
import { type VerifiedBalance, verifyBalanceQuery } from '@pujiang/module-bank/verify';
import { validatorSetStateKey } from '@pujiang/module-governance';
import { validatorSetCanChange, verifyValidatorSet } from '@pujiang/module-governance/verify';
import { bytesArgument } from '@pujiang/module-kit';
import type { Genesis, HeaderResponse, StateReadJson } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import {
  type CertifiedHeader,
  type VerifiedQuery,
  type VerifiedStateRead,
  type VerifiedTransaction,
  verifyHeader,
  verifyProvenQuery,
  verifyStateRead,
  verifyTransaction,
} from '@pujiang/verify';
import type { PujiangClient, QueryProvenOptions } from './client.js';
import { invalidArgument, objectArgument, sdkError } from './errors.js';
import type { RequestOptions } from './http.js';
import { parseAddress } from './transactions.js';
import { committedTxProof } from './verify/transaction.js';

/** Steps of a validator-set walk whose answers are fetched before they are verified. */
const WALK_AHEAD = 16;

export interface LightClientOptions {
  client: PujiangClient;
  /** The chain's genesis, obtained out of band (never from the node being checked). */
  genesis: Genesis;
  /** How many certified headers to keep (default 1,024). */
  maxCachedHeaders?: number;
}

/**
 * Answers from one node, each checked against a pinned genesis before it is returned:
 * headers by their commit certificates, transactions and receipts by Merkle proofs under
 * certified headers, state by proofs under a certified state root. The node is trusted
 * for nothing but availability. Governance may change the validator set: the set that signs
 * height h is the one in the state after block h - 2, which header h - 1 commits to, so the
 * client follows it height by height from genesis (each set proven under a certified header
 * of the previous set), without trusting the node's word for any of them.
 */
export class LightClient {
  readonly client: PujiangClient;
  readonly genesis: Genesis;
  private readonly headers = new Map<number, CertifiedHeader>();
  private readonly maxCachedHeaders: number;
  /** The proven validator set of each height checked so far (heights 1 and 2: genesis). */
  private readonly sets = new Map<number, readonly CertifiedValidator[]>();

  constructor(options: LightClientOptions) {
    objectArgument(options, 'options');
    const client = options.client as Partial<PujiangClient> | undefined;
    if (typeof client?.queryProven !== 'function' || typeof client.getHeader !== 'function')
      throw invalidArgument('client must be a PujiangClient', 'client');
    if (
      typeof options.genesis !== 'object' ||
      options.genesis === null ||
      !Array.isArray(options.genesis.validators)
    )
      throw invalidArgument('genesis must be a parsed genesis (parseGenesis)', 'genesis');
    this.client = options.client;
    this.genesis = options.genesis;
    this.maxCachedHeaders = options.maxCachedHeaders ?? 1024;
  }

  /**
   * The validators that sign `height`, proven: the set recorded in the state that header
   * `height - 1` commits to (genesis for heights 1 and 2, and on chains without governance).
   */
  async getVerifiedValidators(
    height: number,
    options?: RequestOptions,
  ): Promise<readonly CertifiedValidator[]> {
    // Without founding organizations nobody can vote a change: the genesis set signs forever.
    if (height <= 2 || !validatorSetCanChange(this.genesis)) return this.genesis.validators;
    const known = this.sets.get(height);
    if (known) return known;
    // Walk up from the highest height whose set is known, so each step is proven by the last.
    let from = 3;
    for (const h of this.sets.keys()) if (h < height && h + 1 > from) from = h + 1;
    let validators: readonly CertifiedValidator[] = this.genesis.validators;
    // Each step needs the previous one's set, so steps are verified in order; their answers
    // (header h - 1 and the set read at h - 1) are fetched ahead, WALK_AHEAD steps at a time,
    // so a long walk waits on the network about once per window instead of twice per height.
    const ahead = new Map<number, Promise<[HeaderResponse, StateReadJson]>>();
    const fetchStep = (h: number) => {
      if (h > height || ahead.has(h)) return;
      const answers = Promise.all([
        this.client.getHeader(h - 1, options),
        this.client.getState(validatorSetStateKey(), h - 1, options),
      ]);
      answers.catch(() => {}); // a step never reached (an earlier one failed) must not be an unhandled rejection
      ahead.set(h, answers);
    };
    for (let h = from; h <= height; h++) {
      for (let k = h; k < h + WALK_AHEAD; k++) fetchStep(k);
      const [header, read] = await ahead.get(h)!;
      ahead.delete(h);
      const previous = this.#certify(h - 1, header, await this.getVerifiedValidators(h - 1, options));
      validators = verifyValidatorSet(read, previous, this.genesis);
      if (this.sets.size >= this.maxCachedHeaders) {
        const oldest = this.sets.keys().next();
        if (!oldest.done) this.sets.delete(oldest.value);
      }
      this.sets.set(h, validators);
    }
    return validators;
  }

  /** The header at `height`, certified by more than 2/3 of that height's (proven) validator set. */
  async getVerifiedHeader(height: number, options?: RequestOptions): Promise<CertifiedHeader> {
    const cached = this.headers.get(height);
    if (cached) return cached;
    const validators = await this.getVerifiedValidators(height, options);
    return this.#certify(height, await this.client.getHeader(height, options), validators);
  }

  /** Checks a node's answer for header `height` against that height's proven set, and caches it. */
  #certify(
    height: number,
    response: HeaderResponse,
    validators: readonly CertifiedValidator[],
  ): CertifiedHeader {
    const cached = this.headers.get(height);
    if (cached) return cached;
    const certified = verifyHeader({
      chainId: this.genesis.chainId,
      chainHash: this.genesis.chainHash,
      validators,
      header: response.header,
      certificate: response.certificate,
      height,
      hash: response.hash,
    });
    // Certified headers never change, so caching them is safe; the oldest entry goes first.
    if (this.headers.size >= this.maxCachedHeaders) {
      const oldest = this.headers.keys().next();
      if (!oldest.done) this.headers.delete(oldest.value);
    }
    this.headers.set(height, certified);
    return certified;
  }

  /**
   * The certified header at the height the node reports as latest. The header is proven;
   * that it is the latest is not (a node can always withhold newer blocks).
   */
  async getVerifiedLatestHeader(options?: RequestOptions): Promise<CertifiedHeader> {
    const status = await this.client.getStatus(options);
    if (status.height < 1) throw sdkError('SDK_BAD_RESPONSE', 'the chain has no block yet', { height: 0 });
    return this.getVerifiedHeader(status.height, options);
  }

  /**
   * An account's balance, proven against the certified header at `options.height`, or by
   * default at the height the node answered for (its latest).
   */
  async getVerifiedBalance(address: string, options: QueryProvenOptions = {}): Promise<VerifiedBalance> {
    const addr = bytesToHex(parseAddress(address));
    const response = await this.client.queryProven(BANK_MODULE, 'balance', { address: addr }, options);
    const header = await this.getVerifiedHeader(options.height ?? response.height, requestOf(options));
    return verifyBalanceQuery(response, header, addr);
  }

  /**
   * A committed transaction, proven in its block; its receipt is proven too once the next
   * block exists (else `receipt` is null). A pending one is `SDK_TX_PENDING`.
   */
  async getVerifiedTransaction(hash: string, options?: RequestOptions): Promise<VerifiedTransaction> {
    const proof = committedTxProof(await this.client.getTx(hash, options));
    const header = await this.getVerifiedHeader(proof.height, options);
    const next = proof.proof.receipt ? await this.getVerifiedHeader(proof.height + 1, options) : undefined;
    return verifyTransaction(proof, header, next);
  }

  /** One state key, proven against the certified header at `height` (default: the node's latest). */
  async getVerifiedState(
    key: Uint8Array | string,
    height?: number,
    options?: RequestOptions,
  ): Promise<VerifiedStateRead & { readonly height: number }> {
    const keyBytes = typeof key === 'string' ? stateKeyHex(key) : bytesArgument(key, 'key');
    const response = await this.client.getState(keyBytes, height, options);
    // The header is the one asked for, if any, so the node cannot substitute another height.
    const header = await this.getVerifiedHeader(height ?? response.height, options);
    return { ...verifyStateRead(response, header, keyBytes), height: header.height };
  }

  /** A module query with its reads proven; the result is checked only as far as `requiredKeys` go. */
  async verifiedQuery(
    module: string,
    name: string,
    params: Record<string, string> = {},
    requiredKeys: readonly Uint8Array[] = [],
    options: QueryProvenOptions = {},
  ): Promise<VerifiedQuery> {
    const response = await this.client.queryProven(module, name, params, options);
    const header = await this.getVerifiedHeader(options.height ?? response.height, requestOf(options));
    return verifyProvenQuery(response, header, { requiredKeys });
  }
}

function stateKeyHex(key: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})+$/.test(key)) throw invalidArgument('key must be hex or bytes', 'key');
  return hexToBytes(key);
}

function requestOf(options: QueryProvenOptions): RequestOptions {
  const { height: _height, provenAfter: _after, ...request } = options;
  return request;
}
