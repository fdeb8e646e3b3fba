import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, equalBytes } from '@pujiang/types';
import { der, derTlv, oidDotted, oidHex, readDer, readDerChildren } from '../src/der.js';
import {
  type CertificateTemplate,
  CryptoError,
  certificateFromPem,
  certificateToPem,
  generateKeyPair,
  issueCertificate,
  type KeyPair,
  parseCertificate,
  SUITE_IDS,
  type SuiteId,
  serialHex,
  sign,
  verifyCertificateSignature,
  X509_HYBRID_KEY_OIDS,
} from '../src/index.js';

const ISSUER_SUITES = ['ed25519', 'sm2', 'secp256k1', 'ml-dsa-44', 'ml-dsa-65'] as const;
const NOW = Date.UTC(2030, 5, 15, 12, 0, 0, 789);

function template(
  publicKey: KeyPair['publicKey'],
  overrides: Partial<CertificateTemplate> = {},
): CertificateTemplate {
  return {
    serial: Uint8Array.of(0x81, 0x02, 0x03),
    issuer: {
      commonName: 'Pujiang Root CA',
      organization: 'Pujiang',
      organizationalUnit: 'admin',
      country: 'CN',
    },
    subject: { commonName: '验证者 1', organization: 'Pujiang', organizationalUnit: 'validator' },
    notBefore: NOW,
    notAfter: NOW + 365 * 86_400_000,
    publicKey,
    isCA: false,
    ...overrides,
  };
}

const truncated = (ms: number) => Math.floor(ms / 1000) * 1000;
const flipBit = (bytes: Uint8Array, index: number) => {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
};

describe('X.509: issue, parse, verify for every issuer suite', () => {
  for (const issuerSuite of ISSUER_SUITES) {
    const issuer = generateKeyPair(issuerSuite);
    const stranger = generateKeyPair(issuerSuite);
    for (const subjectSuite of SUITE_IDS) {
      it(`${issuerSuite} issuer, ${subjectSuite} subject`, () => {
        const subject = generateKeyPair(subjectSuite);
        const t = template(subject.publicKey, { subjectKeyIdentifier: Uint8Array.of(1, 2, 3, 4) });
        const derBytes = issueCertificate(t, issuer.secretKey);
        const cert = parseCertificate(derBytes);
        assert.deepEqual(cert.serial, t.serial);
        assert.deepEqual(cert.issuer, t.issuer);
        assert.deepEqual(cert.subject, t.subject);
        assert.equal(cert.notBefore, truncated(t.notBefore));
        assert.equal(cert.notAfter, truncated(t.notAfter));
        assert.deepEqual(cert.publicKey, subject.publicKey);
        assert.equal(cert.isCA, false);
        assert.deepEqual(cert.subjectKeyIdentifier, t.subjectKeyIdentifier);
        assert.equal(cert.signatureSuite, issuerSuite);
        assert.deepEqual(cert.der, derBytes);
        assert.equal(verifyCertificateSignature(cert, issuer.publicKey), true);
        assert.equal(verifyCertificateSignature(cert, stranger.publicKey), false);
        assert.equal(verifyCertificateSignature(cert, subject.publicKey), false);
        for (const index of [0, 7, cert.tbs.length >> 1, cert.tbs.length - 1]) {
          assert.equal(
            verifyCertificateSignature({ ...cert, tbs: flipBit(cert.tbs, index) }, issuer.publicKey),
            false,
          );
        }
      });
    }
  }

  it('a CA certificate says so, and hybrid issuers are refused (no X.509 signature algorithm)', () => {
    const ca = generateKeyPair('sm2');
    const cert = parseCertificate(issueCertificate(template(ca.publicKey, { isCA: true }), ca.secretKey));
    assert.equal(cert.isCA, true);
    assert.equal(cert.subjectKeyIdentifier, undefined);
    const hybrid = generateKeyPair('ed25519+ml-dsa-44');
    assert.throws(() => issueCertificate(template(hybrid.publicKey), hybrid.secretKey), {
      code: 'CRYPTO_UNSUPPORTED_FORMAT',
    });
  });

  it('verification never throws on bad input', () => {
    const ca = generateKeyPair('ed25519');
    const cert = parseCertificate(issueCertificate(template(ca.publicKey), ca.secretKey));
    const bad = [
      { suite: 'ed25519', bytes: new Uint8Array(3) },
      { suite: 'nonsense', bytes: new Uint8Array(32) },
      { suite: 'sm2', bytes: new Uint8Array(65) },
    ] as const;
    for (const key of bad) assert.equal(verifyCertificateSignature(cert, key as never), false);
    assert.equal(verifyCertificateSignature({ ...cert, signature: new Uint8Array(1) }, ca.publicKey), false);
  });
});

