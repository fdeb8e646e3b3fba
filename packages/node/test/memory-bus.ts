import type { ValidatorNode } from '../src/index.js';

/**
 * An in-memory peer network for validators in one process: ordered delivery per link,
 * asynchronous, links that can be cut, and a hook that drops chosen messages (a test's faults).
 */
export class Bus {
  readonly nodes = new Map<string, ValidatorNode>();
  readonly down = new Set<string>();
  /** Returns true for a message that is lost on its way from `from` to `to`. */
  drop: (from: string, to: string, payload: Uint8Array) => boolean = () => false;

  transport(self: string) {
    const deliver = (to: string, payload: Uint8Array) => {
      if (this.down.has(self) || this.down.has(to) || this.drop(self, to, payload)) return;
      setImmediate(() => {
        if (!this.down.has(to)) this.nodes.get(to)?.receive(self, payload);
      });
    };
    return {
      peers: () =>
        this.down.has(self) ? [] : [...this.nodes.keys()].filter((n) => n !== self && !this.down.has(n)),
      broadcast: (payload: Uint8Array) => {
        for (const name of this.nodes.keys()) if (name !== self) deliver(name, payload);
      },
      send: (peer: string, payload: Uint8Array) => deliver(peer, payload),
    };
  }
}
