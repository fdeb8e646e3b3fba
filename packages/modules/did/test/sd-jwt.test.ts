import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import {
  didResolver,
  issueSdJwtVc,
  type JwsKey,
  presentSdJwtVc,
  publicJwk,
  toMultibase,
  verifySdJwtVc,
} from '../src/index.js';

function didKeyJws(algorithm: 'Ed25519' | 'P-256'): JwsKey {
  const secretKey = algorithm === 'Ed25519' ? ed25519.utils.randomSecretKey() : p256.utils.randomSecretKey();
  const bytes =
    algorithm === 'Ed25519' ? ed25519.getPublicKey(secretKey) : p256.getPublicKey(secretKey, true);
  const multibase = toMultibase({ algorithm, bytes });
  return { verificationMethod: `did:key:${multibase}#${multibase}`, algorithm, secretKey };
}

const resolver = didResolver({});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'verified',
    (e: { code: string; check: string }) => `${e.code}/${e.check}`,
  );

describe('SD-JWT VC (selective disclosure with holder binding)', () => {
  for (const algorithm of ['Ed25519', 'P-256'] as const)
    it(`the holder discloses some claims to one verifier (${algorithm} issuer); nothing else verifies`, async () => {
      const issuerKey = didKeyJws(algorithm);
      const holderKey = didKeyJws('Ed25519');
      const credential = await issueSdJwtVc({
        issuerKey,
        vct: 'https://pujiang.example/credentials/tax-clearance',
        claims: {
          company: 'ACME Trading',
          taxId: '91310000MA1K',
          address: 'Pudong, Shanghai',
          cleared: true,
        },
        disclosable: ['company', 'taxId', 'address'],
        holderJwk: publicJwk(holderKey),
      });
      const presentation = await presentSdJwtVc({
        credential,
        disclose: ['company'],
        holderKey,
        nonce: 'n-42',
        audience: 'https://bank.example',
      });
      const verified = await verifySdJwtVc(presentation, {
        resolver,
        nonce: 'n-42',
        audience: 'https://bank.example',
      });
      assert.equal(verified.claims.company, 'ACME Trading');
      assert.equal(verified.claims.cleared, true, 'claims not made disclosable are always there');
      assert.equal(verified.claims.taxId, undefined, 'withheld');
      assert.equal(verified.claims.address, undefined, 'withheld');
      assert.equal(verified.issuer, issuerKey.verificationMethod.split('#')[0]);

      const verify = (p: string, nonce = 'n-42', audience = 'https://bank.example') =>
        failure(verifySdJwtVc(p, { resolver, nonce, audience }));
      assert.equal(await verify(presentation, 'n-43'), 'VC_PRESENTATION/challenge');
      assert.equal(await verify(presentation, 'n-42', 'https://evil.example'), 'VC_PRESENTATION/domain');
      // A disclosure the issuer never signed (a forged address) is caught by its digest.
      const forged = `${presentation.split('~')[0]}~${Buffer.from(JSON.stringify(['c2FsdA', 'taxId', 'forged'])).toString('base64url')}~${presentation.split('~').slice(1).join('~')}`;
      assert.equal((await verify(forged)).split('/')[1], 'proof');
      // Without the holder's key-binding JWT (a copied credential), it is refused.
      const unbound = await presentSdJwtVc({
        credential,
        disclose: ['company'],
        holderKey: didKeyJws('Ed25519'),
        nonce: 'n-42',
        audience: 'https://bank.example',
      });
      assert.equal((await verify(unbound)).split('/')[1], 'proof', 'signed by another key than cnf');
    });

  it('the issuer must sign with a key of its own DID, and an expired credential fails validity', async () => {
    const issuerKey = didKeyJws('Ed25519');
    const other = didKeyJws('Ed25519');
    const holderKey = didKeyJws('Ed25519');
    const credential = await issueSdJwtVc({
      issuerKey: {
        ...issuerKey,
        verificationMethod: `${other.verificationMethod.split('#')[0]}#${issuerKey.verificationMethod.split('#')[1]}`,
      },
      vct: 'licence',
      claims: { licence: 'L-1' },
      disclosable: ['licence'],
      holderJwk: publicJwk(holderKey),
    });
    const presented = await presentSdJwtVc({
      credential,
      disclose: ['licence'],
      holderKey,
      nonce: 'n',
      audience: 'a',
    });
    assert.notEqual(
      await failure(verifySdJwtVc(presented, { resolver, nonce: 'n', audience: 'a' })),
      'verified',
    );
    const expired = await issueSdJwtVc({
      issuerKey,
      vct: 'licence',
      claims: { licence: 'L-1' },
      disclosable: ['licence'],
      holderJwk: publicJwk(holderKey),
      validUntil: new Date('2020-01-01T00:00:00Z'),
    });
    const late = await presentSdJwtVc({
      credential: expired,
      disclose: ['licence'],
      holderKey,
      nonce: 'n',
      audience: 'a',
    });
    assert.equal(
      await failure(verifySdJwtVc(late, { resolver, nonce: 'n', audience: 'a' })),
      'VC_EXPIRED/validity',
    );
  });
});
