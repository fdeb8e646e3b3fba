import {
  type Genesis,
  type GenesisJson,
  LightClient,
  PujiangClient,
  parseGenesis,
} from '@pujiang/sdk/browser';
import { safeStorage } from '../i18n/index.js';

/** How far the page trusts the genesis it verifies against. */
export type Trust =
  /** The operator pinned this genesis (a file they loaded): the node is trusted for nothing. */
  | { readonly kind: 'pinned'; readonly chainId: string }
  /** Pinned on this browser's first visit, from the node itself: proofs hold if that first answer was honest. */
  | { readonly kind: 'first-use'; readonly chainId: string }
  /** The node serves another genesis than the pinned one: every proof will fail. */
  | { readonly kind: 'mismatch'; readonly chainId: string; readonly nodeChainId: string };

/** The indexer and monitor this node's operator configured for the console (`console` in config.json). */
export interface ConsoleSettings {
  readonly indexer?: string;
  readonly monitor?: string;
}

export interface Connection {
  /** The node's API (this page's origin, or `?node=` when given). */
  readonly nodeUrl: string;
  readonly client: PujiangClient;
  /** Every proof is checked against this genesis, never against the node's word. */
  readonly light: LightClient;
  readonly genesis: Genesis;
  readonly trust: Trust;
  readonly settings: ConsoleSettings;
}

/**
 * Pins are kept per node URL: a genesis pinned for one node is never taken as the pin of
 * another (a `?node=` link cannot reuse, or overwrite, the pin of this page's own node).
 */
const pinKey = (nodeUrl: string) => `pujiang.genesis@${nodeUrl}`;
const pinKindKey = (nodeUrl: string) => `pujiang.genesis.kind@${nodeUrl}`;

/**
 * The page was opened with `?node=` for another node than the one that served it, and no
 * genesis is pinned for that node: trust on first use is only taken from the page's own
 * origin, so the operator must pin the chain's genesis file first.
 */
export class PinRequiredError extends Error {
  constructor(readonly nodeUrl: string) {
    super(`no genesis is pinned for ${nodeUrl}: pin the chain's genesis file to read it`);
    this.name = 'PinRequiredError';
  }
}

/** The node this page talks to: its own origin, unless `?node=http://...` names another. */
export function nodeUrlOfPage(): string {
  const asked = new URLSearchParams(window.location.search).get('node');
  if (asked && /^https?:\/\/[^\s/]+\/?$/.test(asked)) return asked.replace(/\/$/, '');
  return window.location.origin;
}

/** Canonical text of a genesis, so two copies compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Pins a genesis the operator loaded from a file (it must parse); later visits verify against it. */
export function pinGenesis(json: unknown, nodeUrl = nodeUrlOfPage()): Genesis {
  const genesis = parseGenesis(json);
  safeStorage()?.setItem(pinKey(nodeUrl), JSON.stringify(json));
  safeStorage()?.setItem(pinKindKey(nodeUrl), 'pinned');
  return genesis;
}

export function forgetPinnedGenesis(nodeUrl = nodeUrlOfPage()): void {
  safeStorage()?.removeItem(pinKey(nodeUrl));
  safeStorage()?.removeItem(pinKindKey(nodeUrl));
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Connects to the node, and settles which genesis every answer is verified against. */
export async function connect(): Promise<Connection> {
  const nodeUrl = nodeUrlOfPage();
  const client = new PujiangClient({ url: nodeUrl, timeoutMs: 15_000 });
  const storage = safeStorage();
  const pinnedText = storage?.getItem(pinKey(nodeUrl));
  // A link can name any node: trusting that node's own genesis would let whoever wrote the
  // link choose the chain the page proves against. Only the page's own node is trusted on
  // first use; another node needs a pin (asked before the page reads anything from it).
  if (!pinnedText && nodeUrl !== window.location.origin) throw new PinRequiredError(nodeUrl);
  const nodeGenesisJson = (await getJson(`${nodeUrl}/v1/genesis`)) as GenesisJson;
  const settings = await getJson(new URL('config.json', window.location.href).href).catch(() => ({}));
  let trust: Trust;
  let genesis: Genesis;
  if (pinnedText) {
    const pinned = JSON.parse(pinnedText) as GenesisJson;
    genesis = parseGenesis(pinned);
    const kind = storage?.getItem(pinKindKey(nodeUrl)) === 'pinned' ? 'pinned' : 'first-use';
    trust =
      canonical(pinned) === canonical(nodeGenesisJson)
        ? { kind, chainId: genesis.chainId }
        : {
            kind: 'mismatch',
            chainId: genesis.chainId,
            nodeChainId: String((nodeGenesisJson as { chainId?: unknown }).chainId),
          };
  } else {
    genesis = parseGenesis(nodeGenesisJson);
    storage?.setItem(pinKey(nodeUrl), JSON.stringify(nodeGenesisJson));
    storage?.setItem(pinKindKey(nodeUrl), 'first-use');
    trust = { kind: 'first-use', chainId: genesis.chainId };
  }
  return {
    nodeUrl,
    client,
    light: new LightClient({ client, genesis }),
    genesis,
    trust,
    settings: settings as ConsoleSettings,
  };
}
