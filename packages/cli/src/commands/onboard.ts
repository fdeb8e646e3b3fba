import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, nodeUrl, required, usageError } from '@pujiang/cli-kit';
import { isSuiteId, type KeyPair, type SuiteId, serialHex } from '@pujiang/crypto';
import { readCertificate } from '@pujiang/module-governance/cli';
import { readKeyFile } from '@pujiang/node';
import { type Genesis, PujiangClient, parseGenesis } from '@pujiang/sdk';
import { isPujiangError, PujiangError } from '@pujiang/types';
import { localIssuer } from './onboard-issuer.js';
import { type LocalNet, orgOf, readLocalNetwork } from './onboard-network.js';
import {
  addressOn,
  certifyLocally,
  enterpriseFiles,
  keepCertificate,
  type LicenceIssuer,
  makeDid,
  makeKey,
  makeRequest,
  newEnterpriseDir,
  receiveLicence,
  register,
  StepTimer,
  slugOf,
  verifyLicence,
  writeSummary,
} from './onboard-steps.js';
import { checkUscc, generateUscc } from './uscc.js';

export const ONBOARD_USAGE = `Onboarding an enterprise (docs/onboarding.md):
pujiang onboard --name NAME --org ORG [--home DIR] [--uscc CODE] [--out DIR]
  on a local network made by pujiang up (DIR, default .pujiang/localnet), in one command: the enterprise's key
  (the chain's suite), a certificate request (PKCS#10) that ORG's CA in the network home signs, registration
  on chain, its DID (did:pujiang, controlled by its key: the first transaction it sends as a member), and a
  BusinessLicence from the network's market-regulation issuer, verified with its accreditation. The issuer is
  set up on first use, once (a DID recognised as the CN-31 root by a proposal the network's organizations
  vote through; recorded in DIR/market-regulator.json). Prints a JSON line per step with its milliseconds,
  then a summary. Writes key.json (mode 0600), request.pem, certificate.pem, did.json, licence.json and
  onboarding.json to --out (default ./onboarded/<name as a slug>), which must not hold an enterprise yet.
  --uscc: the unified social credit code, checked (default: a valid one generated for a development network)
pujiang onboard request --name NAME --org ORG [--suite S | --home DIR] [--out DIR]
  production, on the enterprise's machine: its key and certificate request only, in the chain's suite (--suite,
  else the local network's at --home, default .pujiang/localnet). The organization's admin signs the request
  where the CA key is kept offline:
  pujiang cert issue --org-dir CA_DIR --role client --csr DIR/request.pem --out CERT.pem
pujiang onboard finish --dir DIR --cert CERT.pem (--home NET | --node URL --genesis FILE) [--uscc CODE]
  continues with the admin's certificate: registration and the DID; with --home the local issuer's licence too,
  verified; otherwise it prints the pujiang doc issue line for the market-regulation authority to run`;

export type OnboardErrorCode = 'ONBOARD_NODE_UNREACHABLE' | 'ONBOARD_NOT_REQUESTED';

const OPTIONS = {
  name: { type: 'string' },
  org: { type: 'string' },
  home: { type: 'string' },
  uscc: { type: 'string' },
  out: { type: 'string' },
  suite: { type: 'string' },
  dir: { type: 'string' },
  cert: { type: 'string' },
  node: { type: 'string' },
  api: { type: 'string' },
  genesis: { type: 'string' },
} as const;
type Values = { [K in keyof typeof OPTIONS]?: string };

const DEFAULT_HOME = join('.pujiang', 'localnet');

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
  try {
    if (sub === 'request') {
      only(['name', 'org', 'suite', 'home', 'out']);
      return await request(values, timer, io);
    }
    if (sub === 'finish') {
      only(['dir', 'cert', 'home', 'node', 'api', 'genesis', 'uscc']);
      return await finish(values, timer, io);
    }
    only(['name', 'org', 'home', 'uscc', 'out']);
    return await oneStep(values, timer, io);
  } catch (error) {
    // A step that failed printed its line; what was written stays for the user to look at.
    if (!timer.begun || !isPujiangError(error)) throw error;
    io.err(`error ${error.code}: ${error.message}`);
    return EXIT.invalid;
  }
}

function usccOf(values: Values): string {
  return values.uscc === undefined ? generateUscc() : checkUscc(values.uscc);
}

async function reachable(api: string, chainId?: string): Promise<PujiangClient> {
  const client = new PujiangClient({ url: api });
  const status = await client.getStatus({ timeoutMs: 5_000 }).catch(() => undefined);
  if (status === undefined || (chainId !== undefined && status.chainId !== chainId))
    throw new PujiangError<OnboardErrorCode>(
      'ONBOARD_NODE_UNREACHABLE',
      status === undefined
        ? `no node answers at ${api}: is the network running (npm start)?`
        : `${api} answers for chain ${status.chainId}, not ${chainId}`,
      { api },
    );
  return client;
}

