import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandIo, EXIT, usageError } from '@pujiang/cli-kit';
import type { KeyPair } from '@pujiang/crypto';
import { type Genesis, PujiangClient } from '@pujiang/sdk';
import { PujiangError } from '@pujiang/types';
import type { OnboardErrorCode } from './errors.js';
import { enterpriseFiles } from './files.js';
import { addressOn, makeDid, register, registeredFor } from './identity.js';
import { type LicenceIssuer, receiveLicence, verifyLicence } from './licence.js';
import type { Progress } from './record.js';
import type { StepTimer } from './timer.js';

/** The steps on chain both paths end with, once the enterprise has its certificate, and the summary. */

/** A client of the node at `api`, once it answers (for `chainId`, when given). */
export async function reachable(api: string, chainId?: string): Promise<PujiangClient> {
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

export interface ChainStepsParameters {
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
export async function chainSteps(p: ChainStepsParameters): Promise<number> {
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
