import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, getCurves, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type CertificateTemplate,
  certificateFromPem,
  certificateToPem,
  generateKeyPair,
  issueCertificate,
  type KeyPair,
  parseCertificate,
  publicKeyFromPem,
  publicKeyToPem,
  type SuiteId,
  serialHex,
  verifyCertificateSignature,
  X509_HYBRID_KEY_OIDS,
} from '../src/index.js';

/**
 * The real proof that our certificates are X.509: Node's X509Certificate and the openssl
 * command read and verify what we issue, and we read and verify what `openssl req -x509`
 * makes. openssl is looked for by running it; without it those tests are skipped.
 */
const OPENSSL = (() => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
// SM2/SM3 and -sigopt/-vfyopt distid need OpenSSL 3.
const OPENSSL3 = OPENSSL !== undefined && /^OpenSSL [3-9]\./.test(OPENSSL);
const dir = mkdtempSync(join(tmpdir(), 'pujiang-x509-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const NOW = Date.now();
const rootName = {
  commonName: 'Pujiang Root CA',
  organization: 'Pujiang',
  organizationalUnit: 'admin',
  country: 'CN',
};
const leafName = {
  commonName: 'node-1',
  organization: 'Pujiang',
  organizationalUnit: 'validator',
  country: 'CN',
};

/** A self-signed CA and a leaf it issued, both in our suite, written as PEM files too. */
function chain(suite: SuiteId) {
  const ca = generateKeyPair(suite);
  const leaf = generateKeyPair(suite);
  const base: Omit<CertificateTemplate, 'serial' | 'subject' | 'publicKey' | 'isCA'> = {
    issuer: rootName,
    notBefore: NOW - 60_000,
    notAfter: NOW + 86_400_000,
  };
  const caDer = issueCertificate(
    { ...base, serial: Uint8Array.of(1), subject: rootName, publicKey: ca.publicKey, isCA: true },
    ca.secretKey,
  );
  const leafTemplate = {
    ...base,
    serial: Uint8Array.of(0x00, 0x9a, 0xbc),
    subject: leafName,
    publicKey: leaf.publicKey,
    isCA: false,
  };
  const leafDer = issueCertificate(leafTemplate, ca.secretKey);
  writeFileSync(join(dir, `${suite}-ca.pem`), certificateToPem(caDer));
  writeFileSync(join(dir, `${suite}-leaf.pem`), certificateToPem(leafDer));
  return { ca, caDer, leafDer, leafTemplate };
}

const keyObject = (kp: KeyPair) => createPublicKey(publicKeyToPem(kp.publicKey));

describe('X.509 interop: Node (OpenSSL) reads and verifies our certificates', () => {
  for (const suite of ['ed25519', 'secp256k1'] as const) {
    it(`${suite}-issued CA and leaf`, (t) => {
      if (suite === 'secp256k1' && !getCurves().includes('secp256k1'))
        return t.skip('no secp256k1 in this OpenSSL');
      const { ca, caDer, leafDer, leafTemplate } = chain(suite);
      const root = new X509Certificate(caDer);
      const leaf = new X509Certificate(leafDer);
      assert.equal(root.subject, 'C=CN\nO=Pujiang\nOU=admin\nCN=Pujiang Root CA');
      assert.equal(leaf.subject, 'C=CN\nO=Pujiang\nOU=validator\nCN=node-1');
      assert.equal(leaf.issuer, root.subject);
      assert.equal(leaf.serialNumber.toLowerCase(), serialHex(leafTemplate));
      assert.equal(Date.parse(leaf.validFrom), Math.floor(leafTemplate.notBefore / 1000) * 1000);
      assert.equal(Date.parse(leaf.validTo), Math.floor(leafTemplate.notAfter / 1000) * 1000);
      assert.equal(root.ca, true);
      assert.equal(leaf.ca, false);
      assert.equal(leaf.checkIssued(root), true);
      assert.equal(leaf.verify(keyObject(ca)), true);
      assert.equal(root.verify(keyObject(ca)), true);
      assert.equal(leaf.verify(keyObject(generateKeyPair(suite))), false);
    });
  }

  it('sm2-issued leaf: fields read by Node (Node cannot pass the SM2 user ID, so no verify)', () => {
    const { leafDer } = chain('sm2');
    const leaf = new X509Certificate(leafDer);
    assert.equal(leaf.subject, 'C=CN\nO=Pujiang\nOU=validator\nCN=node-1');
    assert.equal(leaf.serialNumber.toLowerCase(), '9abc');
    assert.equal(leaf.ca, false);
  });
});

describe('X.509 interop: the openssl command', {
  skip: OPENSSL3 ? false : `OpenSSL 3 not found (${OPENSSL ?? 'none'})`,
}, () => {
  it('parses and verifies our Ed25519 and secp256k1 chains (root self-signature checked too)', () => {
    for (const suite of ['ed25519', 'secp256k1'] as const) {
      chain(suite);
      const out = openssl('verify', '-check_ss_sig', '-CAfile', `${suite}-ca.pem`, `${suite}-leaf.pem`);
      assert.equal(out.trim(), `${suite}-leaf.pem: OK`);
    }
  });

  it('parses our SM2 certificates and verifies the leaf with the GM/T 0015 default ID', () => {
    chain('sm2');
    const caText = openssl('x509', '-noout', '-text', '-in', 'sm2-ca.pem');
    assert.match(caText, /SM2-with-SM3/);
    assert.match(caText, /CA:TRUE/);
    assert.match(caText, /Certificate Sign, CRL Sign/);
    assert.match(openssl('x509', '-noout', '-text', '-in', 'sm2-leaf.pem'), /Digital Signature/);
    // OpenSSL 3.0 hashes an empty SM2 ID into X.509 signatures unless told the ID, and
    // -vfyopt applies only to the certificate being verified, not to the CA's self-signature:
    // so the leaf is verified with the ID and -check_ss_sig is not used here.
    const out = openssl(
      'verify',
      '-vfyopt',
      'distid:1234567812345678',
      '-CAfile',
      'sm2-ca.pem',
      'sm2-leaf.pem',
    );
    assert.equal(out.trim(), 'sm2-leaf.pem: OK');
  });

  it('reads the 2.25 OIDs of our hybrid subject keys as we wrote them', () => {
    const ca = generateKeyPair('ed25519');
    for (const suite of ['sm2+ml-dsa-65', 'ed25519+ml-dsa-44'] as const) {
      const subject = generateKeyPair(suite).publicKey;
      const derBytes = issueCertificate(
        {
          serial: Uint8Array.of(7),
          issuer: rootName,
          subject: leafName,
          notBefore: NOW,
          notAfter: NOW,
          publicKey: subject,
          isCA: false,
        },
        ca.secretKey,
      );
      writeFileSync(join(dir, 'hybrid.pem'), certificateToPem(derBytes));
      assert.ok(openssl('asn1parse', '-in', 'hybrid.pem').includes(`:${X509_HYBRID_KEY_OIDS[suite]}`));
    }
  });

  /** openssl req -x509 with a config of our own, so the system openssl.cnf does not matter. */
  function opensslSelfSigned(name: string, keyArgs: string[], reqArgs: string[]) {
    writeFileSync(
      join(dir, 'req.cnf'),
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = ext',
        '[dn]',
        '[ext]',
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid:always',
        '',
      ].join('\n'),
    );
    openssl('genpkey', ...keyArgs, '-out', `${name}.key`);
    const subj = `/C=CN/O=Pujiang/OU=admin/CN=${name}`;
    openssl(
      'req',
      '-x509',
      '-new',
      '-config',
      'req.cnf',
      '-key',
      `${name}.key`,
      '-subj',
      subj,
      '-days',
      '30',
      ...reqArgs,
      '-out',
      `${name}.pem`,
    );
    const cert = parseCertificate(certificateFromPem(readFileSync(join(dir, `${name}.pem`), 'utf8')));
    const key = publicKeyFromPem(openssl('pkey', '-in', `${name}.key`, '-pubout'));
    assert.deepEqual(cert.publicKey, key);
    assert.deepEqual(cert.subject, {
      country: 'CN',
      organization: 'Pujiang',
      organizationalUnit: 'admin',
      commonName: name,
    });
    assert.deepEqual(cert.issuer, cert.subject);
    assert.equal(cert.isCA, true);
    assert.ok(cert.subjectKeyIdentifier); // and the non-critical authorityKeyIdentifier was skipped
    return cert;
  }

  it('reads and verifies an Ed25519 certificate made by openssl req -x509', () => {
    const cert = opensslSelfSigned('openssl-ed25519', ['-algorithm', 'ED25519'], []);
    assert.equal(cert.signatureSuite, 'ed25519');
    assert.equal(verifyCertificateSignature(cert, cert.publicKey), true);
    assert.equal(verifyCertificateSignature(cert, generateKeyPair('ed25519').publicKey), false);
  });

  it('reads and verifies SM2/SM3 certificates made by openssl req -x509 -sm3', () => {
    const withId = opensslSelfSigned(
      'openssl-sm2-id',
      ['-algorithm', 'SM2'],
      ['-sm3', '-sigopt', 'distid:1234567812345678'],
    );
    assert.equal(withId.signatureSuite, 'sm2');
    assert.equal(verifyCertificateSignature(withId, withId.publicKey), true);
    assert.equal(verifyCertificateSignature(withId, withId.publicKey, { sm2UserId: '' }), false);
    // Without -sigopt, OpenSSL 3.0 signs with an empty ID; the option accepts those.
    const plain = opensslSelfSigned('openssl-sm2', ['-algorithm', 'SM2'], ['-sm3']);
    const withDefault = verifyCertificateSignature(plain, plain.publicKey);
    const withEmpty = verifyCertificateSignature(plain, plain.publicKey, { sm2UserId: '' });
    assert.equal(withDefault !== withEmpty, true, 'exactly one of the two IDs verifies');
  });
});
