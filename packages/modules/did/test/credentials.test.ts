import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as vc from '@digitalbazaar/vc';
import { p256 } from '@noble/curves/nist.js';
import { sha384 } from '@noble/hashes/sha2.js';
import { generateKeyPair } from '@pujiang/crypto';
import { base58, base64urlnopad } from '@scure/base';
import { gzipSync } from 'fflate';
import {
  CRYPTOSUITES,
  contextRegistry,
  type DidDocument,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  type IssuerKey,
  issueCredential,
  presentCredentials,
  proofDigest,
  renderDocument,
  signerFor,
  singleKeyDocument,
  toMultibase,
  verifyCredential,
  verifyPresentation,
} from '../src/index.js';

const EXAMPLES_CONTEXT = 'https://www.w3.org/ns/credentials/examples/v2';
// The VC examples context (a test vector: the specifications' examples use it).
const contexts = contextRegistry(
  new Map([[EXAMPLES_CONTEXT, { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }]]),
);
const resolver = didResolver({});
const loader = documentLoader(contexts, resolver);

/** The Data Integrity EdDSA Cryptosuites v1.0 test vector (its key pair, credential and proof). */
const SPEC_PUBLIC = 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';
const SPEC_SECRET = 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq';
const SPEC_CREDENTIAL = {
  '@context': ['https://www.w3.org/ns/credentials/v2', EXAMPLES_CONTEXT],
  id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
  type: ['VerifiableCredential', 'AlumniCredential'],
  name: 'Alumni Credential',
  description: 'A minimum viable example of an Alumni Credential.',
  issuer: 'https://vc.example/issuers/5678',
  validFrom: '2023-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
};
const SPEC_PROOF_VALUE =
  'z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme';

function didKeyIssuer(algorithm: 'Ed25519' | 'P-256'): IssuerKey {
  if (algorithm === 'P-256') {
    const secretKey = p256.utils.randomSecretKey();
    const multibase = toMultibase({ algorithm, bytes: p256.getPublicKey(secretKey, true) });
    return { verificationMethod: `did:key:${multibase}#${multibase}`, algorithm, secretKey };
  }
  const pair = generateKeyPair('ed25519');
  const multibase = toMultibase(didKeyOfChainKey(pair.publicKey)!);
  return {
    verificationMethod: `did:key:${multibase}#${multibase}`,
    algorithm,
    secretKey: pair.secretKey.bytes,
  };
}

const credentialFor = (issuer: string, extra: Record<string, unknown> = {}) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', EXAMPLES_CONTEXT],
  id: 'urn:uuid:0d6f0a66-a6c2-4f43-9a0b-1f0d4a9c4d11',
  type: ['VerifiableCredential', 'CertificateOfOrigin'],
  issuer,
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:exporter', originCountry: 'CN', hsCode: '8471.30' },
  ...extra,
});