describe('X.509: object identifiers', () => {
  it('oidHex matches known encodings and handles the 128-bit 2.25 arcs', () => {
    assert.equal(oidHex('1.3.101.112'), '2b6570');
    assert.equal(oidHex('1.2.156.10197.1.301'), '2a811ccf5501822d');
    assert.equal(oidHex('2.16.840.1.101.3.4.3.17'), '608648016503040311');
    for (const dotted of Object.values(X509_HYBRID_KEY_OIDS)) {
      assert.match(dotted!, /^2\.25\.\d{30,39}$/);
      assert.equal(oidDotted(Buffer.from(oidHex(dotted!), 'hex')), dotted);
    }
  });
});

describe('X.509: template checks', () => {
  const ca = generateKeyPair('ed25519');
  const issue = (o: Partial<CertificateTemplate>) =>
    issueCertificate(template(ca.publicKey, o), ca.secretKey);

  it('serials: positive, at most 20 content bytes, leading zeros dropped', () => {
    for (const serial of [new Uint8Array(0), Uint8Array.of(0, 0), new Uint8Array(21).fill(1)]) {
      assert.throws(() => issue({ serial }), { code: 'CRYPTO_INVALID_INPUT' });
    }
    assert.throws(() => issue({ serial: new Uint8Array(20).fill(0x80) }), /top bit clear/);
    const twenty = new Uint8Array(20).fill(0x7f);
    assert.equal(serialHex(parseCertificate(issue({ serial: twenty }))), '7f'.repeat(20));
    const padded = parseCertificate(issue({ serial: Uint8Array.of(0, 0, 5) }));
    assert.deepEqual(padded.serial, Uint8Array.of(5));
    assert.equal(serialHex(padded), '05');
  });

  it('names, times and keys are checked', () => {
    assert.throws(() => issue({ subject: { commonName: '' } }), { code: 'CRYPTO_INVALID_INPUT' });
    assert.throws(() => issue({ subject: { commonName: 'x', country: 'CHN' } }), {
      code: 'CRYPTO_INVALID_INPUT',
    });
    assert.throws(() => issue({ notAfter: NOW - 1000 }), /notAfter is before notBefore/);
    assert.throws(() => issue({ notBefore: Number.NaN }), { code: 'CRYPTO_INVALID_INPUT' });
    assert.throws(() => issue({ notAfter: Date.UTC(10000, 0, 1) }), { code: 'CRYPTO_INVALID_INPUT' });
    const badKey = { suite: 'sm2', bytes: new Uint8Array(65).fill(4) } as const;
    assert.throws(() => issue({ publicKey: badKey }), { code: 'CRYPTO_INVALID_PUBLIC_KEY' });
  });
});

describe('X.509: dates (RFC 5280 4.1.2.5)', () => {
  const ca = generateKeyPair('ed25519');
  const cases: [string, number, number][] = [
    // [expected encoding, instant]: UTCTime (0x17) for 1950-2049, GeneralizedTime (0x18) otherwise.
    ['491231235959Z', 0x17, Date.UTC(2049, 11, 31, 23, 59, 59, 999)],
    ['20500101000000Z', 0x18, Date.UTC(2050, 0, 1)],
    ['500101000000Z', 0x17, Date.UTC(1950, 0, 1)],
    ['19491231235959Z', 0x18, Date.UTC(1949, 11, 31, 23, 59, 59)],
    ['99991231235959Z', 0x18, Date.UTC(9999, 11, 31, 23, 59, 59)],
    ['000229120000Z', 0x17, Date.UTC(2000, 1, 29, 12)],
  ];
  for (const [text, tag, ms] of cases) {
    it(`${new Date(ms).toISOString()} is written as ${text} and read back`, () => {
      const t = template(ca.publicKey, { notBefore: Date.UTC(1940, 0, 1), notAfter: ms });
      const derBytes = issueCertificate(t, ca.secretKey);
      const encoded = bytesToHex(derTlv(tag, Buffer.from(text, 'latin1')));
      assert.ok(bytesToHex(derBytes).includes(encoded), `expected ${encoded}`);
      assert.equal(parseCertificate(derBytes).notAfter, truncated(ms));
    });
  }
});

