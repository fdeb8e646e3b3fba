import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AccreditationJson, checkAccreditation } from '../src/index.js';

const R_CN = 'did:pujiang:city-main:RootCN11111111111111111';
const R_HK = 'did:pujiang:city-main:RootHK11111111111111111';
const BODY = 'did:pujiang:city-main:BodyCN11111111111111111';
const ISSUER = 'did:pujiang:city-main:IssuerCN1111111111111111';
const FOREIGN = 'did:web:chamber.example.hk';

let n = 0;
const accreditation = (
  accreditor: string,
  subject: string,
  role: 'body' | 'issuer',
  credentialTypes: string[],
  jurisdictions: string[],
  over: Partial<AccreditationJson> = {},
): AccreditationJson => ({
  id: String(n++).padStart(64, '0'),
  accreditor,
  subject,
  role,
  credentialTypes,
  jurisdictions,
  validFrom: '1000',
  validUntil: '0',
  issuedAt: '1000',
  withdrawnAt: '0',
  ...over,
});

const registry: AccreditationJson[] = [
  accreditation(R_CN, BODY, 'body', ['CertificateOfOrigin', 'TaxCertificate'], ['CN']),
  accreditation(BODY, ISSUER, 'issuer', ['CertificateOfOrigin'], ['CN'], { withdrawnAt: '3000' }),
  accreditation(R_HK, FOREIGN, 'issuer', ['CertificateOfOrigin'], ['HK']),
];
const sources = (roots: { jurisdiction: string; root: string }[]) => ({
  accreditationsOf: async (subject: string) => registry.filter((a) => a.subject === subject),
  trustRoots: async () => roots,
});
const credential = (issuer: string, type: string) => ({ issuer, type: ['VerifiableCredential', type] });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code: string; check: string }) => `${e.code}/${e.check}`,
  );

describe('accreditation trust chains', () => {
  const cnOnly = sources([{ jurisdiction: 'CN', root: R_CN }]);

  it('walks issuer, accreditation body, root; a root may issue itself', async () => {
    const path = await checkAccreditation(credential(ISSUER, 'CertificateOfOrigin'), 2000n, cnOnly);
    assert.deepEqual(path, { root: R_CN, jurisdiction: 'CN', chain: [R_CN, BODY, ISSUER] });
    assert.deepEqual((await checkAccreditation(credential(R_CN, 'Anything'), 2000n, cnOnly)).chain, [R_CN]);
  });

  it('an issuer accredited for certificates of origin who issues a tax certificate fails accreditation-scope', async () => {
    assert.equal(
      await failure(checkAccreditation(credential(ISSUER, 'TaxCertificate'), 2000n, cnOnly)),
      'VC_ACCREDITATION_SCOPE/accreditation-scope',
    );
  });

  it('judges at issuance time: before the accreditation, and after its withdrawal, the issuer was not accredited', async () => {
    assert.equal(
      await failure(checkAccreditation(credential(ISSUER, 'CertificateOfOrigin'), 500n, cnOnly)),
      'VC_NOT_ACCREDITED/accreditation',
    );
    assert.equal(
      await failure(checkAccreditation(credential(ISSUER, 'CertificateOfOrigin'), 3500n, cnOnly)),
      'VC_NOT_ACCREDITED/accreditation',
    );
    assert.equal(
      await failure(
        checkAccreditation(credential('did:key:z6Mkunknown', 'CertificateOfOrigin'), 2000n, cnOnly),
      ),
      'VC_NOT_ACCREDITED/accreditation',
    );
  });

  it("a foreign jurisdiction's issuer is trusted only once its root is recognised", async () => {
    assert.equal(
      await failure(checkAccreditation(credential(FOREIGN, 'CertificateOfOrigin'), 2000n, cnOnly)),
      'VC_UNTRUSTED_ROOT/accreditation-root',
    );
    const both = sources([
      { jurisdiction: 'CN', root: R_CN },
      { jurisdiction: 'HK', root: R_HK },
    ]);
    assert.deepEqual(
      (await checkAccreditation(credential(FOREIGN, 'CertificateOfOrigin'), 2000n, both)).chain,
      [R_HK, FOREIGN],
    );
    // A root recognised for another jurisdiction does not vouch for this one.
    const misplaced = sources([{ jurisdiction: 'SG', root: R_HK }]);
    assert.equal(
      await failure(checkAccreditation(credential(FOREIGN, 'CertificateOfOrigin'), 2000n, misplaced)),
      'VC_UNTRUSTED_ROOT/accreditation-root',
    );
  });
});