/** The one-command local path. */
async function oneStep(values: Values, timer: StepTimer, io: CommandIo): Promise<number> {
  const name = required(values, 'name');
  const org = required(values, 'org');
  const uscc = usccOf(values);
  const net = readLocalNetwork(values.home ?? DEFAULT_HOME);
  const { node, ca } = orgOf(net, org);
  const client = await reachable(node.api, net.chainId);
  const dir = values.out ?? join('onboarded', slugOf(name));
  newEnterpriseDir(dir);
  const issuer = await issuerStep(timer, net);
  const key = await timer.run(
    'key',
    () => makeKey(dir, net.suite),
    (k) => ({ suite: k.suite }),
  );
  await timer.run(
    'request',
    () => makeRequest(dir, key, name, org),
    () => ({ file: enterpriseFiles(dir).request }),
  );
  const certificate = await timer.run(
    'certificate',
    () => certifyLocally(dir, ca),
    () => ({ org, role: 'client', file: enterpriseFiles(dir).certificate }),
  );
  return chainSteps({
    timer,
    io,
    dir,
    client,
    key,
    certificate,
    genesis: net.genesis,
    genesisPath: net.genesisPath,
    api: node.api,
    issuer,
    name,
    org,
    uscc,
    net,
  });
}

/** The local issuer, set up once: its line says whether this run paid for the setup. */
function issuerStep(timer: StepTimer, net: LocalNet): Promise<LicenceIssuer> {
  return timer.run(
    'issuer',
    () => localIssuer(net),
    (i) => ({ did: i.did, oneTimeSetup: i.setUp, ...(i.setUp ? { proposal: i.record.proposal } : {}) }),
  );
}

/** Production, first half: key and request, nothing else. */
async function request(values: Values, timer: StepTimer, io: CommandIo): Promise<number> {
  const name = required(values, 'name');
  const org = required(values, 'org');
  let suite: SuiteId;
  if (values.suite !== undefined) {
    if (!isSuiteId(values.suite)) throw usageError(`unknown suite ${values.suite}`, { option: 'suite' });
    suite = values.suite;
  } else if (values.home !== undefined || existsSync(join(DEFAULT_HOME, 'network.json'))) {
    suite = readLocalNetwork(values.home ?? DEFAULT_HOME).suite;
  } else
    throw usageError('give --suite (the chain suite: sm2 on an SM2 chain) or --home NET', {
      option: 'suite',
    });
  const dir = values.out ?? join('onboarded', slugOf(name));
  newEnterpriseDir(dir);
  const key = await timer.run(
    'key',
    () => makeKey(dir, suite),
    (k) => ({ suite: k.suite }),
  );
  const files = enterpriseFiles(dir);
  await timer.run(
    'request',
    () => makeRequest(dir, key, name, org),
    () => ({ file: files.request }),
  );
  const next = [
    `pujiang cert issue --org-dir <${org}'s CA directory> --role client --csr ${files.request} --out ${join(dir, 'certificate.pem')}   # ${org}'s admin, where the CA key is`,
    `pujiang onboard finish --dir ${dir} --cert ${join(dir, 'certificate.pem')} --node <URL> --genesis <genesis.json>`,
  ];
  const summary = {
    event: 'requested',
    status: 'requested',
    name,
    org,
    suite,
    dir,
    files: { key: files.key, request: files.request },
    steps: timer.steps,
    totalMs: timer.totalMs,
    next,
  };
  writeSummary(dir, summary);
  io.out(JSON.stringify(summary));
  io.err(`${name}: key and request in ${dir}; give ${files.request} to ${org}'s admin, then:`);
  for (const line of next) io.err(`  ${line}`);
  return EXIT.ok;
}

/** Production, second half: the admin's certificate, then everything on chain. */
async function finish(values: Values, timer: StepTimer, io: CommandIo): Promise<number> {
  const dir = required(values, 'dir');
  const files = enterpriseFiles(dir);
  const pending = existsSync(files.summary) ? JSON.parse(readFileSync(files.summary, 'utf8')) : undefined;
  if (pending?.status !== 'requested')
    throw new PujiangError<OnboardErrorCode>(
      'ONBOARD_NOT_REQUESTED',
      `${dir} holds no pending request (pujiang onboard request writes one; a finished one is not finished again)`,
      { dir },
    );
  const key = readKeyFile(files.key);
  const { der, cert } = readCertificate(required(values, 'cert'), 'cert');
  const org = cert.subject.organization ?? pending.org;
  let genesis: Genesis;
  let genesisPath: string;
  let api: string;
  let net: LocalNet | undefined;
  if (values.home !== undefined) {
    if (values.node !== undefined || values.genesis !== undefined)
      throw usageError('--home finds the node and genesis: give --home or --node and --genesis', {
        option: 'home',
      });
    net = readLocalNetwork(values.home);
    api = orgOf(net, org).node.api;
    ({ genesis, genesisPath } = net);
  } else {
    genesisPath = required(values, 'genesis');
    api = nodeUrl(values);
    try {
      genesis = parseGenesis(JSON.parse(readFileSync(genesisPath, 'utf8')));
    } catch (error) {
      throw usageError(`${genesisPath} is not a genesis: ${(error as Error).message}`, { option: 'genesis' });
    }
  }
  const client = await reachable(api, genesis.chainId);
  const issuer = net ? await issuerStep(timer, net) : undefined;
  await timer.run(
    'certificate',
    () => keepCertificate(dir, der, key),
    () => ({ org, serial: serialHex(cert), file: files.certificate }),
  );
  return chainSteps({
    timer,
    io,
    dir,
    client,
    key,
    certificate: der,
    genesis,
    genesisPath,
    api,
    issuer,
    name: pending.name,
    org,
    uscc: usccOf(values),
    net,
  });
}

