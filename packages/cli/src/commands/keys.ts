import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, required, usageError } from '@pujiang/cli-kit';
import { assertHashAlgorithm, generateKeyPair, isSuiteId } from '@pujiang/crypto';
import { addressHex, readKeyFile, writeKeyFile } from '@pujiang/node';
import { bytesToHex, PujiangError } from '@pujiang/types';

export const KEYS_USAGE = `pujiang keys generate --suite S --out FILE    new account key file (mode 0600)
pujiang keys show --key FILE [--chain-hash sm3|sha256]
                                               suite, public key and address (default hash: sm3 for sm2 keys, else sha256)`;

export function runKeys(args: readonly string[], io: CommandIo): number {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      suite: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      'chain-hash': { type: 'string' },
    },
    strict: true,
  });
  if (sub === 'generate') {
    const suite = required(values, 'suite');
    if (!isSuiteId(suite)) throw usageError(`unknown suite ${suite}`, { option: 'suite' });
    const out = required(values, 'out');
    const key = generateKeyPair(suite);
    writeKeyFile(out, key);
    io.out(
      JSON.stringify({ file: out, ...describe(key, suite.startsWith('sm2') ? 'sm3' : 'sha256') }, null, 2),
    );
    return EXIT.ok;
  }
  if (sub === 'show') {
    const key = readKeyFile(required(values, 'key'));
    const chainHash = values['chain-hash'] ?? (key.suite.startsWith('sm2') ? 'sm3' : 'sha256');
    assertHashAlgorithm(chainHash);
    io.out(JSON.stringify(describe(key, chainHash), null, 2));
    return EXIT.ok;
  }
  throw new PujiangError('CLI_UNKNOWN_COMMAND', `unknown command "keys ${sub ?? ''}"\n\n${KEYS_USAGE}`);
}

function describe(key: ReturnType<typeof generateKeyPair>, chainHash: 'sm3' | 'sha256') {
  return {
    suite: key.suite,
    publicKey: bytesToHex(key.publicKey.bytes),
    chainHash,
    address: addressHex(chainHash, key),
  };
}
