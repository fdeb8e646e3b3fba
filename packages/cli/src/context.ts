import { readFileSync } from 'node:fs';
import {
  type CommandContext,
  type CommandIo,
  type NodeOptionValues,
  nodeUrl,
  usageError,
} from '@pujiang/cli-kit';
import { homePaths, readKeyFile } from '@pujiang/node';
import { LightClient, PujiangClient, parseGenesis } from '@pujiang/sdk';

/**
 * A client of the node the options name (`--node`/`--api`, $PUJIANG_NODE, or the local
 * default), signing its requests as the member whose key file `--sign-as` (or
 * $PUJIANG_SIGN_AS) names: what a node whose reads are members-only requires.
 */
export function nodeClient(values: NodeOptionValues): PujiangClient {
  const signAs = values['sign-as'] ?? process.env.PUJIANG_SIGN_AS;
  return new PujiangClient({
    url: nodeUrl(values),
    ...(signAs === undefined || signAs === '' ? {} : { signer: readKeyFile(signAs) }),
  });
}

/** What module commands get from this CLI: the SDK's client and the node's key files. */
export function commandContext(io: CommandIo): CommandContext {
  return {
    io,
    client: nodeClient,
    readKey: (path) => readKeyFile(path),
    readNodeKey: (home) => readKeyFile(homePaths(home).nodeKey),
    verifiedClient: (values, genesisPath) => {
      let text: string;
      try {
        text = readFileSync(genesisPath, 'utf8');
      } catch (error) {
        throw usageError(`cannot read ${genesisPath}: ${(error as Error).message}`, { option: 'genesis' });
      }
      return new LightClient({ client: nodeClient(values), genesis: parseGenesis(JSON.parse(text)) });
    },
  };
}
