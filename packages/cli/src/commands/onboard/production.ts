import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandIo, EXIT, nodeUrl, required, usageError } from '@pujiang/cli-kit';
import { isSuiteId, type SuiteId, serialHex } from '@pujiang/crypto';
import { readCertificate } from '@pujiang/module-governance/cli';
import { readKeyFile } from '@pujiang/node';
import { type Genesis, parseGenesis } from '@pujiang/sdk';
import { checkUscc } from '../uscc.js';
import { DEFAULT_HOME, type HoldDir, type OnboardValues, usccOf } from './args.js';
import { chainSteps, reachable } from './chain-steps.js';
import { keepCertificate, keyStep, requestStep } from './credentials.js';
import { claimEnterpriseDir, holdEnterpriseDir } from './dir.js';
import { checkName, enterpriseFiles, slugOf } from './files.js';
import { issuerStep } from './licence.js';
import { type LocalNet, orgOf, readLocalNetwork } from './network.js';
import { Progress, track } from './record.js';
import type { StepTimer } from './timer.js';

/**
 * The production path in two halves: `onboard request` on the enterprise's machine, then,
 * with the certificate the organization's admin issued where the CA key is kept offline,
 * `onboard finish`.
 */

/** `onboard request`: key and request, nothing else. */
export async function onboardRequest(
  values: OnboardValues,
  timer: StepTimer,
  io: CommandIo,
  hold: HoldDir,
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

/** `onboard finish`: the admin's certificate, then everything on chain (steps done earlier skipped). */
export async function onboardFinish(
  values: OnboardValues,
  timer: StepTimer,
  io: CommandIo,
  hold: HoldDir,
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
  const issuer = net ? await issuerStep(timer, net, dir) : undefined;
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
