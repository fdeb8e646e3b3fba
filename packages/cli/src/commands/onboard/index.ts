import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, usageError } from '@pujiang/cli-kit';
import { isPujiangError } from '@pujiang/types';
import { OPTIONS } from './args.js';
import type { EnterpriseDir } from './dir.js';
import { onboardLocal } from './local.js';
import { onboardFinish, onboardRequest } from './production.js';
import { StepTimer } from './timer.js';

/**
 * `pujiang onboard`: its usage, and the dispatch to the one-command local path (local.ts) or a
 * half of the production path (production.ts), each a run of timed steps (timer.ts) that
 * onboarding.json records (record.ts) in the enterprise's directory (dir.ts, files.ts).
 */

export const ONBOARD_USAGE = `Onboarding an enterprise (docs/onboarding.md):
pujiang onboard --name NAME --org ORG [--home DIR] [--uscc CODE] [--out DIR]
  on a local network made by pujiang up (DIR, default .pujiang/localnet), in one command: the enterprise's key
  (the chain's suite), a certificate request (PKCS#10) that ORG's CA in the network home signs, registration
  on chain, its DID (did:pujiang, controlled by its key: the first transaction it sends as a member), and a
  BusinessLicence from the network's market-regulation issuer, verified with its accreditation (root → issuer).
  The authority is set up on first use, once: a root DID recognised as the CN-31 root by a proposal the
  network's organizations vote through, and an issuer DID with its own key that the root accredits for
  BusinessLicence (recorded in DIR/market-regulator.json). Prints a JSON line per step with its milliseconds,
  then a summary. Writes key.json (mode 0600), request.pem, certificate.pem, did.json, licence.json and
  onboarding.json (its status and each step as it completes) to --out (default ./onboarded/<name as a slug>),
  which must not hold another enterprise: a run of the same --name and --org that stopped midway is resumed
  (steps done are skipped), a finished one is ONBOARD_EXISTS. --name: 1 to 64 characters, no control characters.
  --uscc: the unified social credit code, checked (default: a valid one generated for a development network)
pujiang onboard request --name NAME --org ORG [--suite S | --home DIR] [--out DIR]
  production, on the enterprise's machine: its key and certificate request only, in the chain's suite (--suite,
  else the local network's at --home, default .pujiang/localnet). The organization's admin signs the request
  where the CA key is kept offline:
  pujiang cert issue --org-dir CA_DIR --role client --csr DIR/request.pem --out CERT.pem
pujiang onboard finish --dir DIR --cert CERT.pem (--home NET | --node URL --genesis FILE) [--uscc CODE]
  continues with the admin's certificate: registration and the DID; with --home the local issuer's licence too,
  verified; otherwise it prints the pujiang doc issue line for the market-regulation authority to run. A finish
  that stopped midway is run again the same way: steps done are skipped (ONBOARD_WRONG_KEY: a certificate for
  another key)`;

/** `pujiang onboard`, `onboard request`, `onboard finish`. */
export async function runOnboard(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  const [sub, extra] = positionals;
  if (extra !== undefined || (sub !== undefined && sub !== 'request' && sub !== 'finish'))
    throw usageError(`unexpected argument ${extra ?? sub}; see pujiang help onboard`);
  const only = (allowed: readonly string[]) => {
    const other = Object.keys(values).find((k) => !allowed.includes(k));
    if (other)
      throw usageError(`--${other} does not go with onboard${sub ? ` ${sub}` : ''}`, { option: other });
  };
  const timer = new StepTimer(io);
  let held: EnterpriseDir | undefined;
  const hold = (dir: EnterpriseDir) => {
    held = dir;
    return dir;
  };
  try {
    if (sub === 'request') {
      only(['name', 'org', 'suite', 'home', 'out']);
      return await onboardRequest(values, timer, io, hold);
    }
    if (sub === 'finish') {
      only(['dir', 'cert', 'home', 'node', 'api', 'genesis', 'uscc']);
      return await onboardFinish(values, timer, io, hold);
    }
    only(['name', 'org', 'home', 'uscc', 'out']);
    return await onboardLocal(values, timer, io, hold);
  } catch (error) {
    // A step that failed printed its line; what was written stays, and onboarding.json says how far it got.
    if (!timer.begun || !isPujiangError(error)) throw error;
    io.err(`error ${error.code}: ${error.message}`);
    if (held) io.err(`  what is done is kept in ${held.dir}: run the same command again to continue`);
    return EXIT.invalid;
  } finally {
    held?.release();
  }
}
