import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommitCertificate } from '@pujiang/consensus';
import { voteSignBytes } from '@pujiang/consensus';
import {
  generateKeyPair,
  type HashAlgorithm,
  type KeyPair,
  merkleProof,
  merkleRoot,
  type SuiteId,
  sign,
} from '@pujiang/crypto';
import { balanceStateKey } from '@pujiang/module-bank';
import {
  type BlockHeader,
  blockHash,
  certificateToJson,
  decodeU64,
  encodeU64,
  type Genesis,
  type HeaderResponse,
  headerToJson,
  merkleProofToJson,
  moduleKey,
  type ProvenQueryResponse,
  type Receipt,
  receiptProof,
  resultsRoot,
  type StateReadJson,
  type StateResponse,
  type StatusResponse,
  stateProofToJson,
  type TxResponse,
  txToJson,
} from '@pujiang/protocol';
import { EMPTY_ROOT, MemoryNodeStore, SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { addressOf, type BuildTransactionReturnType, buildTransfer } from '../src/index.js';

/**
 * A small chain built by hand, without a node: validators that sign real commit
 * certificates, a state tree, block 5 with three transfers, and block 6 whose results root
 * commits to block 5's receipts. The API answers are built with the protocol's JSON forms.
 */
export const CHAIN_ID = 'sdk-test';
export const CHAIN_HASH: HashAlgorithm = 'sm3';

export function makeGenesis(validators: readonly KeyPair[], powers?: readonly number[]): Genesis {
  return {
    chainId: CHAIN_ID,
    chainHash: CHAIN_HASH,
    acceptedSuites: ['ed25519', 'sm2'],
    validators: validators.map((v, i) => ({ publicKey: v.publicKey, power: powers?.[i] ?? 10 })),
    limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxBlockGas: 10_000_000 },
    modules: {},
  };
}

/** Precommits for `header` by the validators at `signers` (default all), as the consensus signs them. */
export function certify(
  header: BlockHeader,
  validators: readonly KeyPair[],
  signers: readonly number[] = validators.map((_, i) => i),
  chainId = CHAIN_ID,
): CommitCertificate {
  const height = Number(header.height);
  const value = blockHash(CHAIN_HASH, header);
  return {
    height,
    round: 0,
    value,
    precommits: signers.map((validator) => {
      const message = { type: 'precommit' as const, height, round: 0, value, validator };
      return {
        message,
        signature: sign(validators[validator]!.secretKey, voteSignBytes(chainId, message)).bytes,
      };
    }),
  };
}

export function headerResponse(header: BlockHeader, certificate: CommitCertificate): HeaderResponse {
  return {
    hash: blockHash(CHAIN_HASH, header),
    header: headerToJson(header),
    certificate: certificateToJson(certificate),
  };
}

const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);

export interface ChainFixture {
  validators: KeyPair[];
  genesis: Genesis;
  alice: KeyPair;
  bob: KeyPair;
  aliceAddress: string;
  bobAddress: string;
  tree: SparseMerkleTree;
  /** The state root that header 5 commits to (the state after block 4). */
  root5: Uint8Array;
  header5: BlockHeader;
  header6: BlockHeader;
  cert5: CommitCertificate;
  cert6: CommitCertificate;
  txs: BuildTransactionReturnType[];
  receipts: Receipt[];
  txResponse(index: number): TxResponse;
  stateRead(key: Uint8Array, root?: Uint8Array): StateReadJson;
  stateResponse(key: Uint8Array): StateResponse;
  balanceQuery(address: string): ProvenQueryResponse;
}

