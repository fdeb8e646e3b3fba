import { parseArgs } from 'node:util';
import {
  type CommandContext,
  EXIT,
  eventsOf,
  intOption,
  NODE_OPTIONS,
  printJson,
  required,
  SEND_OPTIONS,
  sendAndReport,
  usageError,
  waitChoice,
} from '@pujiang/cli-kit';
import { encodePayload } from '@pujiang/module-kit';
import { ChanCloseInit, PORTS, type Port } from '../channel-formats.js';
import {
  getChannel,
  getConnection,
  getPacket,
  listPendingPackets,
  sendRemoteCall,
  sendTokens,
} from '../client/channels.js';
import {
  createLightClient,
  getLightClient,
  readHeaderSubmission,
  updateLightClient,
} from '../client/clients.js';
import { send } from '../client/send.js';
import { type ChainSide, openChannel, openConnection } from '../relayer/handshake.js';

export const XCHAIN_USAGE = `Cross-chain (light clients, connections, channels, packets; relaying is \`pujiang relay\`):
pujiang xchain client create ID --followed URL --key FILE [--node URL] [--trusting-period-ms MS] [--max-clock-drift-ms MS]
  a client on the node's chain of the chain --followed serves, trusting its latest header
pujiang xchain client update ID --followed URL --key FILE [--node URL]   move it to the latest header
pujiang xchain client show ID [--node URL]
pujiang xchain connection open --a URL --a-key FILE --a-client ID --b URL --b-key FILE --b-client ID
  the four-step handshake between two chains whose clients of each other exist; prints both ids
pujiang xchain connection show ID [--node URL]
pujiang xchain channel open --a URL --a-key FILE --a-connection ID --b URL --b-key FILE --b-connection ID [--port transfer|call] [--ordered]
pujiang xchain channel show ID [--port transfer|call] [--node URL]
pujiang xchain channel close ID [--port call] --key FILE [--node URL]   a call channel, by the account that sent its INIT
pujiang xchain transfer --channel ID --amount N --receiver ADDRESS [--denom D] (--timeout-height H | --timeout-in-ms MS) --key FILE [--node URL]
pujiang xchain call --channel ID --module M --export E --args JSON (--timeout-height H | --timeout-in-ms MS) --key FILE [--node URL]
pujiang xchain packets CHANNEL [--port transfer|call] [--node URL]   packets in flight, with their state here`;

const SIDES = {
  a: { type: 'string' },
  'a-key': { type: 'string' },
  'a-client': { type: 'string' },
  'a-connection': { type: 'string' },
  b: { type: 'string' },
  'b-key': { type: 'string' },
  'b-client': { type: 'string' },
  'b-connection': { type: 'string' },
} as const;

function portOption(values: Record<string, unknown>, fallback: Port = 'transfer'): Port {
  const port = (values.port as string | undefined) ?? fallback;
  if (!PORTS.includes(port as Port))
    throw usageError(`--port is one of ${PORTS.join(', ')}`, { option: 'port' });
  return port as Port;
}

function timeouts(values: Record<string, unknown>): { timeoutHeight?: bigint; timeoutTime?: bigint } {
  const height = intOption(values, 'timeout-height', 1, Number.MAX_SAFE_INTEGER);
  const inMs = intOption(values, 'timeout-in-ms', 1, 365 * 86_400_000);
  if (height === undefined && inMs === undefined)
    throw usageError('give --timeout-height or --timeout-in-ms', { option: 'timeout-height' });
  return {
    ...(height === undefined ? {} : { timeoutHeight: BigInt(height) }),
    ...(inMs === undefined ? {} : { timeoutTime: BigInt(Date.now() + inMs) }),
  };
}

function side(
  values: Record<string, unknown>,
  ctx: CommandContext,
  which: 'a' | 'b',
  clientId = '',
): ChainSide {
  return {
    chain: ctx.client({ node: required(values, which) }),
    key: ctx.readKey(required(values, `${which}-key`)),
    clientId,
  };
}

async function runClientCommand(
  sub: string | undefined,
  rest: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...SEND_OPTIONS,
      followed: { type: 'string' },
      'trusting-period-ms': { type: 'string' },
      'max-clock-drift-ms': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const id = positionals[0];
  if (!id) throw usageError('name the client: pujiang xchain client create|update|show ID', { option: 'id' });
  const host = ctx.client(values);
  if (sub === 'show') {
    printJson(ctx.io, { client: await getLightClient(host, id) });
    return EXIT.ok;
  }
  const followed = ctx.client({ node: required(values, 'followed') });
  const key = ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  const height = (await followed.getStatus()).height;
  const header = await readHeaderSubmission(followed, height);
  if (sub === 'update')
    return sendAndReport(ctx.io, choice, () =>
      updateLightClient(host, { key, clientId: id, header, ...choice }),
    );
  if (sub !== 'create') throw usageError(`unknown client command ${sub}`, { command: sub });
  const status = await followed.getStatus();
  return sendAndReport(ctx.io, choice, () =>
    createLightClient(host, {
      key,
      clientId: id,
      chainId: status.chainId,
      chainHash: status.chainHash,
      trustingPeriodMs: intOption(values, 'trusting-period-ms', 1000, 365 * 86_400_000) ?? 14 * 86_400_000,
      maxClockDriftMs: intOption(values, 'max-clock-drift-ms', 0, 3_600_000) ?? 10_000,
      trusted: header,
      ...choice,
    }),
  );
}

