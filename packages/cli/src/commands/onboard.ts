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
  checkName,
  claimEnterpriseDir,
  type EnterpriseDir,
  enterpriseFiles,
  holdEnterpriseDir,
  keepCertificate,
  type LicenceIssuer,
  makeDid,
  makeKey,
  makeRequest,
  type OnboardingRecord,
  Progress,
  receiveLicence,
  register,
  registeredFor,
  StepTimer,
  slugOf,
  verifyLicence,
} from './onboard-steps.js';
import { checkUscc, generateUscc } from './uscc.js';

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

export type OnboardErrorCode = 'ONBOARD_NODE_UNREACHABLE';

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
  let held: EnterpriseDir | undefined;
  const hold = (dir: EnterpriseDir) => {
    held = dir;
    return dir;
  };
  try {
    if (sub === 'request') {
      only(['name', 'org', 'suite', 'home', 'out']);
      return await request(values, timer, io, hold);
    }
    if (sub === 'finish') {
      only(['dir', 'cert', 'home', 'node', 'api', 'genesis', 'uscc']);
      return await finish(values, timer, io, hold);
    }
    only(['name', 'org', 'home', 'uscc', 'out']);
    return await oneStep(values, timer, io, hold);
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

/** The credit code: the one given, else the one an unfinished run recorded, else a generated one. */
function usccOf(values: Values, previous: OnboardingRecord | undefined): string {
  if (values.uscc !== undefined) {
    const code = checkUscc(values.uscc);
    if (
      previous?.uscc !== undefined &&
      previous.uscc !== code &&
      previous.steps.some((s) => s.step === 'licence')
    )
      throw usageError(`the licence was issued for ${previous.uscc} already, not ${code}`, {
        option: 'uscc',
      });
    return code;
  }
  return previous?.uscc ?? generateUscc();
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

/** The key an earlier run wrote (it must be of the chain's suite), or a new one. */
async function keyStep(timer: StepTimer, dir: string, suite: SuiteId): Promise<KeyPair> {
  const file = enterpriseFiles(dir).key;
  if (existsSync(file)) {
    const key = readKeyFile(file);
    if (key.suite !== suite)
      throw usageError(
        `${file} holds a ${key.suite} key; this chain's suite is ${suite}: choose another --out`,
        {
          option: 'out',
        },
      );
    timer.skip('key', 'key.json present', { suite: key.suite });
    return key;
  }
  return timer.run(
    'key',
    () => makeKey(dir, suite),
    (k) => ({ suite: k.suite }),
  );
}

async function requestStep(timer: StepTimer, dir: string, key: KeyPair, name: string, org: string) {
  const file = enterpriseFiles(dir).request;
  if (existsSync(file)) timer.skip('request', 'request.pem present', { file });
  else
    await timer.run(
      'request',
      () => makeRequest(dir, key, name, org),
      () => ({ file }),
    );
}

/** Connects the timer to onboarding.json: each completed step is recorded as it ends. */
function track(timer: StepTimer, progress: Progress, status: (step: string) => OnboardingRecord['status']) {
  timer.onStep = (line) => progress.step(line, status(line.step));
}

/** The one-command local path (a rerun of one that stopped midway continues it). */
async function oneStep(
  values: Values,
  timer: StepTimer,
  io: CommandIo,
  hold: (d: EnterpriseDir) => EnterpriseDir,
): Promise<number> {
  const name = checkName(required(values, 'name'), 'name');
  const org = checkName(required(values, 'org'), 'org');
  if (values.uscc !== undefined) checkUscc(values.uscc);
  const net = readLocalNetwork(values.home ?? DEFAULT_HOME);
  const { node, ca } = orgOf(net, org);
  const client = await reachable(node.api, net.chainId);
  const dir = values.out ?? join('onboarded', slugOf(name));
  const { previous } = hold(claimEnterpriseDir(dir, { name, org }, ['started', 'requested', 'in-progress']));
  const uscc = usccOf(values, previous);
  const progress = new Progress(dir, { name, org, uscc, suite: net.suite }, previous);
  if (!previous) progress.save({});
  track(timer, progress, (step) =>
    step === 'issuer' || step === 'key' || step === 'request' ? progress.record.status : 'in-progress',
  );
  const files = enterpriseFiles(dir);
  let issuer: LicenceIssuer | undefined;
  if (existsSync(files.licence)) timer.skip('issuer', 'licence.json present');
  else issuer = await issuerStep(timer, net);
  const key = await keyStep(timer, dir, net.suite);
  await requestStep(timer, dir, key, name, org);
  if (progress.record.status === 'started') progress.save({ status: 'requested' });
  let certificate: Uint8Array;
  if (existsSync(files.certificate)) {
    const { der } = readCertificate(files.certificate, 'out');
    keepCertificate(dir, der, key);
    timer.skip('certificate', 'certificate.pem present', { file: files.certificate });
    certificate = der;
  } else
    certificate = await timer.run(
      'certificate',
      () => certifyLocally(dir, ca),
      () => ({ org, role: 'client', file: files.certificate }),
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
    progress,
  });
}

/** The local issuer, set up once: its line says whether this run paid for the setup. */
function issuerStep(timer: StepTimer, net: LocalNet): Promise<LicenceIssuer> {
  return timer.run(
    'issuer',
    () => localIssuer(net),
    (i) => ({
      did: i.did,
      root: i.root,
      oneTimeSetup: i.setUp,
      ...(i.setUp
        ? {
            proposal: i.record.proposal,
            accreditation: i.record.issuer?.accreditation,
            ...(i.record.upgradedFrom ? { upgradedFrom: i.record.upgradedFrom } : {}),
          }
        : {}),
    }),
  );
}

/** Production, first half: key and request, nothing else. */
async function request(
  values: Values,
  timer: StepTimer,
  io: CommandIo,
  hold: (d: EnterpriseDir) => EnterpriseDir,
): Promise<number> {
  const name = checkName(required(values, 'name'), 'name');
  const org = checkName(required(values, 'org'), 'org');
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
  // Only a request that stopped before it was complete is continued; a complete one waits for finish.
  const { previous } = hold(claimEnterpriseDir(dir, { name, org }, ['started']));
  const progress = new Progress(dir, { name, org, suite }, previous);
  if (!previous) progress.save({});
  track(timer, progress, () => 'started');
  const key = await keyStep(timer, dir, suite);
  const files = enterpriseFiles(dir);
  await requestStep(timer, dir, key, name, org);
  const next = [
    `pujiang cert show --csr ${files.request}   # ${org}'s admin: what the request asks for`,
    `pujiang cert issue --org-dir <${org}'s CA directory> --role client --csr ${files.request} --out ${join(dir, 'certificate.pem')}   # ${org}'s admin, where the CA key is`,
    `pujiang onboard finish --dir ${dir} --cert ${join(dir, 'certificate.pem')} --node <URL> --genesis <genesis.json>`,
  ];
  const summary = progress.save({
    event: 'requested',
    status: 'requested',
    name,
    org,
    suite,
    dir,
    files: { key: files.key, request: files.request },
    totalMs: timer.totalMs,
    next,
  });
  io.out(JSON.stringify(summary));
  io.err(`${name}: key and request in ${dir}; give ${files.request} to ${org}'s admin, then:`);
  for (const line of next) io.err(`  ${line}`);
  return EXIT.ok;
}

/** Production, second half: the admin's certificate, then everything on chain (steps done earlier skipped). */
async function finish(
  values: Values,
  timer: StepTimer,
  io: CommandIo,
  hold: (d: EnterpriseDir) => EnterpriseDir,
): Promise<number> {
  const dir = required(values, 'dir');
  const certPath = required(values, 'cert');
  if (values.uscc !== undefined) checkUscc(values.uscc);
  if (values.home !== undefined && (values.node !== undefined || values.genesis !== undefined))
    throw usageError('--home finds the node and genesis: give --home or --node and --genesis', {
      option: 'home',
    });
  const { previous } = hold(holdEnterpriseDir(dir, ['requested', 'in-progress']));
  const pending = previous!;
  const files = enterpriseFiles(dir);
  const key = readKeyFile(files.key);
  const { der, cert } = readCertificate(certPath, 'cert');
  const org = cert.subject.organization ?? pending.org;
  let genesis: Genesis;
  let genesisPath: string;
  let api: string;
  let net: LocalNet | undefined;
  if (values.home !== undefined) {
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
  const uscc = usccOf(values, pending);
  const progress = new Progress(dir, { name: pending.name, org: pending.org, uscc }, pending);
  track(timer, progress, (step) => (step === 'issuer' ? progress.record.status : 'in-progress'));
  let issuer: LicenceIssuer | undefined;
  if (net && existsSync(files.licence)) timer.skip('issuer', 'licence.json present');
  else if (net) issuer = await issuerStep(timer, net);
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
    uscc,
    progress,
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
  /** The local issuer, when it is to issue the licence (absent: the licence is present, or the authority's). */
  issuer: LicenceIssuer | undefined;
  name: string;
  org: string;
  uscc: string;
  progress: Progress;
}

/** The DID an earlier run created, from its did.json. */
function didOfFile(path: string): string {
  try {
    const id = JSON.parse(readFileSync(path, 'utf8'))?.id;
    if (typeof id === 'string' && id.startsWith('did:')) return id;
  } catch {
    // reported below
  }
  throw usageError(`${path} holds no DID document: remove it to create the DID again`, { option: 'dir' });
}

/** Registration, DID, licence and its verification (each skipped when done already), then the summary. */
async function chainSteps(p: ChainStepsParameters): Promise<number> {
  const { timer, dir, client, key, genesis, progress } = p;
  const files = enterpriseFiles(dir);
  const address = addressOn(genesis, key);
  // Registration is only needed once: an identity registered for this key (an earlier run) is kept.
  let registered: { hash?: unknown; height?: unknown };
  if (await registeredFor(client, address, key)) {
    const earlier = progress.done('register');
    registered = { hash: earlier?.hash, height: earlier?.height };
    timer.skip('register', 'registered for this key', { address });
  } else
    registered = await timer.run(
      'register',
      () => register(client, key, p.certificate),
      (r) => ({ address, ...r }),
    );
  let did: { did: string; hash?: string; height?: number | undefined };
  if (existsSync(files.did)) {
    const earlier = progress.done('did');
    did = { did: didOfFile(files.did), hash: earlier?.hash as string, height: earlier?.height as number };
    timer.skip('did', 'did.json present', { did: did.did });
  } else
    did = await timer.run(
      'did',
      () => makeDid(dir, client, key),
      (d) => d,
    );
  let licence: { id: string; height?: number | undefined; credential: unknown } | undefined;
  let verified: Awaited<ReturnType<typeof verifyLicence>> | undefined;
  if (existsSync(files.licence)) {
    let credential: { id?: unknown };
    try {
      credential = JSON.parse(readFileSync(files.licence, 'utf8'));
    } catch (error) {
      throw usageError(`${files.licence} is not a credential: ${(error as Error).message}`, {
        option: 'dir',
      });
    }
    const id = String(
      progress.done('licence')?.id ?? String(credential?.id ?? '').replace(/^urn:pujiang:docs:/, ''),
    );
    licence = { id, credential };
    timer.skip('licence', 'licence.json present', { id, file: files.licence });
  } else if (p.issuer) {
    const issuer = p.issuer;
    licence = await timer.run(
      'licence',
      () => receiveLicence(dir, issuer, { did: did.did, name: p.name, uscc: p.uscc }),
      (l) => ({ id: l.id, uscc: p.uscc, issuer: issuer.did, height: l.height, file: files.licence }),
    );
  }
  if (licence) {
    const { credential, height } = licence;
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
  const summary = progress.save({
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
    totalMs: timer.totalMs,
    next,
  });
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
