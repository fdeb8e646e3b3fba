import { encode } from '@pujiang/codec';
import type { KeyPair } from '@pujiang/crypto';
import type { RouteHost } from '@pujiang/module-kit';
import { addressOf } from '@pujiang/module-kit/keys';
import { encodeTx, signTx, txHash } from '@pujiang/protocol';
import { hexToBytes, PujiangError } from '@pujiang/types';
import { AnchorIssuance, DID_LIMITS, DID_MODULE } from '../formats.js';

/** How long an issuance waits for its anchor to be committed before it fails. */
const COMMIT_TIMEOUT_MS = 30_000;

interface Waiting {
  readonly digest: string;
  readonly resolve: (at: { height: bigint }) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Anchors credential proofs for one chain key: digests queue up while a `did/anchor`
 * transaction is in flight and go together in the next (up to 256 per transaction), one
 * transaction at a time, so the key's nonces never collide. Each waiter learns the block its
 * digest was committed in.
 */
export class AnchorBatcher {
  private readonly queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly host: RouteHost,
    private readonly key: KeyPair,
  ) {}

  anchor(digestHex: string): Promise<{ height: bigint }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ digest: digestHex, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, DID_LIMITS.anchorDigests);
        try {
          const at = await this.send(batch.map((w) => w.digest));
          for (const w of batch) w.resolve(at);
        } catch (error) {
          for (const w of batch) w.reject(error as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async send(digests: string[]): Promise<{ height: bigint }> {
    const host = this.host;
    const tx = signTx(
      {
        chainId: host.chainId,
        suite: this.key.suite,
        publicKey: this.key.publicKey.bytes,
        nonce: host.pendingNonce(addressOf(host.chainHash, this.key)),
        expiresAtHeight: host.height() + 100n,
        gasLimit: 1_000_000n,
        module: DID_MODULE,
        type: 'anchor',
        payload: encode(AnchorIssuance, { digests: digests.map((d) => hexToBytes(d)) }),
      },
      this.key.secretKey,
    );
    const hash = await host.submit(encodeTx(tx));
    if (hash !== txHash(host.chainHash, tx)) throw new Error('the node named another transaction');
    const at = await host.waitForCommit(hash, COMMIT_TIMEOUT_MS);
    if (!at)
      throw new PujiangError('VC_ANCHOR_PENDING', 'the issuance anchor was not committed in time; retry', {
        txHash: hash,
      });
    if (at.code !== 'OK')
      throw new PujiangError('VC_ANCHOR_FAILED', `the issuance anchor failed: ${at.code}`, {
        txHash: hash,
        code: at.code,
      });
    return { height: at.height };
  }
}
