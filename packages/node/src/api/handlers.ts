import { ED25519_IMPLEMENTATION, hash } from '@pujiang/crypto';
import {
  type AccountResponse,
  type Block,
  type BlockReceiptsResponse,
  type BlockResponse,
  certificateToJson,
  decodeTx,
  genesisToJson,
  type HeaderResponse,
  type HookReceiptsResponse,
  headerToJson,
  merkleProofToJson,
  type PeersResponse,
  type ProvenQueryResponse,
  type QueryResponse,
  type StateReadJson,
  type StateResponse,
  type StatusResponse,
  type SubmitBatchRequest,
  type SubmitBatchResponse,
  type SubmitRequest,
  type SubmitResponse,
  stateProofToJson,
  type TxResponse,
  txToJson,
  type ValidatorsResponse,
} from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { ValidatorNode } from '../validator-node.js';
import { badRequest, notFound, pruned } from './api-error.js';
import { Reply } from './http-io.js';
import { parseAddress, parseBool, parseHash, parseHeight, parseTxHex } from './params.js';
import { peersAnswer } from './peers-answer.js';

export const MAX_BATCH = 10_000;

/** The JSON answers of `/v1`, computed from the node's chain, mempool and state. */
export class ApiHandlers {
  constructor(private readonly node: ValidatorNode) {}

  private get chain() {
    return this.node.chain;
  }

  status(): StatusResponse {
    const c = this.chain;
    return {
      chainId: c.genesis.chainId,
      nodeId: this.node.nodeId,
      height: Number(c.height),
      latestBlockHash: bytesToHex(c.lastBlockHash),
      latestBlockTime: String(c.lastBlockTime),
      syncing: this.node.syncing,
      validator: this.node.isValidator,
      peers: this.node.peerCount,
      round: this.node.round,
      chainHash: c.genesis.chainHash,
      acceptedSuites: [...c.genesis.acceptedSuites],
      genesisHash: c.genesisHash,
      mempool: { size: this.node.mempool.size, bytes: this.node.mempool.totalBytes },
      ed25519: ED25519_IMPLEMENTATION,
    };
  }

  genesis() {
    return genesisToJson(this.chain.genesis);
  }

  peers(): PeersResponse {
    return peersAnswer(this.node);
  }

  modules() {
    return { modules: this.chain.executor.describeModules() };
  }

  validators(heightParam: string | null): ValidatorsResponse {
    const height = heightParam === null ? this.chain.height + 1n : parseHeight(heightParam);
    // Governance may change the set: it is known two heights past the head (a change by block k signs from k + 2).
    const set = this.chain.validatorsFor(height);
    if (set === undefined) throw notFound(`validator set of height ${height}`, { height: String(height) });
    return {
      height: Number(height),
      validators: set.validators.map((v) => ({
        ...(v.name === undefined ? {} : { name: v.name }),
        suite: v.publicKey.suite,
        publicKey: bytesToHex(v.publicKey.bytes),
        power: v.power,
        address: this.chain.addressOf(v.publicKey),
      })),
    };
  }

  private latestHeight(): bigint {
    if (this.chain.height === 0n) throw notFound('block', { reason: 'no block has been decided yet' });
    return this.chain.height;
  }

  /** A committed block's body by `height` or `latest`: 410 once pruned, 404 when unknown. */
  private bodyAt(heightParam: string): { height: bigint; block: Block } {
    const height = heightParam === 'latest' ? this.latestHeight() : parseHeight(heightParam);
    if (this.chain.isPruned(height)) throw pruned(height, this.chain.lowestBodyHeight);
    const block = this.chain.block(height);
    if (!block) throw notFound(`block ${height}`, { height: String(height) });
    return { height, block };
  }

  block(heightParam: string): BlockResponse {
    const { height, block } = this.bodyAt(heightParam);
    const certificate = this.chain.certificate(height);
    if (!certificate) throw notFound(`block ${height}`, { height: String(height) });
    const hashOf = (wire: Uint8Array) => bytesToHex(this.hash(wire));
    return {
      hash: certificate.value,
      header: headerToJson(block.header),
      txs: block.txs.map(bytesToHex),
      txHashes: block.txs.map(hashOf),
      certificate: certificateToJson(certificate),
    };
  }