export function makeChain(
  suites: readonly SuiteId[] = ['ed25519', 'ed25519', 'sm2', 'ed25519'],
): ChainFixture {
  const validators = suites.map((s) => generateKeyPair(s));
  const genesis = makeGenesis(validators);
  const alice = generateKeyPair('sm2');
  const bob = generateKeyPair('ed25519');
  const aliceAddress = addressOf(CHAIN_HASH, alice);
  const bobAddress = addressOf(CHAIN_HASH, bob);

  const tree = new SparseMerkleTree(CHAIN_HASH, new MemoryNodeStore());
  let root5: Uint8Array = EMPTY_ROOT;
  root5 = tree.update(root5, balanceStateKey(aliceAddress), encodeU64(1000n));
  root5 = tree.update(root5, balanceStateKey(bobAddress), encodeU64(5n));
  for (let i = 0; i < 20; i++) root5 = tree.update(root5, moduleKey('filler', `k${i}`), encodeU64(BigInt(i)));

  const txs = [0, 1, 2].map((nonce) =>
    buildTransfer({
      chainId: CHAIN_ID,
      chainHash: CHAIN_HASH,
      key: alice,
      nonce,
      expiresAtHeight: 100,
      to: bobAddress,
      amount: 10 + nonce,
    }),
  );
  const wires = txs.map((t) => t.wire);
  const receipts: Receipt[] = txs.map((t, i) => ({
    txHash: t.hash,
    code: 'OK',
    gasUsed: 5000 + i,
    events: [
      {
        module: 'bank',
        type: 'transfer',
        attributes: { from: aliceAddress, to: bobAddress, amount: String(10 + i) },
      },
    ],
  }));

  const header5: BlockHeader = {
    version: 1,
    chainId: CHAIN_ID,
    height: 5n,
    time: 1_700_000_000_000n,
    previousHash: filled(32, 4),
    txRoot: merkleRoot(CHAIN_HASH, wires),
    txCount: wires.length,
    stateRoot: root5,
    resultsRoot: filled(32, 7),
    proposer: filled(21, 1),
  };
  const header6: BlockHeader = {
    version: 1,
    chainId: CHAIN_ID,
    height: 6n,
    time: 1_700_000_001_000n,
    previousHash: hexToBytes(blockHash(CHAIN_HASH, header5)),
    txRoot: merkleRoot(CHAIN_HASH, []),
    txCount: 0,
    stateRoot: tree.update(root5, balanceStateKey(aliceAddress), encodeU64(967n)),
    resultsRoot: resultsRoot(CHAIN_HASH, receipts),
    proposer: filled(21, 2),
  };

  const stateRead = (key: Uint8Array, root = root5): StateReadJson => {
    const value = tree.get(root, key);
    return {
      key: bytesToHex(key),
      value: value === undefined ? null : bytesToHex(value),
      proof: stateProofToJson(tree.prove(root, key)),
    };
  };

  return {
    validators,
    genesis,
    alice,
    bob,
    aliceAddress,
    bobAddress,
    tree,
    root5,
    header5,
    header6,
    cert5: certify(header5, validators),
    cert6: certify(header6, validators),
    txs,
    receipts,
    txResponse: (index) => ({
      hash: txs[index]!.hash,
      status: 'committed',
      tx: txToJson(txs[index]!.tx),
      raw: txs[index]!.hex,
      height: 5,
      index,
      receipt: receipts[index]!,
      proof: {
        tx: merkleProofToJson(merkleProof(CHAIN_HASH, wires, index)),
        receipt: merkleProofToJson(receiptProof(CHAIN_HASH, receipts, index)),
      },
    }),
    stateRead,
    stateResponse: (key) => ({ ...stateRead(key), height: 5, stateRoot: bytesToHex(root5) }),
    balanceQuery: (address) => {
      const key = balanceStateKey(address);
      const value = tree.get(root5, key);
      return {
        height: 5,
        stateRoot: bytesToHex(root5),
        result: { address, balance: String(decodeU64(value)) },
        reads: [stateRead(key)],
      };
    },
  };
}

/** A deep copy of JSON data, so a test can tamper with it freely. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface CannedRequest {
  method: string;
  url: string;
  body: string;
}

export interface CannedReply {
  status?: number;
  /** A string is sent as is (to send something that is not JSON); anything else as JSON. */
  body?: unknown;
  /** Never answer (to test timeouts). */
  hang?: boolean;
}

/** A tiny HTTP server answering from `handler`; records every request. */
export async function cannedServer(
  handler: (request: CannedRequest) => CannedReply,
): Promise<{ url: string; requests: CannedRequest[]; close(): Promise<void> }> {
  const requests: CannedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = handler(request);
      if (reply.hang) return;
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The error a promise rejects with (failing the test if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a rejection');
}

/** A transaction as `GET /v1/txs/{hash}` writes its body (the content does not matter to the client). */
export const TX_JSON = {
  version: 1,
  chainId: 'c',
  suite: 'ed25519',
  publicKey: '',
  nonce: '0',
  expiresAtHeight: '1',
  gasLimit: '1',
  module: 'bank',
  type: 'transfer',
  payload: '',
  endorsements: [],
  signature: '',
};

/** Values a careless caller passes: missing, the wrong type, empty, almost right, or nested junk. */
export const JUNK: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.NaN,
  '',
  'zz',
  '0x',
  {},
  [],
  true,
  10n,
  new Uint8Array(3),
  [null],
  { a: 1 },
];

/** A `/v1/status` answer for canned servers; `over` sets what a test looks at. */
export function statusResponse(over: Partial<StatusResponse> = {}): StatusResponse {
  return {
    chainId: 'c',
    nodeId: 'n0',
    height: 1,
    latestBlockHash: 'ab'.repeat(32),
    latestBlockTime: '1700000000000',
    syncing: false,
    validator: true,
    peers: 0,
    round: 0,
    chainHash: 'sha256',
    acceptedSuites: ['ed25519'],
    genesisHash: 'cd'.repeat(32),
    mempool: { size: 0, bytes: 0 },
    ...over,
  };
}