describe('X.509: PEM', () => {
  it('round-trips and refuses garbage with a typed error', () => {
    const ca = generateKeyPair('secp256k1');
    const derBytes = issueCertificate(template(ca.publicKey), ca.secretKey);
    const pem = certificateToPem(derBytes);
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n/);
    assert.deepEqual(certificateFromPem(pem), derBytes);
    assert.deepEqual(certificateFromPem(`junk before\r\n${pem.replace(/\n/g, '\r\n')}junk after`), derBytes);
    for (const bad of [
      'hello',
      pem.replace('-----BEGIN', '-----BEGAN'),
      pem.replace(/\n([A-Z])/, '\n=$1'),
      7,
    ]) {
      assert.throws(() => certificateFromPem(bad as string), { code: 'CRYPTO_INVALID_PEM' });
    }
  });
});

/**
 * Rebuilds a certificate with TBSCertificate fields replaced (by index; null removes one),
 * optionally the outer signature algorithm too, and re-signs it, so each hostile case is
 * refused for the defect named and not merely for a broken signature.
 */
function rebuild(
  key: KeyPair,
  base: Uint8Array,
  edit: (fields: Uint8Array[]) => Uint8Array[],
  outerAlgorithm?: Uint8Array,
): Uint8Array {
  const [tbs, algorithm] = readDerChildren(readDer(base).content);
  const fields = edit(readDerChildren(tbs!.content).map((f) => f.tlv));
  const newTbs = der.sequence(...fields);
  return der.sequence(
    newTbs,
    outerAlgorithm ?? algorithm!.tlv,
    der.bitString(sign(key.secretKey, newTbs).bytes),
  );
}

const oid = (dotted: string) => der.oid(oidHex(dotted));
const TRUE = derTlv(0x01, Uint8Array.of(0xff));
const ext = (id: string, value: Uint8Array, critical?: Uint8Array) =>
  der.sequence(oid(id), ...(critical ? [critical] : []), der.octetString(value));
const extensions = (...items: Uint8Array[]) => der.contextConstructed(3, der.sequence(...items));
const leafExtensions = [
  ext('2.5.29.19', der.sequence(), TRUE),
  ext('2.5.29.15', derTlv(0x03, Uint8Array.of(7, 0x80)), TRUE),
];

