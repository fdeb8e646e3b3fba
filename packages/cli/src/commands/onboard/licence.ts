import { existsSync } from 'node:fs';
import type { KeyPair } from '@pujiang/crypto';
import { type Genesis, issueDocument, LightClient, type PujiangClient, verifyDocument } from '@pujiang/sdk';
import { writeNew } from '../cert-request.js';
import { stepError } from './errors.js';
import { enterpriseFiles } from './files.js';
import { committed } from './identity.js';
import { localIssuer } from './issuer.js';
import type { LocalNet } from './network.js';
import type { StepTimer } from './timer.js';

/** The enterprise's BusinessLicence: the issuer this run uses, the licence it issues, its verification. */

export interface LicenceIssuer {
  readonly did: string;
  readonly key: KeyPair;
  /** The issuer's own node. */
  readonly client: PujiangClient;
  /** Holds the issuer's key for one licence (its transactions take consecutive nonces). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * The local issuer, set up once: its line says whether this run paid for the setup. None is
 * needed when licence.json shows an earlier run received the licence.
 */
export async function issuerStep(
  timer: StepTimer,
  net: LocalNet,
  dir: string,
): Promise<LicenceIssuer | undefined> {
  if (existsSync(enterpriseFiles(dir).licence)) {
    timer.skip('issuer', 'licence.json present');
    return undefined;
  }
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

/** The `BusinessLicence` the issuer signs, anchors and registers (docs' `issueDocument`); its number is the code. */
export async function receiveLicence(
  dir: string,
  issuer: LicenceIssuer,
  p: { did: string; name: string; uscc: string },
) {
  const issued = await issuer.exclusive(() =>
    issueDocument(issuer.client, {
      key: issuer.key,
      issuer: issuer.did,
      type: 'BusinessLicence',
      subject: p.did,
      number: p.uscc,
      claims: {
        legalName: p.name,
        unifiedSocialCreditCode: p.uscc,
        registrationAuthority: 'Shanghai Administration for Market Regulation',
        dateOfEstablishment: new Date().toISOString().slice(0, 10),
      },
      wait: true,
    }),
  );
  committed(issued.registered, 'the licence registration');
  writeNew(enterpriseFiles(dir).licence, `${JSON.stringify(issued.credential, null, 2)}\n`, 'out');
  return { id: issued.id, height: issued.registered.result.height, credential: issued.credential };
}

/**
 * Verifies the licence as a relying party would: against state proven under a header the
 * genesis's validators certified, accreditation included, once its registration is provable
 * (a header proves the state after the block before it).
 */
export async function verifyLicence(
  client: PujiangClient,
  genesis: Genesis,
  credential: unknown,
  height?: number,
) {
  for (let i = 0; height !== undefined && (await client.getStatus()).height <= height; i++) {
    if (i > 100) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const report = await verifyDocument(new LightClient({ client, genesis }), { credential });
  if (!report.verified)
    throw stepError(
      'ONBOARD_LICENCE_INVALID',
      `the licence does not verify: ${report.checks
        .filter((c) => !c.verified)
        .map((c) => `${c.check} ${c.code}`)
        .join(', ')}`,
      { checks: report.checks },
    );
  return { checks: report.checks.map((c) => c.check), accreditation: report.accreditation?.chain };
}
