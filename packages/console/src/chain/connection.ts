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

const PIN_KEY = 'pujiang.genesis';
const PIN_KIND_KEY = 'pujiang.genesis.kind';

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
export function pinGenesis(json: unknown): Genesis {
  const genesis = parseGenesis(json);
  safeStorage()?.setItem(PIN_KEY, JSON.stringify(json));
  safeStorage()?.setItem(PIN_KIND_KEY, 'pinned');
  return genesis;
}

export function forgetPinnedGenesis(): void {
  safeStorage()?.removeItem(PIN_KEY);
  safeStorage()?.removeItem(PIN_KIND_KEY);
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
  const nodeGenesisJson = (await getJson(`${nodeUrl}/v1/genesis`)) as GenesisJson;
  const settings = await getJson(new URL('config.json', window.location.href).href).catch(() => ({}));
  const storage = safeStorage();
  const pinnedText = storage?.getItem(PIN_KEY);
  let trust: Trust;
  let genesis: Genesis;
  if (pinnedText) {
    const pinned = JSON.parse(pinnedText) as GenesisJson;
    genesis = parseGenesis(pinned);
    const kind = storage?.getItem(PIN_KIND_KEY) === 'pinned' ? 'pinned' : 'first-use';
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
    storage?.setItem(PIN_KEY, JSON.stringify(nodeGenesisJson));
    storage?.setItem(PIN_KIND_KEY, 'first-use');
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
