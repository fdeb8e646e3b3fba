import { type CommandIo, EXIT, reportError } from '@pujiang/cli-kit';
import { INDEX_USAGE, runIndex } from '@pujiang/indexer/cli';
import { MODULE_COMMANDS } from '@pujiang/modules/cli';
import { MONITOR_USAGE, runMonitor } from '@pujiang/monitor/cli';
import { CLIENT_USAGE, runClient } from './commands/client.js';
import { CRYPTO_USAGE, runCrypto } from './commands/crypto.js';
import { GENESIS_USAGE, runGenesis } from './commands/genesis.js';
import { KEYS_USAGE, runKeys } from './commands/keys.js';
import { MEMBERSHIP_USAGE, runCert, runMembershipTx, runOrg } from './commands/membership.js';
import { NODE_USAGE, runInit, runNode } from './commands/node.js';
import { ONBOARD_USAGE, runOnboard } from './commands/onboard/index.js';
import { QUERY_USAGE, runQuery } from './commands/query.js';
import { runSelftest } from './commands/selftest.js';
import { runUp, UP_USAGE } from './commands/up.js';
import { commandContext } from './context.js';
import { helpWords, narrowHelp } from './help.js';

export type { CommandIo } from '@pujiang/cli-kit';
export { EXIT } from '@pujiang/cli-kit';

/** Each module's command groups, one line each in the list and their usage below (from the module list). */
const moduleLines = MODULE_COMMANDS.map((c) => `${`  pujiang ${c.name} ...`.padEnd(26)}${c.summary}\n`).join(
  '',
);
const moduleUsage = MODULE_COMMANDS.map((c) => `${c.usage}\n\n`).join('');

export const USAGE = `pujiang: the Pujiang Digital Chain command line

  pujiang init ...        create a node home (key, genesis, config)
  pujiang genesis ...     build a chain's genesis from its validators' node keys
  pujiang node ...        run a node (start) or audit its store (replay)
  pujiang up ...          run a local network of validators, one process each
  pujiang keys ...        account key files
  pujiang status | send | balance | block | tx    talk to a node through its API
  pujiang query MODULE NAME                       any module query, optionally with proofs
  pujiang org init | cert issue|request|show      an organization's CA and its members' certificates
  pujiang register | revoke                       put a certificate on chain, or an organization's revocation
  pujiang onboard ...     an enterprise in one step: key, certificate request, registration, DID, licence
${moduleLines}  pujiang index ...       follow a node into PostgreSQL for history and search (the console uses it)
  pujiang monitor ...     security monitoring: alerts with evidence, Prometheus metrics, risk reports
  pujiang crypto ...      key generation, signing, verification and hashing for every suite
  pujiang selftest        run the standards' known-answer checks on this build
  pujiang help            this text

${NODE_USAGE}

${GENESIS_USAGE}

${UP_USAGE}

${KEYS_USAGE}

${CLIENT_USAGE}
${QUERY_USAGE}

${MEMBERSHIP_USAGE}

${ONBOARD_USAGE}

${moduleUsage}${INDEX_USAGE}

${MONITOR_USAGE}

${CRYPTO_USAGE}`;

const consoleIo: CommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const SELFTEST_USAGE =
  "pujiang selftest     run the standards' known-answer checks (SM2, SM3, SM4, Ed25519, ML-DSA) on this build";

/** The help text of a command, for `pujiang COMMAND --help` (undefined: not a command). */
function helpFor(command: string): string | undefined {
  const byCommand: Record<string, string> = {
    init: NODE_USAGE,
    node: NODE_USAGE,
    genesis: GENESIS_USAGE,
    up: UP_USAGE,
    keys: KEYS_USAGE,
    status: CLIENT_USAGE,
    send: CLIENT_USAGE,
    balance: CLIENT_USAGE,
    block: CLIENT_USAGE,
    tx: CLIENT_USAGE,
    query: QUERY_USAGE,
    org: MEMBERSHIP_USAGE,
    cert: MEMBERSHIP_USAGE,
    register: MEMBERSHIP_USAGE,
    revoke: MEMBERSHIP_USAGE,
    onboard: ONBOARD_USAGE,
    index: INDEX_USAGE,
    monitor: MONITOR_USAGE,
    crypto: CRYPTO_USAGE,
    selftest: SELFTEST_USAGE,
  };
  return byCommand[command] ?? MODULE_COMMANDS.find((c) => c.name === command)?.usage;
}

/** `--help` or `-h` anywhere after the command, or `help` as its subcommand. */
const asksForHelp = (rest: readonly string[]) =>
  rest.includes('--help') || rest.includes('-h') || rest[0] === 'help';

/** Runs one command line and returns its exit code; bad input never throws out of here. */
export async function runCli(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  const [command, ...rest] = argv;
  const help = command === undefined ? undefined : helpFor(command);
  if (help !== undefined && asksForHelp(rest)) {
    io.out(narrowHelp(help, command!, helpWords(rest)));
    return EXIT.ok;
  }
  // `pujiang help COMMAND [SUBCOMMAND]`: that command's help.
  const asked = command === 'help' && rest[0] !== undefined ? helpFor(rest[0]) : undefined;
  if (asked !== undefined) {
    io.out(narrowHelp(asked, rest[0]!, helpWords(rest.slice(1))));
    return EXIT.ok;
  }
  try {
    switch (command) {
      case 'init':
        return runInit(rest, io);
      case 'genesis':
        return runGenesis(rest, io);
      case 'node':
        return await runNode(rest, io);
      case 'up':
        return await runUp(rest, io);
      case 'keys':
        return runKeys(rest, io);
      case 'status':
      case 'send':
      case 'balance':
      case 'block':
      case 'tx':
        return await runClient(command, rest, io);
      case 'query':
        return await runQuery(rest, io);
      case 'org':
        return runOrg(rest, io);
      case 'cert':
        return runCert(rest, io);
      case 'register':
      case 'revoke':
        return await runMembershipTx(command, rest, io);
      case 'onboard':
        return await runOnboard(rest, io);
      case 'index':
        return await runIndex(rest, io);
      case 'monitor':
        return await runMonitor(rest, io);
      case 'crypto':
        return runCrypto(rest, io);
      case 'selftest':
        return await runSelftest(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return EXIT.ok;
      default: {
        const group = MODULE_COMMANDS.find((c) => c.name === command);
        if (group) return await group.run(rest, commandContext(io));
        io.err(`error CLI_UNKNOWN_COMMAND: unknown command "${command}"\n\n${USAGE}`);
        return EXIT.badInput;
      }
    }
  } catch (error) {
    return reportError(io, error);
  }
}
