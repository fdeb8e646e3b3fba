import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, NODE_OPTIONS, printJson, usageError } from '@pujiang/cli-kit';
import { nodeClient } from '../context.js';

export const QUERY_USAGE = `pujiang query MODULE NAME [--params JSON] [--prove [--height H | --after TXHASH]] [--node URL]
                                                any module query (GET /v1/query/MODULE/NAME); --params is a JSON
                                                object of its parameters; --prove adds a proof of every state key
                                                it read, against header H (default: the latest; --after: the first
                                                header that proves the state after that transaction)`;

const OPTIONS = {
  ...NODE_OPTIONS,
  params: { type: 'string' },
  prove: { type: 'boolean' },
  height: { type: 'string' },
  after: { type: 'string' },
} as const;

/** `--after TXHASH`: the proof waits for the first header that proves the state after that transaction. */
export function provenAfterOption(after: string | undefined, proving: boolean): { provenAfter?: string } {
  if (after === undefined) return {};
  if (!proving) throw usageError('--after goes with a proof (--prove, --verify)', { option: 'after' });
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(after))
    throw usageError('--after must be a transaction hash (64 hex digits)', { option: 'after' });
  return { provenAfter: after };
}

/** The `--params` object as the query string's text values. */
function queryParams(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usageError('--params must be a JSON object, e.g. {"address":"00..."}', { option: 'params' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw usageError('--params must be a JSON object', { option: 'params' });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw usageError(`--params ${k} must be a string, number or boolean`, { option: 'params', field: k });
    out[k] = String(v);
  }
  return out;
}

/** `pujiang query MODULE NAME`: prints the node's answer (with its proofs under --prove). */
export async function runQuery(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  if (positionals.length !== 2) throw usageError('expected MODULE NAME', { got: positionals.length });
  const [module, name] = positionals as [string, string];
  const params = queryParams(values.params);
  let height: number | undefined;
  if (values.height !== undefined) {
    if (!/^[1-9][0-9]{0,15}$/.test(values.height))
      throw usageError('--height must be a positive integer', { option: 'height' });
    if (!values.prove) throw usageError('--height goes with --prove', { option: 'height' });
    height = Number(values.height);
  }
  const after = provenAfterOption(values.after, values.prove === true);
  if (height !== undefined && after.provenAfter !== undefined)
    throw usageError('--height and --after are alternatives', { option: 'after' });
  const client = nodeClient(values);
  if (values.prove)
    printJson(io, await client.queryProven(module, name, params, height === undefined ? after : { height }));
  else printJson(io, await client.query(module, name, params));
  return EXIT.ok;
}
