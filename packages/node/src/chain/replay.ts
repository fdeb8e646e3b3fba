import { checkCertificate } from '@pujiang/consensus';
import { merkleRoot } from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import { blockHash, decodeTx, encodeReceipts, resultsRoot, ZERO_HASH } from '@pujiang/protocol';
import { MemoryNodeStore, SparseMerkleTree } from '@pujiang/state';
import { bytesToHex, equalBytes, hexToBytes } from '@pujiang/types';
import { Executor, toBlockTx } from '../execution/executor.js';
import { blockLimitProblem, type Chain } from './chain.js';
import { governedConfigIn, validatorSetIn } from './governed-config.js';

export interface ReplayProblem {
  readonly height: number;
  readonly check:
    | 'pruned'
    | 'limits'
    | 'certificate'
    | 'previous-hash'
    | 'state-root'
    | 'results-root'
    | 'receipts'
    | 'final-state-root';
  readonly detail: string;
}

export interface ReplayReturnType {
  readonly height: number;
  readonly stateRoot: string;
  readonly problems: readonly ReplayProblem[];
}

/**
 * Re-executes every stored block from genesis in a fresh in-memory state and checks each
 * header against the replay (previous hash, state root, results root) and each block's
 * commit certificate against the validator set of its height (as the replayed state says). An auditor's check that the store
 * holds one consistent chain; it trusts nothing the store computed. Blocks run one after
 * another, each awaited as the node's commit awaits it (asynchronous handlers included).
 */
export async function replayFromGenesis(
  chain: Chain,
  modules: readonly ChainModule[],
): Promise<ReplayReturnType> {
  const g = chain.genesis;
  const tree = new SparseMerkleTree(g.chainHash, new MemoryNodeStore());
  const executor = Executor.forGenesis(tree, g, modules);
  let root = executor.genesis(g.modules, g);
  /** rootAfter[k]: the replayed state after block k (the validator set of height h is in rootAfter[h - 2]). */
  const rootAfter: Uint8Array[] = [root];
  let results = merkleRoot(g.chainHash, []);
  let previous: Uint8Array = ZERO_HASH;
  const problems: ReplayProblem[] = [];
  // The head when the replay starts (a running node may commit more while blocks are awaited).
  const { height: top, stateRoot: topRoot } = chain;
  if (chain.lowestBodyHeight > 1n) {
    problems.push({
      height: 1,
      check: 'pruned',
      detail: `bodies below ${chain.lowestBodyHeight} were pruned`,
    });
    return { height: Number(top), stateRoot: bytesToHex(topRoot), problems };
  }
  for (let h = 1n; h <= top; h++) {
    const height = Number(h);
    const block = chain.block(h);
    const certificate = chain.certificate(h);
    if (!block || !certificate) {
      problems.push({ height, check: 'certificate', detail: 'block or certificate missing' });
      break;
    }
    const hashHex = blockHash(g.chainHash, block.header);
    const validators = validatorSetIn(executor, rootAfter[Math.max(0, height - 2)]!, g).validators;
    const problem = checkCertificate(g.chainId, certificate, validators, height);
    if (problem || certificate.value !== hashHex)
      problems.push({ height, check: 'certificate', detail: problem ?? 'certifies another block' });
    if (!equalBytes(block.header.previousHash, previous))
      problems.push({ height, check: 'previous-hash', detail: bytesToHex(block.header.previousHash) });
    if (!equalBytes(block.header.stateRoot, root))
      problems.push({
        height,
        check: 'state-root',
        detail: `header ${bytesToHex(block.header.stateRoot)}, replay ${bytesToHex(root)}`,
      });
    if (!equalBytes(block.header.resultsRoot, results))
      problems.push({ height, check: 'results-root', detail: 'receipts differ from the replay' });
    const txs = block.txs.map((wire) => toBlockTx(g.chainHash, decodeTx(wire)));
    const limits = governedConfigIn(executor, root, g).limits;
    const overLimit = blockLimitProblem(
      limits,
      block,
      txs.map((t) => t.tx),
    );
    if (overLimit) problems.push({ height, check: 'limits', detail: overLimit });
    const result = await executor.executeBlock(
      root,
      h,
      txs,
      undefined,
      block.header.time,
      limits.maxBlockGas,
    );
    const stored = chain.receipts(h);
    if (!stored || !equalBytes(encodeReceipts(stored), encodeReceipts(result.receipts)))
      problems.push({ height, check: 'receipts', detail: 'stored receipts differ from the replay' });
    root = result.root;
    rootAfter.push(root);
    results = resultsRoot(g.chainHash, result.receipts);
    previous = hexToBytes(hashHex);
  }
  if (!equalBytes(root, topRoot))
    problems.push({
      height: Number(top),
      check: 'final-state-root',
      detail: `store ${bytesToHex(topRoot)}, replay ${bytesToHex(root)}`,
    });
  return { height: Number(top), stateRoot: bytesToHex(root), problems };
}
