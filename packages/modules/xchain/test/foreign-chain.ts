import { encode } from '@pujiang/codec';
import { type CertifiedValidator, type CommitCertificate, voteSignBytes } from '@pujiang/consensus';
import { generateKeyPair, type HashAlgorithm, type KeyPair, type SuiteId, sign } from '@pujiang/crypto';
import { ValidatorSetRecord, validatorSetStateKey } from '@pujiang/module-governance';
import {
  type BlockHeader,
  blockHash,
  moduleKey,
  type StateReadJson,
  stateProofToJson,
} from '@pujiang/protocol';
import { EMPTY_ROOT, MemoryNodeStore, SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { HeaderSubmission } from '../src/index.js';

/**
 * Another chain, simulated: validators (real keys, any suite) that sign real commit
 * certificates over headers whose state roots commit to a state tree holding governance's
 * validator-set record. `changeValidators` writes a new record, which signs from two heights
 * later, as governance does. `forge` signs any header with any keys, for the attacks.
 */
export class ForeignChain {
  private readonly tree: SparseMerkleTree;
  private root: Uint8Array = EMPTY_ROOT;
  private readonly roots: Uint8Array[] = [];
  private readonly headers: BlockHeader[] = [];
  /** The set that signs each height (index = height). */
  private readonly sets: KeyPair[][] = [];
  private pending: { from: number; keys: KeyPair[] } | undefined;
  height = 0;
  time = 1_800_000_000_000n;

  constructor(
    readonly chainId: string,
    readonly chainHash: HashAlgorithm,
    public keys: KeyPair[],
  ) {
    this.tree = new SparseMerkleTree(chainHash, new MemoryNodeStore());
  }

  static withSuite(chainId: string, chainHash: HashAlgorithm, suite: SuiteId, n = 4): ForeignChain {
    return new ForeignChain(
      chainId,
      chainHash,
      Array.from({ length: n }, () => generateKeyPair(suite)),
    );
  }

  static validatorsOf(keys: readonly KeyPair[]): CertifiedValidator[] {
    return keys.map((k) => ({ publicKey: k.publicKey, power: 10 }));
  }

  /** Governance's change in the next block: the new set signs from two heights after it. */
  changeValidators(keys: KeyPair[]): void {
    this.pending = { from: this.height + 1 + 2, keys };
  }

  /** Decides the next block (advancing time by `ms`) and returns its height. */
  next(ms = 1_000n): number {
    const height = this.height + 1;
    // The state after block height-1 is what header `height` commits to.
    this.roots[height] = this.root;
    const change = this.pending;
    if (change && change.from === height + 2) {
      const record = encode(ValidatorSetRecord, {
        since: BigInt(change.from),
        validators: change.keys.map((k) => ({
          suite: k.suite,
          publicKey: k.publicKey.bytes,
          power: 10n,
          name: '',
        })),
      });
      this.root = this.tree.update(this.root, validatorSetStateKey(), record);
    }
    // Every block writes something, so each header commits to its own state root.
    this.root = this.tree.update(
      this.root,
      moduleKey('filler', `block/${height}`),
      Uint8Array.of(height & 0xff),
    );
    const signers = change && height >= change.from ? change.keys : (this.sets[height - 1] ?? this.keys);
    if (change && height >= change.from) {
      this.keys = change.keys;
      this.pending = undefined;
    }
    this.sets[height] = signers;
    this.time += ms;
    this.headers[height] = {
      version: 1,
      chainId: this.chainId,
      height: BigInt(height),
      time: this.time,
      previousHash:
        height === 1 ? new Uint8Array(32) : hexToBytes(blockHash(this.chainHash, this.headers[height - 1]!)),
      txRoot: new Uint8Array(32),
      txCount: 0,
      stateRoot: this.roots[height]!,
      resultsRoot: new Uint8Array(32),
      proposer: new Uint8Array(21),
    };
    this.height = height;
    return height;
  }

  header(height: number): BlockHeader {
    return this.headers[height]!;
  }

  signers(height: number): KeyPair[] {
    return this.sets[height]!;
  }

  /** A header of `height` certified by its signers, with the validator-set record proven under it. */
  submission(height: number): HeaderSubmission {
    const header = this.header(height);
    const keys = this.signers(height);
    return {
      header,
      certificate: this.certify(header, keys),
      validators: ForeignChain.validatorsOf(keys),
      nextValidatorsRead: this.read(height),
    };
  }

  /** Governance's validator-set record read under header `height` (absent until a change). */
  read(height: number): StateReadJson {
    const root = this.roots[height]!;
    const value = this.tree.get(root, validatorSetStateKey());
    return {
      key: bytesToHex(validatorSetStateKey()),
      value: value === undefined ? null : bytesToHex(value),
      proof: stateProofToJson(this.tree.prove(root, validatorSetStateKey())),
    };
  }

  /** A certificate over `header` by `keys` (their index in `keys` as validator index), each signing. */
  certify(header: BlockHeader, keys: readonly KeyPair[], signers = keys.map((_, i) => i)): CommitCertificate {
    const height = Number(header.height);
    const value = blockHash(this.chainHash, header);
    return {
      height,
      round: 0,
      value,
      precommits: signers.map((validator) => {
        const message = { type: 'precommit' as const, height, round: 0, value, validator };
        return {
          message,
          signature: sign(keys[validator]!.secretKey, voteSignBytes(this.chainId, message)).bytes,
        };
      }),
    };
  }

  /** Another header for `height` (another block), certified by `keys`. */
  forge(height: number, keys: readonly KeyPair[], signers?: number[]): HeaderSubmission {
    const header = { ...this.header(height), txCount: 1, txRoot: new Uint8Array(32).fill(9) };
    return {
      header,
      certificate: this.certify(header, keys, signers),
      validators: ForeignChain.validatorsOf(keys),
      // The forged block keeps the real one's state root: the real read proves under it.
      nextValidatorsRead: this.read(height),
    };
  }
}
