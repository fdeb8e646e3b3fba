import { parseArgs } from 'node:util';
import { type CommandContext, SEND_OPTIONS, usageError } from '@pujiang/cli-kit';
import { runKey, runRound } from './aggregate.js';
import { runCollection } from './collection.js';
import { runCommittee, runDecrypt } from './committee.js';
import { runConfidential } from './confidential.js';

export const PRIVACY_USAGE = `Privacy computing (values are encrypted on this machine; the chain sums ciphertexts):
pujiang privacy key new --out FILE [--bits 2048]          a Paillier key pair (the primes stay in FILE, mode 0600)
pujiang privacy key register ID --paillier FILE --key KEY [--label L]
                                                          registers the public modulus under ID, owned by KEY
pujiang privacy round open ID --scheme paillier|committee [--paillier-key KEYID] [--submitter ADDR]...
                          [--org ORG]... [--max N] --closes-at HEIGHT [--label L] --key KEY
                                                          an aggregation: who may submit (addresses, organizations)
pujiang privacy round submit ID --value N --key KEY       encrypts N for the round's key and submits it
pujiang privacy round close ID --key KEY                  the opener closes a round before its height
pujiang privacy round show ID                             the round, its count and encrypted total
pujiang privacy round decrypt ID --paillier FILE [--publish --key KEY]
                                                          the key owner decrypts the total; --publish proves it on chain
pujiang privacy collection define NAME --org ORG... [--role ROLE]... --retention BLOCKS [--label L] --key KEY
                                                          a private data collection of these organizations (and roles)
pujiang privacy collection put NAME ENTRY (--value TEXT | --file FILE) --key KEY [--salt-out FILE]
                                                          through a member organization's node: the value to its
                                                          members' nodes only, a salted hash on chain
pujiang privacy collection get NAME ENTRY [--out FILE] --sign-as KEY
                                                          a signed member read, checked against the on-chain hash
pujiang privacy collection purge NAME ENTRY --key KEY     the writer (or its admin) purges before the retention ends
pujiang privacy collection show NAME [ENTRY]              the collection, or an entry's on-chain record
pujiang privacy collection verify NAME ENTRY (--value TEXT | --file FILE) --salt HEX
                                                          whether a kept value and salt are what the chain recorded
pujiang privacy confidential param (--minter ADDR... | --auditor-key HEX)
                                                          a parameter's value for
                                                          pujiang gov propose set-param --module confidential --name minters|auditor
pujiang privacy confidential wallet --out FILE            a confidential wallet: its view key and balance opening (0600)
pujiang privacy confidential register --wallet FILE --key KEY
                                                          registers the wallet's view key (memos to it open with it)
pujiang privacy confidential mint --to ADDR --amount N --key KEY
                                                          a minter credits N in the clear
pujiang privacy confidential balance --wallet FILE --key KEY
                                                          applies what arrived, checks the opening against the chain
pujiang privacy confidential send --wallet FILE --to ADDR --amount N --key KEY
                                                          proves (Groth16) and sends a transfer; amounts stay hidden
pujiang privacy confidential audit ADDRESS --auditor WALLET
                                                          the auditor's view key opens what an account received
pujiang privacy committee param --member-address ADDR... --threshold T [--phase-blocks N]
                                                          the committee parameter's value for
                                                          pujiang gov propose set-param --module privacy --name committee
pujiang privacy committee init --member FILE              a committee member's secret state (mode 0600)
pujiang privacy committee register --member FILE --key KEY
                                                          registers the member's committee key
pujiang privacy committee show                            the committee governance set, its epochs and key
pujiang privacy committee deal --member FILE --key KEY    deals shares for the key generation (or resharing) due
pujiang privacy committee check --member FILE --key KEY [--complain]
                                                          checks the shares dealt to this member; exit 1 if any is bad
pujiang privacy committee answer --member FILE --key KEY  answers complaints against this dealer
pujiang privacy committee finalize [--epoch N] --key KEY  ends a key generation after its three phases
pujiang privacy committee share --member FILE --key KEY   derives and keeps this member's share of the key
pujiang privacy decrypt request ID (--round R | --record HEX) --reason TEXT --blind-out FILE --key KEY
                                                          asks the committee; only the holder of the blind file learns it
pujiang privacy decrypt partial ID --member FILE --key KEY
                                                          a member's proven partial decryption
pujiang privacy decrypt finish ID --blind FILE [--max N] [--publish --key KEY]
                                                          the plaintext (and, with --publish, its proof on chain)
pujiang privacy decrypt show ID                           the request and its partial decryptions`;

const OPTIONS = {
  ...SEND_OPTIONS,
  out: { type: 'string' },
  bits: { type: 'string' },
  paillier: { type: 'string' },
  label: { type: 'string' },
  scheme: { type: 'string' },
  'paillier-key': { type: 'string' },
  submitter: { type: 'string', multiple: true },
  org: { type: 'string', multiple: true },
  role: { type: 'string', multiple: true },
  max: { type: 'string' },
  'closes-at': { type: 'string' },
  value: { type: 'string' },
  publish: { type: 'boolean' },
  member: { type: 'string' },
  'member-address': { type: 'string', multiple: true },
  threshold: { type: 'string' },
  'phase-blocks': { type: 'string' },
  complain: { type: 'boolean' },
  epoch: { type: 'string' },
  round: { type: 'string' },
  record: { type: 'string' },
  reason: { type: 'string' },
  blind: { type: 'string' },
  'blind-out': { type: 'string' },
  minter: { type: 'string', multiple: true },
  'auditor-key': { type: 'string' },
  wallet: { type: 'string' },
  to: { type: 'string' },
  amount: { type: 'string' },
  auditor: { type: 'string' },
  file: { type: 'string' },
  retention: { type: 'string' },
  salt: { type: 'string' },
  'salt-out': { type: 'string' },
} as const;

/** `privacy key | round | committee | decrypt ...`. */
export async function runPrivacy(args: readonly string[], ctx: CommandContext): Promise<number> {
  const [group, sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  switch (group) {
    case 'key':
      return runKey(sub, values, positionals, ctx);
    case 'round':
      return runRound(sub, values, positionals, ctx);
    case 'committee':
      return runCommittee(sub, values, ctx);
    case 'decrypt':
      return runDecrypt(sub, values, positionals, ctx);
    case 'collection':
      return runCollection(sub, values, positionals, ctx);
    case 'confidential':
      return runConfidential(sub, values, positionals, ctx);
    default:
      throw usageError(`unknown privacy command "${group ?? ''}"\n\n${PRIVACY_USAGE}`);
  }
}
