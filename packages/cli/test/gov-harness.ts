import assert from 'node:assert/strict';
import {
  finalizeProposal,
  type GovernanceAction,
  type KeyPair,
  type PujiangClient,
  submitProposal,
  TransactionFailedError,
  voteOnProposal,
} from '@pujiang/sdk';
import { until } from './node-harness.js';

/** The receipt's code: `OK`, or the failing code the SDK throws as `TransactionFailedError`. */
export async function codeOf(
  sent: Promise<{ result: { receipt?: { code: string } } }>,
): Promise<string | undefined> {
  try {
    return (await sent).result.receipt?.code;
  } catch (error) {
    if (error instanceof TransactionFailedError) return error.receipt.code;
    throw error;
  }
}

/**
 * A governance proposal voted through: organization 0's operator proposes, the `voters`
 * approve on their own nodes, and it is finalized once the time-lock is over.
 */
export async function voteThrough(
  clients: readonly PujiangClient[],
  keys: readonly KeyPair[],
  voters: readonly number[],
  title: string,
  action: GovernanceAction,
): Promise<void> {
  const proposed = await submitProposal(clients[0]!, { key: keys[0]!, wait: true, title, action });
  const id = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
  for (const i of voters)
    assert.equal(
      await codeOf(voteOnProposal(clients[i]!, { key: keys[i]!, wait: true, id, approve: true })),
      'OK',
    );
  await until(async () =>
    (await codeOf(finalizeProposal(clients[0]!, { key: keys[0]!, wait: true, id }))) === 'OK'
      ? true
      : undefined,
  );
}