  blockByHash(hashParam: string): BlockResponse {
    const hash = parseHash(hashParam);
    const height = this.chain.heightOfBlock(hash);
    if (height === undefined) throw notFound(`block ${hash}`, { hash });
    return this.block(String(height));
  }

  header(heightParam: string): HeaderResponse {
    const height = heightParam === 'latest' ? this.latestHeight() : parseHeight(heightParam);
    const header = this.chain.header(height);
    const certificate = this.chain.certificate(height);
    if (!header || !certificate) throw notFound(`header ${height}`, { height: String(height) });
    return {
      hash: certificate.value,
      header: headerToJson(header),
      certificate: certificateToJson(certificate),
    };
  }

  /** The block's module hook receipts, each with its proof under header `height + 1` (null until it exists). */
  hooks(heightParam: string): HookReceiptsResponse {
    const { height, block } = this.bodyAt(heightParam);
    const receipts = this.chain.receipts(height);
    if (!receipts) throw notFound(`block ${height}`, { height: String(height) });
    const proven = this.chain.header(height + 1n) !== undefined;
    const txCount = block.txs.length;
    return {
      height: Number(height),
      txCount,
      hooks: receipts.slice(txCount).map((receipt, i) => ({
        index: txCount + i,
        receipt,
        proof: proven ? merkleProofToJson(this.chain.receiptProof(receipts, txCount + i, height)) : null,
      })),
    };
  }

  /** The block's transactions' receipts in block order, each with its proof under header `height + 1` (null until it exists). */
  receipts(heightParam: string): BlockReceiptsResponse {
    const { height, block } = this.bodyAt(heightParam);
    const receipts = this.chain.receipts(height);
    if (!receipts) throw notFound(`block ${height}`, { height: String(height) });
    const proven = this.chain.header(height + 1n) !== undefined;
    return {
      height: Number(height),
      receipts: receipts.slice(0, block.txs.length).map((receipt, index) => ({
        index,
        receipt,
        proof: proven ? merkleProofToJson(this.chain.receiptProof(receipts, index, height)) : null,
      })),
    };
  }

  private hash(bytes: Uint8Array): Uint8Array {
    return hash(this.chain.genesis.chainHash, bytes);
  }

  tx(hashParam: string): TxResponse {
    const hash = parseHash(hashParam);
    const at = this.chain.locate(hash);
    if (at) {
      const block = this.chain.block(at.height)!;
      const receipts = this.chain.receipts(at.height)!;
      const raw = block.txs[at.index]!;
      const next = this.chain.header(at.height + 1n);
      return {
        hash,
        status: 'committed',
        tx: txToJson(decodeTx(raw)),
        raw: bytesToHex(raw),
        height: Number(at.height),
        index: at.index,
        receipt: receipts[at.index]!,
        proof: {
          tx: merkleProofToJson(this.chain.txProof(block, at.index)),
          receipt: next ? merkleProofToJson(this.chain.receiptProof(receipts, at.index, at.height)) : null,
        },
      };
    }
    const pending = this.node.mempool.get(hash);
    if (pending) return { hash, status: 'pending', tx: txToJson(pending.tx), raw: bytesToHex(pending.wire) };
    throw notFound(`transaction ${hash}`, { hash });
  }

  /** `POST /v1/txs`, its body already checked against the contract. */
  async submit(body: SubmitRequest): Promise<Reply<SubmitResponse>> {
    const wire = parseTxHex(body.tx);
    const hash = await this.node.submit(wire);
    const pending: SubmitResponse = { hash, status: 'pending' };
    if (body.wait !== true) return new Reply(202, pending);
    const at = await this.node.waitForCommit(hash, body.timeoutMs ?? 30_000);
    if (!at) return new Reply(202, pending);
    const receipt = this.chain.receipts(at.height)?.[at.index];
    const committed: SubmitResponse = {
      hash,
      status: 'committed',
      height: Number(at.height),
      index: at.index,
      ...(receipt ? { receipt } : {}),
    };
    return new Reply(200, committed);
  }