interface ChainStepsParameters {
  timer: StepTimer;
  io: CommandIo;
  dir: string;
  client: PujiangClient;
  key: KeyPair;
  certificate: Uint8Array;
  genesis: Genesis;
  genesisPath: string;
  api: string;
  issuer: LicenceIssuer | undefined;
  name: string;
  org: string;
  uscc: string;
  net: LocalNet | undefined;
}

/** Registration, DID, licence and its verification, then the summary and what to do next. */
async function chainSteps(p: ChainStepsParameters): Promise<number> {
  const { timer, dir, client, key, genesis } = p;
  const files = enterpriseFiles(dir);
  const address = addressOn(genesis, key);
  const registered = await timer.run(
    'register',
    () => register(client, key, p.certificate),
    (r) => ({ address, ...r }),
  );
  const did = await timer.run(
    'did',
    () => makeDid(dir, client, key),
    (d) => d,
  );
  let licence: Awaited<ReturnType<typeof receiveLicence>> | undefined;
  let verified: Awaited<ReturnType<typeof verifyLicence>> | undefined;
  if (p.issuer) {
    const issuer = p.issuer;
    licence = await timer.run(
      'licence',
      () => receiveLicence(dir, issuer, { did: did.did, name: p.name, uscc: p.uscc }),
      (l) => ({ id: l.id, uscc: p.uscc, height: l.height, file: files.licence }),
    );
    const credential = licence.credential;
    const height = licence.height;
    verified = await timer.run(
      'verify',
      () => verifyLicence(client, genesis, credential, height),
      (v) => v,
    );
  }
  const challenge = `onboarding-${Date.now().toString(36)}`;
  const presentation = join(dir, 'presentation.json');
  const next = licence
    ? [
        `npx pujiang doc verify ${files.licence} --genesis ${p.genesisPath} --node ${p.api}`,
        `npx pujiang vc present ${files.licence} --key ${files.key} --holder ${did.did}#key-1 --challenge ${challenge} --out ${presentation}`,
        `npx pujiang vc verify-presentation ${presentation} --challenge ${challenge} --genesis ${p.genesisPath} --node ${p.api}`,
      ]
    : [
        `npx pujiang doc issue --type BusinessLicence --issuer-did <the authority's DID> --key <its key> --subject ${did.did} --number ${p.uscc} --claims '${JSON.stringify({ legalName: p.name, unifiedSocialCreditCode: p.uscc })}' --out licence.json   # the market-regulation authority`,
      ];
  const summary = {
    event: 'onboarded',
    status: 'onboarded',
    name: p.name,
    org: p.org,
    uscc: p.uscc,
    chainId: genesis.chainId,
    suite: key.suite,
    address,
    did: did.did,
    registered,
    // The enterprise's own transaction: creating its DID, signed with its key as a registered member.
    enterpriseTransaction: { step: 'did', message: 'did/create', hash: did.hash, height: did.height },
    licence: licence
      ? {
          id: licence.id,
          file: files.licence,
          verified: verified?.checks,
          accreditation: verified?.accreditation,
        }
      : null,
    files: Object.fromEntries(
      Object.entries(files).filter(([, path]) => existsSync(path) || path === files.summary),
    ),
    steps: timer.steps.map(({ step, ms }) => ({ step, ms })),
    totalMs: timer.totalMs,
    next,
  };
  writeSummary(dir, summary);
  p.io.out(JSON.stringify(summary));
  p.io.err(
    `${p.name} is onboarded in ${timer.totalMs} ms: ${timer.steps.map((s) => `${s.step} ${s.ms} ms`).join(', ')}`,
  );
  p.io.err(`  DID ${did.did}, address ${address}, files in ${dir}`);
  p.io.err(
    licence
      ? 'Next: verify the licence, present it to a verifier, check the presentation:'
      : 'Next, the licence:',
  );
  for (const line of next) p.io.err(`  ${line}`);
  return EXIT.ok;
}