describe('X.509: strict parsing names what is wrong', () => {
  const ca = generateKeyPair('ed25519');
  const base = issueCertificate(template(ca.publicKey), ca.secretKey);
  const set = (index: number, value: Uint8Array) => (f: Uint8Array[]) =>
    f.map((x, i) => (i === index ? value : x));
  const refused = (bytes: Uint8Array, message: RegExp) =>
    assert.throws(
      () => parseCertificate(bytes),
      (e: unknown) => {
        assert.ok(e instanceof CryptoError);
        assert.equal(e.code, 'CRYPTO_CERTIFICATE_INVALID');
        assert.match(e.message, message);
        return true;
      },
    );

  it('accepts the untouched re-signed base, and unknown non-critical extensions', () => {
    assert.ok(parseCertificate(rebuild(ca, base, (f) => f)));
    const withExtra = set(7, extensions(...leafExtensions, ext('1.2.3.4', der.sequence())));
    assert.equal(parseCertificate(rebuild(ca, base, withExtra)).isCA, false);
  });

  it('refuses malformed framing', () => {
    refused(Uint8Array.of(...base, 0), /trailing bytes/);
    refused(base.subarray(0, base.length - 1), /malformed DER/);
    const longForm = Uint8Array.of(0x30, 0x82, 0x00, 0x7f); // non-minimal length
    refused(longForm, /non-minimal length/);
    refused(new Uint8Array(0), /truncated/);
  });

  it('refuses bad serials', () => {
    refused(rebuild(ca, base, set(1, derTlv(0x02, Uint8Array.of(0)))), /serialNumber is zero/);
    refused(rebuild(ca, base, set(1, derTlv(0x02, Uint8Array.of(0x85)))), /serialNumber is negative/);
    refused(rebuild(ca, base, set(1, derTlv(0x02, Uint8Array.of(0, 5)))), /non-minimal INTEGER/);
    refused(rebuild(ca, base, set(1, der.integer(new Uint8Array(21).fill(1)))), /longer than 20 bytes/);
  });

  it('refuses unknown or mismatched algorithms and keys', () => {
    const unknownAlgorithm = der.sequence(oid('1.2.840.10045.4.3.3'));
    refused(
      rebuild(ca, base, set(2, unknownAlgorithm), unknownAlgorithm),
      /unsupported signature algorithm 1\.2\.840\.10045\.4\.3\.3/,
    );
    const k1 = der.sequence(oid('1.2.840.10045.4.3.2'));
    refused(rebuild(ca, base, set(2, k1)), /signatureAlgorithm differs/);
    const withNull = der.sequence(oid('1.3.101.112'), derTlv(0x05, new Uint8Array(0)));
    refused(rebuild(ca, base, set(2, withNull), withNull), /unsupported signature algorithm/);
    const rsaKey = der.sequence(
      der.sequence(oid('1.2.840.113549.1.1.1'), derTlv(0x05, new Uint8Array())),
      der.bitString(Uint8Array.of(1)),
    );
    refused(rebuild(ca, base, set(6, rsaKey)), /unsupported or malformed subject public key/);
    const ed = generateKeyPair('ed25519').publicKey.bytes;
    const edWithNull = der.sequence(
      der.sequence(oid('1.3.101.112'), derTlv(0x05, new Uint8Array())),
      der.bitString(ed),
    );
    refused(rebuild(ca, base, set(6, edWithNull)), /non-canonical SubjectPublicKeyInfo/);
  });

  it('refuses versions other than 3 and unique identifiers', () => {
    refused(
      rebuild(ca, base, (f) => f.slice(1)),
      /only version 3/,
    );
    refused(
      rebuild(ca, base, set(0, der.contextConstructed(0, der.integer(Uint8Array.of(1))))),
      /only version 3/,
    );
    refused(
      rebuild(ca, base, (f) => [...f.slice(0, 7), derTlv(0x81, Uint8Array.of(0)), f[7]!]),
      /unique identifiers/,
    );
  });

  it('refuses extensions it cannot honour', () => {
    refused(
      rebuild(ca, base, set(7, extensions(...leafExtensions, ext('1.2.3.4', der.sequence(), TRUE)))),
      /unsupported critical extension 1\.2\.3\.4/,
    );
    const explicitFalse = derTlv(0x01, Uint8Array.of(0));
    refused(
      rebuild(ca, base, set(7, extensions(ext('2.5.29.19', der.sequence(), explicitFalse)))),
      /must be DER TRUE/,
    );
    const berTrue = derTlv(0x01, Uint8Array.of(1));
    refused(
      rebuild(ca, base, set(7, extensions(ext('2.5.29.19', der.sequence(), berTrue)))),
      /must be DER TRUE/,
    );
    refused(
      rebuild(ca, base, set(7, extensions(...leafExtensions, leafExtensions[0]!))),
      /duplicate extension 2\.5\.29\.19/,
    );
    const keyCertSignLeaf = ext('2.5.29.15', derTlv(0x03, Uint8Array.of(1, 0x06)), TRUE);
    refused(
      rebuild(ca, base, set(7, extensions(leafExtensions[0]!, keyCertSignLeaf))),
      /keyCertSign without/,
    );
    const trailingZero = ext('2.5.29.15', derTlv(0x03, Uint8Array.of(0, 0x80)), TRUE);
    refused(rebuild(ca, base, set(7, extensions(trailingZero))), /named BIT STRING/);
    refused(rebuild(ca, base, set(7, der.contextConstructed(3, der.sequence()))), /empty extensions/);
  });

  it('refuses times not in the RFC 5280 form', () => {
    const validity = (a: string, tagA: number, b = '310101000000Z', tagB = 0x17) =>
      set(4, der.sequence(derTlv(tagA, Buffer.from(a)), derTlv(tagB, Buffer.from(b))));
    refused(rebuild(ca, base, validity('3001010000Z', 0x17)), /notBefore: expected UTCTime/);
    refused(
      rebuild(ca, base, validity('20300101000000Z', 0x18)),
      /GeneralizedTime used for a year UTCTime holds/,
    );
    refused(rebuild(ca, base, validity('20500101000000.5Z', 0x18)), /notBefore: expected/);
    refused(rebuild(ca, base, validity('300230000000Z', 0x17)), /not a valid date/);
    refused(rebuild(ca, base, validity('300101000060Z', 0x17)), /not a valid date/);
    refused(rebuild(ca, base, validity('300101000000+0800', 0x17)), /expected UTCTime/);
  });

  it('refuses names it cannot fully represent', () => {
    const rdn = (id: string, tag: number, text: string) =>
      derTlv(0x31, der.sequence(oid(id), derTlv(tag, Buffer.from(text))));
    const cn = rdn('2.5.4.3', 0x0c, 'x');
    refused(
      rebuild(ca, base, set(5, der.sequence(cn, rdn('2.5.4.7', 0x0c, 'Shanghai')))),
      /unsupported name attribute 2\.5\.4\.7/,
    );
    refused(rebuild(ca, base, set(5, der.sequence(cn, cn))), /duplicate commonName/);
    refused(rebuild(ca, base, set(5, der.sequence(rdn('2.5.4.10', 0x0c, 'o')))), /subject has no commonName/);
    refused(
      rebuild(ca, base, set(5, der.sequence(rdn('2.5.4.3', 0x16, 'x')))),
      /UTF8String or PrintableString/,
    );
    refused(rebuild(ca, base, set(5, der.sequence(rdn('2.5.4.3', 0x13, 'a@b')))), /PrintableString/);
    const badUtf8 = derTlv(0x31, der.sequence(oid('2.5.4.3'), derTlv(0x0c, Uint8Array.of(0xc3, 0x28))));
    refused(rebuild(ca, base, set(5, der.sequence(badUtf8))), /not valid UTF-8/);
    const twoValued = derTlv(
      0x31,
      der.sequence(oid('2.5.4.3'), derTlv(0x0c, Buffer.from('x'))),
      der.sequence(oid('2.5.4.10'), derTlv(0x0c, Buffer.from('o'))),
    );
    refused(rebuild(ca, base, set(5, der.sequence(twoValued))), /exactly one attribute/);
    // PrintableString is read as well as UTF8String.
    const printable = parseCertificate(
      rebuild(ca, base, set(5, der.sequence(rdn('2.5.4.3', 0x13, 'Node 1')))),
    );
    assert.deepEqual(printable.subject, { commonName: 'Node 1' });
  });
});

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(base: Uint8Array, random: () => number): Uint8Array {
  const at = () => Math.floor(random() * base.length);
  const bytes = base.slice();
  switch (Math.floor(random() * 6)) {
    case 0: // random bytes
      return Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256));
    case 1: // bit flips
      for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++)
        bytes[at()]! ^= 1 << Math.floor(random() * 8);
      return bytes;
    case 2: // truncation
      return bytes.subarray(0, at());
    case 3: {
      // a length (or any) byte nudged up or down
      const i = at();
      bytes[i] = (bytes[i]! + (random() < 0.5 ? 1 : 255)) & 0xff;
      return bytes;
    }
    case 4: {
      // bytes inserted or removed
      const i = at();
      const insert = Uint8Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Math.floor(random() * 256),
      );
      return random() < 0.5
        ? Uint8Array.of(...bytes.subarray(0, i), ...insert, ...bytes.subarray(i))
        : Uint8Array.of(...bytes.subarray(0, i), ...bytes.subarray(i + 1 + Math.floor(random() * 4)));
    }
    default: // one byte replaced by a tag-like value
      bytes[at()] = [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x30, 0x31, 0x80, 0x81, 0x82, 0xa0, 0xa3, 0xff,
      ][Math.floor(random() * 15)]!;
      return bytes;
  }
}

