import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { voteSignBytes } from '@pujiang/consensus';
import { type KeyPair, sign } from '@pujiang/crypto';
import type { Submission } from '@pujiang/module-xchain';
import { listPendingPackets } from '@pujiang/module-xchain/client';
import {
  type ChainSide,
  openConnection,
  type RelayCounters,
  type RelayPath,
  relayOnce,
} from '@pujiang/module-xchain/relayer';
import { readKeyFile } from '@pujiang/node';
import { blockHash, encodeCertificate } from '@pujiang/protocol';
import { createLightClient, PujiangClient, readHeaderSubmission } from '@pujiang/sdk';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';

/** Two chains of different suites as processes, each with a client of the other, and a connection between them. */
export interface TwoChains {
  readonly homes: readonly [InitOutput, InitOutput];
  readonly a: ChainSide & { readonly chain: PujiangClient };
  readonly b: ChainSide & { readonly chain: PujiangClient };
  readonly connection: { readonly a: string; readonly b: string };
  stop(): Promise<void>;
}

export async function startTwoChains(suiteA = 'sm2', suiteB = 'ed25519'): Promise<TwoChains> {
  const homes = [initHome(suiteA), initHome(suiteB)] as const;
  const nodes: NodeProcess[] = await Promise.all(homes.map((h) => startNodeProcess(h.home)));
  const stop = async () => {
    for (const node of nodes) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    for (const h of homes) rmSync(h.home, { recursive: true, force: true });
  };
  try {
    const [ca, cb] = nodes.map((n) => new PujiangClient(n.api)) as [PujiangClient, PujiangClient];
    const a = { chain: ca, key: readKeyFile(homes[0].operatorKey), clientId: 'chain-b' };
    const b = { chain: cb, key: readKeyFile(homes[1].operatorKey), clientId: 'chain-a' };
    await until(
      async () => ((await ca.getStatus()).height >= 2 && (await cb.getStatus()).height >= 2) || undefined,
    );
    for (const [host, followed, home] of [
      [a, b, homes[1]],
      [b, a, homes[0]],
    ] as const) {
      await createLightClient(host.chain, {
        key: host.key,
        wait: true,
        clientId: host.clientId,
        chainId: home.chainId,
        chainHash: home.chainHash,
        trustingPeriodMs: 86_400_000,
        maxClockDriftMs: 10_000,
        trusted: await readHeaderSubmission(followed.chain, (await followed.chain.getStatus()).height),
      });
    }
    return { homes, a, b, connection: await openConnection(a, b), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Another header of the same height (another transaction root), certified by `validator`
 * alone as validator 0: an equivocation, or a header signed by a key that is no longer trusted.
 */
export function forgeWithValidator(
  real: Submission,
  validator: KeyPair,
  chainHash: 'sm3' | 'sha256' = 'sm3',
  offered: Submission['validators'] = real.validators.slice(0, 1),
): Submission {
  const header = { ...real.header, txRoot: new Uint8Array(32).fill(9), txCount: real.header.txCount + 1 };
  const height = Number(header.height);
  const value = blockHash(chainHash, header);
  const message = { type: 'precommit' as const, height, round: 0, value, validator: 0 };
  const certificate = {
    height,
    round: 0,
    value,
    precommits: [
      { message, signature: sign(validator.secretKey, voteSignBytes(header.chainId, message)).bytes },
    ],
  };
  return { ...real, header, certificate: encodeCertificate(certificate), validators: offered };
}

/**
 * Relay rounds on `path` until neither end holds a packet in flight (at most 20), running
 * `afterRound` after each one (a conservation check, say).
 */
export async function relayUntilIdle(
  path: RelayPath,
  counters?: RelayCounters,
  afterRound: () => Promise<void> = async () => {},
): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await relayOnce(path, counters);
    await afterRound();
    const left =
      (await listPendingPackets(path.a.chain, path.a.port, path.a.channel)).length +
      (await listPendingPackets(path.b.chain, path.b.port, path.b.channel)).length;
    if (left === 0) return;
  }
  assert.fail('packets still pending after 20 rounds');
}