describe('verifiable credentials', () => {
  it('reproduces the Data Integrity EdDSA test vector byte for byte, and verifies it', async () => {
    // The vector's secret key is the multibase of an ed25519-priv multicodec (0x1300) and 32 bytes.
    const secretKey = base58.decode(SPEC_SECRET.slice(1)).slice(2);
    const did = `did:key:${SPEC_PUBLIC}`;
    const key: IssuerKey = { verificationMethod: `${did}#${SPEC_PUBLIC}`, algorithm: 'Ed25519', secretKey };
    // The vector's issuer is an https URL (not the key's DID), so it is signed through the
    // library with this package's signer and bounded cryptosuite, as issueCredential does.
    const suite = new DataIntegrityProof({
      signer: signerFor(key),
      cryptosuite: CRYPTOSUITES['eddsa-rdfc-2022'],
      date: '2023-02-24T23:36:38Z',
    });
    const vector = await vc.issue({
      credential: structuredClone(SPEC_CREDENTIAL),
      suite,
      documentLoader: loader,
    });
    assert.deepEqual(vector.proof, {
      type: 'DataIntegrityProof',
      created: '2023-02-24T23:36:38Z',
      verificationMethod: `${did}#${SPEC_PUBLIC}`,
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      proofValue: SPEC_PROOF_VALUE,
    });
    // The library, like this platform, refuses a proof whose key is not the issuer's (the
    // vector's issuer is a URL, not its key's DID), so the vector is compared, not verified.
    // Our own verification also insists that the proof's key is the issuer's.
    assert.equal((await verifyCredential(vector, { contexts, resolver })).error?.check, 'proof');
    const ours = await issueCredential({ credential: { ...SPEC_CREDENTIAL, issuer: did }, key, loader });
    const report = await verifyCredential(ours, {
      contexts,
      resolver,
      now: new Date('2024-01-01T00:00:00Z'),
    });
    assert.equal(report.verified, true, report.error?.message);
  });

  for (const algorithm of ['Ed25519', 'P-256'] as const)
    it(`issues and verifies with ${algorithm === 'Ed25519' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019'}; tampering and moved proofs fail the proof check`, async () => {
      const key = didKeyIssuer(algorithm);
      const did = key.verificationMethod.split('#')[0]!;
      const signed = await issueCredential({ credential: credentialFor(did), key, loader });
      const report = await verifyCredential(signed, { contexts, resolver });
      assert.equal(report.verified, true, report.error?.message);
      assert.deepEqual(
        report.checks.map((c) => c.check),
        ['size', 'type', 'context', 'validity', 'proof', 'proof'],
      );

      const tampered = structuredClone(signed) as { credentialSubject: Record<string, unknown> };
      tampered.credentialSubject.originCountry = 'US';
      const bad = await verifyCredential(tampered, { contexts, resolver });
      assert.equal(bad.verified, false);
      assert.equal(bad.error?.check, 'proof');

      const other = await issueCredential({
        credential: credentialFor(did, { id: 'urn:uuid:other' }),
        key,
        loader,
      });
      const moved = { ...structuredClone(signed), proof: other.proof };
      assert.equal((await verifyCredential(moved, { contexts, resolver })).error?.check, 'proof');
    });

  it('refuses expired, not-yet-valid, unknown-context and wrongly-issued credentials, naming the check', async () => {
    const key = didKeyIssuer('Ed25519');
    const did = key.verificationMethod.split('#')[0]!;
    const signed = await issueCredential({
      credential: credentialFor(did, { validUntil: '2027-01-01T00:00:00Z' }),
      key,
      loader,
    });
    const at = (iso: string) => verifyCredential(signed, { contexts, resolver, now: new Date(iso) });
    assert.equal((await at('2025-06-01T00:00:00Z')).error?.code, 'VC_NOT_YET_VALID');
    assert.equal((await at('2027-06-01T00:00:00Z')).error?.code, 'VC_EXPIRED');
    assert.equal((await at('2026-06-01T00:00:00Z')).verified, true);
    const unknown = {
      ...signed,
      '@context': [...(signed['@context'] as string[]), 'https://example.com/unknown/v1'],
    };
    assert.equal((await verifyCredential(unknown, { contexts, resolver })).error?.code, 'VC_UNKNOWN_CONTEXT');
    const otherIssuer = didKeyIssuer('Ed25519').verificationMethod.split('#')[0]!;
    await assert.rejects(issueCredential({ credential: credentialFor(otherIssuer), key, loader }), {
      code: 'VC_DATA_MODEL',
    });
  });

  it('refuses each VC 2.0 MUST violation at issuance and at verification, one at a time', async () => {
    const key = didKeyIssuer('Ed25519');
    const did = key.verificationMethod.split('#')[0]!;
    const base = credentialFor(did);
    const violations: [string, Record<string, unknown>][] = [
      ['context', { '@context': [EXAMPLES_CONTEXT, 'https://www.w3.org/ns/credentials/v2'] }],
      ['context', { '@context': 'https://www.w3.org/ns/credentials/v2' }],
      ['id', { id: 'not a url' }],
      ['type', { type: ['CertificateOfOrigin'] }],
      ['type', { type: [] }],
      ['issuer', { issuer: 'customs' }],
      ['issuer', { issuer: { name: 'Customs' } }],
      ['credentialSubject', { credentialSubject: undefined }],
      ['credentialSubject', { credentialSubject: { id: 'did:example:x' } }],
      ['credentialSubject', { credentialSubject: [{ id: 'nope', a: 1 }] }],
      ['validFrom', { validFrom: '2026-01-01' }],
      ['validUntil', { validUntil: '2025-01-01T00:00:00Z' }],
      ['credentialStatus', { credentialStatus: { id: 'https://x.example/status#1' } }],
      ['credentialSchema', { credentialSchema: { type: 'JsonSchema' } }],
      ['credentialSchema', { credentialSchema: { id: 'https://x.example/schema.json' } }],
      ['refreshService', { refreshService: { url: 'https://x.example' } }],
      ['termsOfUse', { termsOfUse: [{ id: 'https://x.example/tou' }] }],
      ['evidence', { evidence: [{ id: 'https://x.example/e' }] }],
      ['relatedResource', { relatedResource: [{ id: 'https://x.example/a.pdf' }] }],
      [
        'relatedResource',
        {
          relatedResource: [
            { id: 'https://x.example/a', digestSRI: 'sha384-AAAA' },
            { id: 'https://x.example/a', digestSRI: 'sha384-BBBB' },
          ],
        },
      ],
      ['name', { name: 42 }],
      [
        'context',
        {
          '@context': [
            'https://www.w3.org/ns/credentials/v2',
            { VerifiableCredential: 'https://evil.example/vc' },
          ],
        },
      ],
    ];
    const good = await issueCredential({ credential: base, key, loader });
    for (const [check, change] of violations) {
      const credential = { ...base, ...change };
      for (const [k, v] of Object.entries(change))
        if (v === undefined) delete (credential as Record<string, unknown>)[k];
      const refused = await issueCredential({ credential, key, loader }).catch((e) => e);
      assert.equal(refused.details?.check, check, `issue ${JSON.stringify(change)}: ${refused.message}`);
      assert.equal(refused.code, 'VC_DATA_MODEL', JSON.stringify(change));
      const report = await verifyCredential({ ...credential, proof: good.proof }, { contexts, resolver });
      assert.equal(report.verified, false);
      assert.equal(report.error?.details.check, check, `verify ${JSON.stringify(change)}`);
    }
  });

  it('dates a did:pujiang proof by its anchor: a rotated-out key verifies only for proofs anchored before the rotation', async () => {
    const sm2 = generateKeyPair('sm2');
    const oldKey = didKeyOfChainKey(sm2.publicKey)!;
    const newKey = didKeyOfChainKey(generateKeyPair('sm2').publicKey)!;
    const did = 'did:pujiang:city-main:7Lx2bFbr5Uh3c9VgW1KqHM';
    const versions: { height: bigint; document: DidDocument }[] = [
      { height: 10n, document: renderDocument(did, singleKeyDocument(oldKey, 'key-1')) },
      { height: 20n, document: renderDocument(did, singleKeyDocument(newKey, 'key-2')) },
    ];
    const anchors = new Map<string, bigint>();
    const chain = {
      resolve: async (_did: string, o?: { atHeight?: bigint }) =>
        [...versions].reverse().find((v) => o?.atHeight === undefined || v.height <= o.atHeight)?.document,
      issuance: async (digest: string) => {
        const height = anchors.get(digest);
        return height === undefined ? undefined : { height, time: height * 1000n };
      },
    };
    const chainResolver = didResolver({ chain });
    const key: IssuerKey = {
      verificationMethod: `${did}#key-1`,
      algorithm: 'SM2',
      secretKey: sm2.secretKey.bytes,
    };
    const issueWith = (id: string) =>
      issueCredential({
        credential: credentialFor(did, { id }),
        key,
        loader: documentLoader(contexts, chainResolver, { atHeight: 10n }),
      });
    const before = await issueWith('urn:uuid:before');
    const after = await issueWith('urn:uuid:after');
    assert.equal((before.proof as Record<string, unknown>).cryptosuite, 'sm2-rdfc-2025');
    const verify = (c: unknown) => verifyCredential(c, { contexts, resolver: chainResolver, chain });

    assert.equal(
      (await verify(before)).error?.check,
      'issuance-anchor',
      'not anchored: its time is only asserted',
    );
    anchors.set(proofDigest(String((before.proof as Record<string, unknown>).proofValue)), 15n);
    anchors.set(proofDigest(String((after.proof as Record<string, unknown>).proofValue)), 25n);
    const ok = await verify(before);
    assert.equal(ok.verified, true, ok.error?.message);
    assert.deepEqual(ok.issuance, { height: '15', time: '15000' });
    const late = await verify(after);
    assert.equal(late.verified, false);
    assert.equal(late.error?.check, 'issuance-key');
  });

  it('a holder presents credentials for one verifier: challenge, domain, holder proof and each credential are checked', async () => {
    const issuer = didKeyIssuer('P-256');
    const holder = didKeyIssuer('Ed25519');
    const holderDid = holder.verificationMethod.split('#')[0]!;
    const credential = await issueCredential({
      credential: credentialFor(issuer.verificationMethod.split('#')[0]!, {
        credentialSubject: { id: holderDid, licence: 'L-1' },
      }),
      key: issuer,
      loader,
    });
    const presentation = await presentCredentials({
      credentials: [credential],
      holderKey: holder,
      challenge: 'nonce-123',
      domain: 'customs.example',
      loader,
    });
    const verify = (vp: unknown, challenge = 'nonce-123', domain = 'customs.example') =>
      verifyPresentation(vp, { contexts, resolver, challenge, domain });
    const ok = await verify(presentation);
    assert.equal(ok.verified, true, ok.error?.message);
    assert.equal(ok.credentials.length, 1);
    assert.equal((await verify(presentation, 'other-nonce')).error?.check, 'challenge');
    assert.equal((await verify(presentation, 'nonce-123', 'evil.example')).error?.check, 'domain');
    const tampered = structuredClone(presentation) as {
      verifiableCredential: { credentialSubject: Record<string, unknown> }[];
    };
    tampered.verifiableCredential[0]!.credentialSubject.licence = 'L-2';
    assert.equal((await verify(tampered)).error?.check, 'proof');
    // A decoy proof naming the holder's key beside another key's valid proof: a proof set is
    // refused (the library would accept it when any one proof verifies).
    const attacker = didKeyIssuer('Ed25519');
    const forged = await presentCredentials({
      credentials: [credential],
      holderKey: attacker,
      challenge: 'nonce-123',
      domain: 'customs.example',
      loader,
    });
    const decoy = {
      ...(forged.proof as Record<string, unknown>),
      verificationMethod: holder.verificationMethod,
    };
    const twoProofs = { ...forged, holder: holderDid, proof: [decoy, forged.proof] };
    assert.equal((await verify(twoProofs)).verified, false);
    assert.equal((await verify(twoProofs)).error?.check, 'proof');
    const stolen = { ...structuredClone(presentation), holder: issuer.verificationMethod.split('#')[0] };
    assert.equal((await verify(stolen)).error?.check, 'holder');
  });

  it('checks Bitstring Status List entries fetched from elsewhere: revoked, range, length, issuer, retrieval', async () => {
    const issuer = didKeyIssuer('Ed25519');
    const did = issuer.verificationMethod.split('#')[0]!;
    const listUrl = 'https://status.example/lists/1';
    const listCredential = async (bits: Uint8Array, signer = issuer) =>
      issueCredential({
        credential: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          id: listUrl,
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          issuer: signer.verificationMethod.split('#')[0],
          credentialSubject: {
            id: `${listUrl}#list`,
            type: 'BitstringStatusList',
            statusPurpose: 'revocation',
            encodedList: `u${base64urlnopad.encode(gzipSync(bits))}`,
          },
        },
        key: signer,
        loader,
      });
    const entry = (index: number) => ({
      id: `${listUrl}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: listUrl,
    });
    const bits = new Uint8Array(16_384);
    bits[5] = 0b0000_0100; // index 45 set (most significant bit first)
    const lists: Record<string, unknown> = { [listUrl]: await listCredential(bits) };
    const fetchJson = async (url: string) => {
      if (!(url in lists)) throw new Error('404');
      return lists[url];
    };
    const verify = async (index: number) => {
      const vc = await issueCredential({
        credential: credentialFor(did, { credentialStatus: entry(index) }),
        key: issuer,
        loader,
      });
      return verifyCredential(vc, { contexts, resolver, fetchJson });
    };
    assert.equal((await verify(44)).verified, true);
    assert.equal((await verify(45)).error?.code, 'VC_REVOKED');
    assert.equal((await verify(131_072)).error?.code, 'VC_STATUS_RANGE');
    lists[listUrl] = await listCredential(new Uint8Array(100));
    assert.equal((await verify(3)).error?.code, 'VC_STATUS_LENGTH');
    lists[listUrl] = await listCredential(bits, didKeyIssuer('Ed25519'));
    assert.equal((await verify(3)).error?.code, 'VC_STATUS_VERIFICATION');
    delete lists[listUrl];
    assert.equal((await verify(3)).error?.code, 'VC_STATUS_RETRIEVAL');
  });

  it('checks linked schemas and related resources when it can fetch them, and did:web issuers through the fetcher', async () => {
    // A did:web issuer: its document comes from the (injected) fetcher, never the network.
    const key = didKeyIssuer('Ed25519');
    const multibase = key.verificationMethod.split('#')[1]!;
    const webDid = 'did:web:customs.example';
    const webKey: IssuerKey = { ...key, verificationMethod: `${webDid}#key-1` };
    const schemaUrl = 'https://customs.example/schemas/origin.json';
    const resourceUrl = 'https://customs.example/docs/invoice.pdf';
    const invoice = new TextEncoder().encode('%PDF-1.7 invoice 42');
    const web: Record<string, unknown> = {
      'https://customs.example/.well-known/did.json': {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
        id: webDid,
        verificationMethod: [
          { id: `${webDid}#key-1`, type: 'Multikey', controller: webDid, publicKeyMultibase: multibase },
        ],
        assertionMethod: [`${webDid}#key-1`],
      },
      [schemaUrl]: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          credentialSubject: {
            type: 'object',
            properties: { originCountry: { type: 'string', pattern: '^[A-Z]{2}$' } },
            required: ['originCountry'],
          },
        },
        required: ['credentialSubject'],
      },
    };
    const fetchJson = async (url: string) => {
      if (!(url in web)) throw new Error('404');
      return structuredClone(web[url]);
    };
    const fetchBytes = async (url: string) => {
      if (url !== resourceUrl) throw new Error('404');
      return invoice;
    };
    const webResolver = didResolver({ fetchJson });
    const webLoader = documentLoader(contexts, webResolver);
    const issue = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      issueCredential({
        credential: credentialFor(webDid, {
          credentialSubject: subject,
          credentialSchema: { id: schemaUrl, type: 'JsonSchema' },
          relatedResource: [
            { id: resourceUrl, digestSRI: `sha384-${Buffer.from(sha384(invoice)).toString('base64')}` },
          ],
          ...extra,
        }),
        key: webKey,
        loader: webLoader,
      });
    const good = await issue({ id: 'did:example:exporter', originCountry: 'CN' });
    const options = { contexts, resolver: webResolver, fetchJson, fetchBytes };
    const ok = await verifyCredential(good, options);
    assert.equal(ok.verified, true, ok.error?.message);
    assert.ok(ok.checks.some((c) => c.check === 'credentialSchema' && c.verified));
    assert.ok(ok.checks.some((c) => c.check === 'relatedResource' && c.verified));
    const wrong = await issue({ id: 'did:example:exporter', originCountry: 'China' });
    assert.equal((await verifyCredential(wrong, options)).error?.check, 'credentialSchema');
    const changed = await verifyCredential(good, {
      ...options,
      fetchBytes: async () => new TextEncoder().encode('%PDF-1.7 invoice 43'),
    });
    assert.equal(changed.error?.code, 'VC_RELATED_RESOURCE');
    // Without fetchers the links are reported unchecked, and the credential still verifies.
    const unchecked = await verifyCredential(good, { contexts, resolver: webResolver });
    assert.equal(unchecked.verified, true);
    assert.deepEqual(
      unchecked.checks.filter((c) => !c.verified).map((c) => c.check),
      ['credentialSchema', 'relatedResource'],
    );
    // A did:web document that names another DID is refused.
    web['https://customs.example/.well-known/did.json'] = {
      ...(web['https://customs.example/.well-known/did.json'] as object),
      id: 'did:web:evil.example',
    };
    assert.equal((await verifyCredential(good, options)).verified, false);
  });
});