describe('X.509: hostile input', () => {
  it('3,000 random and mutated encodings only ever parse or throw CRYPTO_CERTIFICATE_INVALID', () => {
    const bases: [KeyPair, Uint8Array][] = (['ed25519', 'sm2', 'secp256k1'] as SuiteId[]).map((suite) => {
      const ca = generateKeyPair(suite);
      const subject = generateKeyPair(suite === 'ed25519' ? 'sm2+ml-dsa-65' : 'sm2').publicKey;
      return [
        ca,
        issueCertificate(template(subject, { subjectKeyIdentifier: Uint8Array.of(9) }), ca.secretKey),
      ];
    });
    const random = prng(20_260_515);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const [ca, base] = bases[i % bases.length]!;
      const input = mutate(base, random);
      let cert: ReturnType<typeof parseCertificate>;
      try {
        cert = parseCertificate(input);
      } catch (error) {
        if (!(error instanceof CryptoError) || error.code !== 'CRYPTO_CERTIFICATE_INVALID') {
          assert.fail(`case ${i}: ${bytesToHex(input)} threw ${String(error)}`);
        }
        continue;
      }
      parsed++;
      // A changed certificate that still parses must not carry a valid signature.
      if (!equalBytes(input, base))
        assert.equal(verifyCertificateSignature(cert, ca.publicKey), false, `case ${i}`);
    }
    assert.ok(parsed < 3000);
  });
});
