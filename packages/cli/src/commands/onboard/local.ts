import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandIo, required } from '@pujiang/cli-kit';
import { readCertificate } from '@pujiang/module-governance/cli';
import { checkUscc } from '../uscc.js';
import { DEFAULT_HOME, type HoldDir, type OnboardValues, usccOf } from './args.js';
import { chainSteps, reachable } from './chain-steps.js';
import { certifyLocally, keepCertificate, keyStep, requestStep } from './credentials.js';
import { claimEnterpriseDir } from './dir.js';
import { checkName, enterpriseFiles, slugOf } from './files.js';
import { issuerStep } from './licence.js';
import { orgOf, readLocalNetwork } from './network.js';
import { Progress, track } from './record.js';
import type { StepTimer } from './timer.js';

/** `pujiang onboard`: the one-command local path (a rerun of one that stopped midway continues it). */
export async function onboardLocal(
  values: OnboardValues,
  timer: StepTimer,
  io: CommandIo,
  hold: HoldDir,
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
  const issuer = await issuerStep(timer, net, dir);
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
