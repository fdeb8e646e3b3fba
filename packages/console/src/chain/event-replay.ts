import type { ChainEvent, PujiangClient } from '@pujiang/sdk/browser';

export interface ReplayedEvent {
  readonly height: number;
  readonly txHash: string;
  readonly event: ChainEvent;
}

/**
 * A module's committed events from `fromHeight`, read from the node's event stream until it
 * has caught up, or until `timeoutMs` (then `complete` is false and the page says so). The
 * node keeps no index by event type: on long chains an indexer answers this better.
 */
export function replayEvents(
  client: PujiangClient,
  filter: { module: string; type?: string; fromHeight?: number },
  timeoutMs = 15_000,
): Promise<{ events: ReplayedEvent[]; complete: boolean }> {
  const events: ReplayedEvent[] = [];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (complete: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.close();
      resolve({ events, complete });
    };
    const subscription = client.subscribe(
      {
        fromHeight: filter.fromHeight ?? 1,
        blocks: false,
        txs: false,
        events: true,
        module: filter.module,
        ...(filter.type ? { type: filter.type } : {}),
      },
      (message) => {
        if (message.type === 'event')
          events.push({ height: message.height, txHash: message.txHash, event: message.event });
        else if (message.type === 'caughtUp') finish(true);
      },
    );
    const timer = setTimeout(() => finish(false), timeoutMs);
    void subscription.done.then(() => finish(false));
  });
}