async function runChannelCommand(
  sub: string | undefined,
  rest: string[],
  ctx: CommandContext,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...SEND_OPTIONS, ...SIDES, port: { type: 'string' }, ordered: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  // Only call channels close (no account closes a transfer channel): `close` defaults to them.
  const port = portOption(values, sub === 'close' ? 'call' : 'transfer');
  if (sub === 'open') {
    const a = side(values, ctx, 'a');
    const b = side(values, ctx, 'b');
    const channel = await openChannel(a, b, {
      port,
      ordering: values.ordered ? 'ORDERED' : 'UNORDERED',
      connection: { a: required(values, 'a-connection'), b: required(values, 'b-connection') },
    });
    printJson(ctx.io, { port, channel });
    return EXIT.ok;
  }
  const id = positionals[0];
  if (!id) throw usageError('name the channel: pujiang xchain channel show|close ID', { option: 'id' });
  if (sub === 'show') {
    printJson(ctx.io, { channel: await getChannel(ctx.client(values), port, id) });
    return EXIT.ok;
  }
  if (sub !== 'close') throw usageError(`unknown channel command ${sub}`, { command: sub });
  const key = ctx.readKey(required(values, 'key'));
  const choice = waitChoice(values);
  return sendAndReport(ctx.io, choice, () =>
    send(
      ctx.client(values),
      { key, ...choice },
      'chanCloseInit',
      encodePayload(ChanCloseInit, { port, channelId: id }),
    ),
  );
}

export async function runXchain(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [group, sub, ...rest] = args;
  switch (group) {
    case 'client':
      return runClientCommand(sub, rest, ctx);
    case 'channel':
      return runChannelCommand(sub, rest, ctx);
    case 'connection': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { ...NODE_OPTIONS, ...SIDES },
        allowPositionals: true,
        strict: true,
      });
      if (sub === 'show') {
        printJson(ctx.io, { connection: await getConnection(ctx.client(values), positionals[0] ?? '') });
        return EXIT.ok;
      }
      if (sub !== 'open') throw usageError(`unknown connection command ${sub}`, { command: sub });
      const a = side(values, ctx, 'a', required(values, 'a-client'));
      const b = side(values, ctx, 'b', required(values, 'b-client'));
      printJson(ctx.io, { connection: await openConnection(a, b) });
      return EXIT.ok;
    }
    case 'transfer':
    case 'call': {
      const { values } = parseArgs({
        args: [...(sub === undefined ? [] : [sub]), ...rest],
        options: {
          ...SEND_OPTIONS,
          channel: { type: 'string' },
          amount: { type: 'string' },
          receiver: { type: 'string' },
          denom: { type: 'string' },
          memo: { type: 'string' },
          module: { type: 'string' },
          export: { type: 'string' },
          args: { type: 'string' },
          'timeout-height': { type: 'string' },
          'timeout-in-ms': { type: 'string' },
        },
        strict: true,
      });
      const key = ctx.readKey(required(values, 'key'));
      const choice = waitChoice(values);
      const common = { key, channelId: required(values, 'channel'), ...timeouts(values), ...choice };
      const report = (event: string) => (s: { result: { receipt?: Parameters<typeof eventsOf>[0] } }) => ({
        fields: { packet: eventsOf(s.result.receipt, 'xchain', event)[0]?.attributes ?? null },
      });
      if (group === 'transfer')
        return sendAndReport(
          ctx.io,
          choice,
          () =>
            sendTokens(ctx.client(values), {
              ...common,
              denom: values.denom ?? 'native',
              amount: required(values, 'amount'),
              receiver: required(values, 'receiver'),
              ...(values.memo === undefined ? {} : { memo: values.memo }),
            }),
          report('packetSent'),
        );
      let parsed: unknown;
      try {
        parsed = JSON.parse(required(values, 'args'));
      } catch {
        throw usageError('--args is JSON', { option: 'args' });
      }
      return sendAndReport(
        ctx.io,
        choice,
        () =>
          sendRemoteCall(ctx.client(values), {
            ...common,
            module: required(values, 'module'),
            export: required(values, 'export'),
            args: parsed,
          }),
        report('packetSent'),
      );
    }
    case 'packets': {
      const { values } = parseArgs({
        args: rest,
        options: { ...NODE_OPTIONS, port: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      if (!sub) throw usageError('name the channel: pujiang xchain packets CHANNEL', { option: 'channel' });
      const client = ctx.client(values);
      const port = portOption(values);
      const sequences = await listPendingPackets(client, port, sub);
      const packets = [];
      for (const s of sequences)
        packets.push({ sequence: String(s), ...(await getPacket(client, port, sub, s)) });
      printJson(ctx.io, { port, channel: sub, inFlight: packets });
      return EXIT.ok;
    }
    default:
      throw usageError(`unknown xchain command ${group ?? ''}`, { command: group });
  }
}
