import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import type { ChainModule } from '@pujiang/module-kit';
import { type Genesis, parseGenesis } from '@pujiang/protocol';
import { bytesToHex } from '@pujiang/types';
import { ValidatorNode } from '../src/index.js';
import { FAST_CONFIG } from './helpers.js';

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

/** A chain of `keys.length` Ed25519 validators of equal power (10 each), with no module state. */
export function equalValidatorsGenesis(chainId: string, keys: readonly KeyPair[]): Genesis {
  return parseGenesis({
    chainId,
    chainHash: 'sha256',
    acceptedSuites: ['ed25519'],
    validators: keys.map((k, i) => ({
      name: `v${i}`,
      suite: 'ed25519',
      publicKey: bytesToHex(k.publicKey.bytes),
      power: 10,
    })),
    limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxBlockGas: 100_000_000 },
    modules: {},
  });
}

/** Validator `v{i}` on the bus, with the tests' fast timeouts and a fresh data directory (pushed to `dirs`). */
export function startOnBus(
  bus: Bus,
  i: number,
  o: { key: KeyPair; genesis: Genesis; modules: ChainModule[]; dirs: string[] },
): ValidatorNode {
  const dataDir = mkdtempSync(join(tmpdir(), `pujiang-v${i}-`));
  o.dirs.push(dataDir);
  const node = new ValidatorNode({
    dataDir,
    genesis: o.genesis,
    modules: o.modules,
    secretKey: o.key.secretKey,
    timeouts: FAST_CONFIG.timeouts,
    blockIntervalMs: 20,
    verifyWorkers: 1,
    transport: bus.transport(`v${i}`),
  });
  bus.nodes.set(`v${i}`, node);
  return node;
}
