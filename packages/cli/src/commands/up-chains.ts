import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandIo, usageError } from '@pujiang/cli-kit';
import { encode } from '@pujiang/codec';
import { isSuiteId, type SuiteId } from '@pujiang/crypto';
import { SECTORS_PARAM, SectorRegistry } from '@pujiang/module-xchain';
import { getSectors } from '@pujiang/module-xchain/client';
import { type ChainSide, openChannel, openConnection } from '@pujiang/module-xchain/relayer';
import { initLocalNetwork, type LocalNetwork, readKeyFile } from '@pujiang/node';
import {
  createLightClient,
  finalizeProposal,
  getLightClient,
  PujiangClient,
  readHeaderSubmission,
  submitProposal,
  voteOnProposal,
} from '@pujiang/sdk';

/**
 * `pujiang up --chains`: a layered multi-chain on this machine. The first chain of the layout
 * is the main chain; every other is a sector chain with its own validators, genesis and
 * suite. Between the main chain and each sector: clients of each other, a connection, a
 * `transfer` and a `call` channel; the sectors are registered by the main chain's governance;
 * one relayer (its own process) relays every path and checkpoints each sector's headers to
 * the main chain. All of it is written down in DIR/layout.json and DIR/relay.json, and a
 * second run resumes it.
 */
export const DEFAULT_LAYOUT = 'main=sm2:2,customs=sm2:1,finance=ed25519:1';
/** Each chain's ports: node i of chain c at basePort + PORT_STRIDE * c + 2i (and + 1 for p2p). */
export const PORT_STRIDE = 200;

export interface ChainSpec {
  readonly name: string;
  readonly suite: SuiteId;
  readonly nodes: number;
}

export function parseLayout(text: string): ChainSpec[] {
  const specs = text.split(',').map((part) => {
    const m = /^([a-z][a-z0-9-]{0,31})=([a-z0-9+-]+):([1-9][0-9]?)$/.exec(part.trim());
    if (!m || !isSuiteId(m[2]!))
      throw usageError(`--layout ${part} is not NAME=SUITE:NODES (e.g. customs=sm2:1)`, { option: 'layout' });
    return { name: m[1]!, suite: m[2] as SuiteId, nodes: Number(m[3]) };
  });
  if (specs.length < 2)
    throw usageError('--layout names a main chain and at least one sector', { option: 'layout' });
  if (new Set(specs.map((s) => s.name)).size !== specs.length)
    throw usageError('--layout names each chain once', { option: 'layout' });
  return specs;
}

export interface LayoutChain {
  readonly spec: ChainSpec;
  readonly network: LocalNetwork;
}

export function initChains(
  dir: string,
  specs: readonly ChainSpec[],
  basePort: number,
  emptyBlockIntervalMs: number,
): LayoutChain[] {
  return specs.map((spec, i) => ({
    spec,
    network: initLocalNetwork({
      dir: join(dir, spec.name),
      nodes: spec.nodes,
      suite: spec.suite,
      basePort: basePort + PORT_STRIDE * i,
      emptyBlockIntervalMs,
    }),
  }));
}

export const metricsPort = (basePort: number, chains: number) => basePort + PORT_STRIDE * chains;

/** What the setup opened between the main chain and one sector (DIR/layout.json). */
interface SectorLayout {
  readonly name: string;
  readonly chainId: string;
  /** The main chain's client of the sector (its checkpoints), and the sector's client of the main chain. */
  readonly clientOnMain: string;
  readonly clientOnSector: string;
  readonly connection: { readonly main: string; readonly sector: string };
  readonly channels: Readonly<
    Record<'transfer' | 'call', { readonly main: string; readonly sector: string }>
  >;
}

const side = (chain: LayoutChain, clientId: string): ChainSide => ({
  chain: new PujiangClient({ url: chain.network.nodes[0]!.api }),
  key: readKeyFile(chain.network.operatorKey),
  clientId,
});

async function ensureClient(host: ChainSide, followed: LayoutChain): Promise<void> {
  if (await getLightClient(host.chain, host.clientId)) return;
  const followedClient = new PujiangClient({ url: followed.network.nodes[0]!.api });
  const status = await followedClient.getStatus();
  await createLightClient(host.chain, {
    key: host.key,
    wait: true,
    clientId: host.clientId,
    chainId: status.chainId,
    chainHash: status.chainHash,
    trustingPeriodMs: 14 * 86_400_000,
    maxClockDriftMs: 10_000,
    trusted: await readHeaderSubmission(followedClient, status.height),
  });
}

