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
 * Sends `did/*` messages signed by one chain key, one transaction at a time (so the key's
 * nonces never collide), each waited for until committed.
 */
export class KeySender {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: RouteHost,
    readonly key: KeyPair,
  ) {}

  send(type: string, payload: Uint8Array): Promise<{ height: bigint }> {
    const job = this.tail.then(() => this.submit(type, payload));
    this.tail = job.catch(() => undefined);
    return job;
  }

  private async submit(type: string, payload: Uint8Array): Promise<{ height: bigint }> {
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
        type,
        payload,
      },
      this.key.secretKey,
    );
    const hash = await host.submit(encodeTx(tx));
    if (hash !== txHash(host.chainHash, tx)) throw new Error('the node named another transaction');
    const at = await host.waitForCommit(hash, COMMIT_TIMEOUT_MS);
    if (!at)
      throw new PujiangError('VC_TX_PENDING', `did/${type} was not committed in time; retry`, {
        txHash: hash,
      });
    if (at.code !== 'OK') throw new PujiangError(at.code, `did/${type} failed: ${at.code}`, { txHash: hash });
    return { height: at.height };
  }
}

/**
 * Anchors credential proofs: digests queue up while a `did/anchor` transaction is in flight
 * and go together in the next (up to 256 per transaction). Each waiter learns the block its
 * digest was committed in.
 */
export class AnchorBatcher {
  private readonly queue: Waiting[] = [];
  private running = false;

  constructor(private readonly sender: KeySender) {}

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
          const payload = encode(AnchorIssuance, { digests: batch.map((w) => hexToBytes(w.digest)) });
          const at = await this.sender.send('anchor', payload);
          for (const w of batch) w.resolve(at);
        } catch (error) {
          for (const w of batch) w.reject(error as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