  /** `POST /v1/txs/batch` (JSON), its body already checked against the contract. */
  async submitBatch(body: SubmitBatchRequest): Promise<SubmitBatchResponse> {
    const txs = body.txs;
    return this.submitEach(txs.length, (i) => parseTxHex(txs[i], `txs[${i}]`));
  }

  /** A binary batch, already framed (see `parseBinaryBatch`). */
  submitBatchWires(wires: readonly Uint8Array[]): Promise<SubmitBatchResponse> {
    return this.submitEach(wires.length, (i) => wires[i]!);
  }

  /** Admits each transaction on its own; a refusal is that item's result, not the batch's. */
  private async submitEach(count: number, wire: (i: number) => Uint8Array): Promise<SubmitBatchResponse> {
    const results = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        try {
          return { hash: await this.node.submit(wire(i)) };
        } catch (error) {
          const e = error as { code?: unknown; message?: unknown; details?: unknown };
          if (typeof e.code !== 'string') throw error;
          return {
            error: { code: e.code, message: String(e.message), details: { ...(e.details as object) } },
          };
        }
      }),
    );
    return { results };
  }

  account(addressParam: string): AccountResponse {
    const address = parseAddress(addressParam);
    return {
      address,
      nonce: String(this.chain.nonceOf(address)),
      pendingNonce: String(this.node.mempool.pendingNonce(address)),
      height: Number(this.chain.height),
    };
  }

  query(module: string, name: string, search: URLSearchParams): QueryResponse | ProvenQueryResponse {
    const prove = parseBool(search.get('prove'), 'prove', false);
    const heightParam = search.get('height');
    const params: Record<string, string> = {};
    for (const [k, v] of search) if (k !== 'prove' && k !== 'height') params[k] = v;
    if (!prove) {
      if (heightParam !== null) throw badRequest('height applies to proven queries (prove=true)');
      return { height: Number(this.chain.height), result: this.chain.query(module, name, params) };
    }
    return this.provenQuery(
      module,
      name,
      params,
      heightParam === null ? undefined : parseHeight(heightParam),
    );
  }

  /** A query run on the state header `height` commits to (default: the latest), with a proof of every key it read. */
  provenQuery(
    module: string,
    name: string,
    params: Readonly<Record<string, string>>,
    at?: bigint,
  ): ProvenQueryResponse {
    const { height, root } = this.provableRoot(at === undefined ? null : String(at));
    const keys = new Map<string, Uint8Array>();
    const result = this.chain.query(module, name, params, root, (key) => keys.set(bytesToHex(key), key));
    return {
      height: Number(height),
      stateRoot: bytesToHex(root),
      result,
      reads: [...keys.values()].map((key) => this.read(root, key)),
    };
  }

  /** A module's search over its node-local index (unproven: prove each hit with a proven query). */
  search(module: string, name: string, search: URLSearchParams): QueryResponse {
    const params: Record<string, string> = {};
    for (const [k, v] of search) params[k] = v;
    return { height: Number(this.chain.height), result: this.chain.search(module, name, params) };
  }

  state(keyParam: string, heightParam: string | null): StateResponse {
    if (!/^([0-9a-f]{2}){1,1024}$/.test(keyParam))
      throw badRequest('key must be 1-1024 bytes of lowercase hex');
    const { height, root } = this.provableRoot(heightParam);
    return { height: Number(height), stateRoot: bytesToHex(root), ...this.read(root, hexToBytes(keyParam)) };
  }

  /** The state committed by a header (default: the latest), which is what a client can check a proof against. */
  private provableRoot(heightParam: string | null): { height: bigint; root: Uint8Array } {
    const height = heightParam === null ? this.latestHeight() : parseHeight(heightParam);
    const header = this.chain.header(height);
    if (!header) throw notFound(`header ${height}`, { height: String(height) });
    return { height, root: header.stateRoot };
  }

  private read(root: Uint8Array, key: Uint8Array): StateReadJson {
    const { value, proof } = this.chain.proveState(root, key);
    return {
      key: bytesToHex(key),
      value: value === undefined ? null : bytesToHex(value),
      proof: stateProofToJson(proof),
    };
  }
}
