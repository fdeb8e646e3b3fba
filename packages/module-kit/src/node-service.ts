import type { ChainEvent } from '@pujiang/protocol';

/**
 * What a module may run on each node beside the chain: work that is node-local by nature
 * (data kept off chain, sent only to some peers), never state every validator must agree on.
 * The node starts one per enabled module that defines `nodeService`, after the chain opens.
 */
export interface NodeServiceHost {
  readonly chainId: string;
  readonly chainHash: 'sm3' | 'sha256';
  /** This node's own registered identity (its node key's), if it has one. */
  self(): { readonly address: string; readonly org: string; readonly role: string } | undefined;
  /** Peers linked now, with the organization their node key is registered under (if any). */
  peers(): readonly { readonly id: string; readonly org: string | undefined }[];
  /** Sends the module's payload to one peer (sealed by the link's cipher, as every peer message). */
  send(peer: string, payload: Uint8Array): void;
  /** A typed module query on the latest state. */
  query(module: string, name: string, params: Readonly<Record<string, string>>): unknown;
  /** The latest committed height. */
  height(): bigint;
  /** A directory of the module's own on this node (created on demand), for data that is not chain state. */
  readonly dataDir: string;
  log(line: string): void;
}

/** What the node tells a module's service. Each call must not throw; the node logs if it does. */
export interface NodeService {
  /** A peer sent this module a payload (the peer is a linked member; the payload is unchecked). */
  onPeerMessage?(peer: string, payload: Uint8Array): void;
  /** A block committed, with its events. */
  onCommit?(height: bigint, events: readonly ChainEvent[]): void;
  close?(): void | Promise<void>;
}