/** Opens what is missing between the main chain and each sector; returns the layout (also in DIR/layout.json). */
export async function setupLayout(
  dir: string,
  chains: readonly LayoutChain[],
  io: CommandIo,
): Promise<SectorLayout[]> {
  const file = join(dir, 'layout.json');
  const known: SectorLayout[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).sectors : [];
  const [main, ...sectors] = chains as [LayoutChain, ...LayoutChain[]];
  const layout: SectorLayout[] = [];
  for (const sector of sectors) {
    const done = known.find((s) => s.name === sector.spec.name && s.chainId === sector.network.chainId);
    if (done) {
      layout.push(done);
      continue;
    }
    const onMain = side(main, sector.spec.name);
    const onSector = side(sector, main.spec.name);
    await ensureClient(onMain, sector);
    await ensureClient(onSector, main);
    const connection = await openConnection(onMain, onSector);
    const open = (port: 'transfer' | 'call') =>
      openChannel(onMain, onSector, {
        port,
        ordering: 'UNORDERED',
        connection,
      });
    const transfer = await open('transfer');
    const call = await open('call');
    layout.push({
      name: sector.spec.name,
      chainId: sector.network.chainId,
      clientOnMain: onMain.clientId,
      clientOnSector: onSector.clientId,
      connection: { main: connection.a, sector: connection.b },
      channels: {
        transfer: { main: transfer.a, sector: transfer.b },
        call: { main: call.a, sector: call.b },
      },
    });
    io.err(
      `${main.spec.name} <-> ${sector.spec.name}: ${connection.a}, transfer ${transfer.a}, call ${call.a}`,
    );
    writeFileSync(file, `${JSON.stringify({ main: main.network.chainId, sectors: layout }, null, 2)}\n`);
  }
  return layout;
}

/**
 * Registers the sectors with the main chain's governance (one proposal, finalized once its
 * time-lock passes), unless the registry already lists them.
 */
export async function registerSectors(
  main: LayoutChain,
  layout: readonly SectorLayout[],
  io: CommandIo,
): Promise<void> {
  const { chain, key } = side(main, '');
  const registered = await getSectors(chain);
  if (layout.every((s) => registered.some((r) => r.name === s.name && r.chainId === s.chainId))) return;
  const value = encode(
    SectorRegistry,
    layout.map((s) => ({ name: s.name, chainId: s.chainId, clientId: s.clientOnMain, frozen: false })),
  );
  const proposed = await submitProposal(chain, {
    key,
    wait: true,
    title: `register sectors ${layout.map((s) => s.name).join(', ')}`,
    action: { type: 'setModuleParam', value: { module: 'xchain', name: SECTORS_PARAM, value } },
  });
  const id = proposed.result.receipt?.events.find((e) => e.type === 'proposed')?.attributes.id;
  if (id === undefined) throw new Error('the registration proposal has no id');
  // Each of the main chain's organizations (one per validator node here) approves it.
  for (const node of main.network.nodes.slice(1))
    await voteOnProposal(chain, {
      key: readKeyFile(join(node.home, 'keys', 'operator.json')),
      id,
      approve: true,
      wait: true,
    });
  io.err(`proposal ${id} registers the sectors; finalizing once its time-lock passes`);
  for (;;) {
    const r = await finalizeProposal(chain, { key, id, wait: true, throwOnFailure: false });
    if (r.result.receipt?.code === 'OK') return;
    if (r.result.receipt?.code !== 'GOV_NOT_READY')
      throw new Error(`finalizing proposal ${id}: ${r.result.receipt?.code ?? r.result.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The relayer's configuration for the layout: both channels of every sector, and checkpoints both ways. */
export function writeRelayConfig(
  dir: string,
  chains: readonly LayoutChain[],
  layout: readonly SectorLayout[],
  port: number,
): string {
  const [main] = chains as [LayoutChain];
  const config = {
    chains: Object.fromEntries(
      chains.map((c) => [c.spec.name, { node: c.network.nodes[0]!.api, key: c.network.operatorKey }]),
    ),
    paths: layout.flatMap((s) =>
      (['transfer', 'call'] as const).map((p) => ({
        a: { chain: main.spec.name, client: s.clientOnMain, port: p, channel: s.channels[p].main },
        b: { chain: s.name, client: s.clientOnSector, port: p, channel: s.channels[p].sector },
      })),
    ),
    checkpoints: layout.flatMap((s) => [
      { host: main.spec.name, client: s.clientOnMain, followed: s.name },
      { host: s.name, client: s.clientOnSector, followed: main.spec.name },
    ]),
    intervalMs: 500,
    checkpointEveryMs: 10_000,
    metrics: { host: '127.0.0.1', port },
  };
  const file = join(dir, 'relay.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
