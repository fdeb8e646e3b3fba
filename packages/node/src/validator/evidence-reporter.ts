import { encode } from '@pujiang/codec';
import type { Signed, Vote } from '@pujiang/consensus';
import { getSuite, type SecretKey } from '@pujiang/crypto';
import { Evidence, evidenceFromVotes, GOVERNANCE_MODULE } from '@pujiang/module-governance';
import { evidenceRecorded } from '@pujiang/module-governance/chain';
import { encodeTx, signTx } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import type { Chain } from '../chain/chain.js';
import type { Mempool } from '../mempool/mempool.js';

/** Blocks an evidence transaction may wait for inclusion. */
const EXPIRY_BLOCKS = 100n;
/** Gas for the evidence message: two signature checks and three writes, with room to spare. */
const EVIDENCE_GAS_LIMIT = 200_000n;
/** Equivocations remembered as already reported (the driver reports each pair once per run anyway). */
const MAX_REMEMBERED = 1_024;

export interface EvidenceReporterOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly secretKey: SecretKey;
  /** Admits a transaction and gossips it (the node's `submit`). */
  readonly submit: (wire: Uint8Array) => Promise<string>;
  readonly log?: (line: string) => void;
}

/**
 * Turns the consensus driver's equivocation evidence into a `governance/evidence`
 * transaction signed with this node's key, so the chain records and proves it. Every node
 * that sees both votes detects the same equivocation: a node skips what the state already
 * records, and of several submitted at once the first to commit wins (the rest fail with
 * `GOV_EVIDENCE_DUPLICATE` before any signature is checked). Never throws into the driver.
 */
export class EvidenceReporter {
  private readonly reported = new Set<string>();
  submitted = 0;

  constructor(private readonly o: EvidenceReporterOptions) {}

  /** The driver's `onEvidence`: returns at once; the transaction is built and submitted after. */
  report(first: Signed<Vote>, second: Signed<Vote>): void {
    const v = first.message;
    const id = `${v.height}/${v.round}/${v.type}/${v.validator}`;
    if (this.reported.has(id)) return;
    if (this.reported.size >= MAX_REMEMBERED) this.reported.clear();
    this.reported.add(id);
    setImmediate(() => {
      this.submitEvidence(evidenceFromVotes(first, second), id).catch((error: unknown) => {
        this.o.log?.(`evidence: equivocation at ${id} not submitted: ${describe(error)}`);
      });
    });
  }

  private async submitEvidence(evidence: Evidence, id: string): Promise<void> {
    const chain = this.o.chain;
    if (!chain.executor.enabledModules.some((m) => m.name === GOVERNANCE_MODULE)) return;
    if (evidenceRecorded(chain.executor.reader(chain.stateRoot, GOVERNANCE_MODULE), evidence)) return;
    const key = this.o.secretKey;
    const publicKey = getSuite(key.suite).publicKeyFromSecretKey(key.bytes);
    const sender = chain.addressOf({ suite: key.suite, bytes: publicKey });
    const tx = signTx(
      {
        chainId: chain.genesis.chainId,
        suite: key.suite,
        publicKey,
        nonce: this.o.mempool.pendingNonce(sender),
        expiresAtHeight: chain.height + EXPIRY_BLOCKS,
        gasLimit: EVIDENCE_GAS_LIMIT,
        module: GOVERNANCE_MODULE,
        type: 'evidence',
        payload: encode(Evidence, evidence),
      },
      key,
    );
    const hash = await this.o.submit(encodeTx(tx));
    this.submitted++;
    this.o.log?.(`evidence: equivocation at ${id} submitted in transaction ${hash}`);
  }
}

function describe(error: unknown): string {
  return isPujiangError(error) ? `${error.code}: ${error.message}` : String(error);
}
