import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import {
  type AccreditationJson,
  BUNDLED_CONTEXTS,
  type ChainLookup,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  type IssuerKey,
  issueCredential,
  type JsonObject,
  proofDigest,
  toMultibase,
} from '@pujiang/module-did';
import { singleDigestRoot } from '@pujiang/module-notary';
import { bytesToHex } from '@pujiang/types';
import {
  digestSri,
  documentClaims,
  documentCredential,
  fileDigest,
  sriDigestHex,
} from '../src/credential.js';
import { documentIdHex } from '../src/formats.js';
import type { DocumentJson } from '../src/records.js';
import { type DocsLookup, verifyDocumentWith } from '../src/verify/index.js';

/**
 * Verification offline: a did:key agency (it resolves without a chain) issues a certificate
 * of origin; the registry, the notary and the accreditations are fakes. Each check fails with
 * its own code when its part is wrong.
 */
const ROOT = 'did:pujiang:c:Root1111111111111111111';
const pair = generateKeyPair('ed25519');
const multibase = toMultibase(didKeyOfChainKey(pair.publicKey)!);
const AGENCY = `did:key:${multibase}`;
const key: IssuerKey = {
  verificationMethod: `${AGENCY}#${multibase}`,
  algorithm: 'Ed25519',
  secretKey: pair.secretKey.bytes,
};
const file = new TextEncoder().encode('%PDF-1.7 certificate of origin CO-2026-0001');

const accreditation = (types: string[]): AccreditationJson => ({
  id: '00'.repeat(32),
  accreditor: ROOT,
  subject: AGENCY,
  role: 'issuer',
  credentialTypes: types,
  jurisdictions: ['CN'],
  validFrom: '0',
  validUntil: '0',
  issuedAt: '0',
  withdrawnAt: '0',
});

/** The agency accredited by ROOT for `types` (none: no accreditation), and the roots recognised. */
function chain(
  types: string[],
  roots: { jurisdiction: string; root: string }[] = [{ jurisdiction: 'CN', root: ROOT }],
): ChainLookup {
  return {
    resolve: async () => undefined,
    issuance: async () => undefined,
    accreditationsOf: async (subject) =>
      subject === AGENCY && types.length > 0 ? [accreditation(types)] : [],
    trustRoots: async () => roots,
  };
}

async function issue(description = 'laptops'): Promise<JsonObject> {
  const unsigned = documentCredential({
    issuer: AGENCY,
    type: 'CertificateOfOrigin',
    subject: 'did:pujiang:c:Exporter111111111111111',
    number: 'CO-2026-0001',
    claims: { originCountry: 'CN', goods: { hsCode: '8471.30', description } },
    file: { digest: fileDigest(file), mediaType: 'application/pdf', name: 'co.pdf' },
  }) as JsonObject;
  return issueCredential({
    credential: unsigned,
    key,
    loader: documentLoader(BUNDLED_CONTEXTS, didResolver({})),
  });
}

function registry(credential: JsonObject, over: Partial<DocumentJson> = {}): DocsLookup {
  const digest = bytesToHex(fileDigest(file));
  const root = bytesToHex(singleDigestRoot('sha256', { algorithm: 'sha256', digest: fileDigest(file) }));
  const id = documentIdHex(AGENCY, 'CertificateOfOrigin', 'CO-2026-0001');
  const record: DocumentJson = {
    id,
    type: 'CertificateOfOrigin',
    issuer: AGENCY,
    subject: 'did:pujiang:c:Exporter111111111111111',
    number: 'CO-2026-0001',
    fileDigest: digest,
    credentialDigest: proofDigest(String((credential.proof as JsonObject).proofValue)),
    transferable: false,
    status: 'active',
    supersededBy: null,
    holder: null,
    holders: 0,
    anchorRoot: root,
    registrant: '00'.repeat(21),
    height: '5',
    time: '5000',
    txHash: '00'.repeat(32),
    statusHeight: '5',
    ...over,
  };
  return {
    document: async (asked) => (asked === id ? record : null),
    anchored: async (asked) => asked === root,
  };
}

const failed = (report: Awaited<ReturnType<typeof verifyDocumentWith>>) =>
  report.checks.filter((c) => !c.verified).map((c) => [c.check, c.code]);

describe('document credentials and their verification', () => {
  it('the credential has the document shape, and its claims read back', async () => {
    const vc = await issue();
    assert.deepEqual(vc.type, ['VerifiableCredential', 'CertificateOfOrigin']);
    assert.deepEqual(documentClaims(vc), {
      type: 'CertificateOfOrigin',
      issuer: AGENCY,
      subject: 'did:pujiang:c:Exporter111111111111111',
      number: 'CO-2026-0001',
      fileDigest: bytesToHex(fileDigest(file)),
    });
    assert.equal(sriDigestHex(digestSri(fileDigest(file))), bytesToHex(fileDigest(file)));
    assert.equal(sriDigestHex('sha256-short'), undefined);
    assert.throws(
      () => documentCredential({ issuer: AGENCY, type: 'Passport' as never, subject: AGENCY, number: 'x' }),
      {
        code: 'SDK_INVALID_ARGUMENT',
      },
    );
    assert.throws(
      () =>
        documentCredential({
          issuer: AGENCY,
          type: 'BusinessLicence',
          subject: AGENCY,
          number: 'L1',
          claims: { documentNumber: 'x' },
        }),
      { code: 'SDK_INVALID_ARGUMENT' },
    );
  });

  it('passes every check with the registered credential and its file', async () => {
    const vc = await issue();
    const report = await verifyDocumentWith(vc, {
      chain: chain(['CertificateOfOrigin']),
      docs: registry(vc),
      file,
    });
    assert.deepEqual(failed(report), []);
    assert.equal(report.verified, true);
    assert.deepEqual(
      report.checks.map((c) => c.check),
      ['credential', 'accreditation', 'registry', 'status', 'file', 'notarized'],
    );
    assert.deepEqual(report.accreditation?.chain, [ROOT, AGENCY]);
  });

  it('names the failing check: scope, edits, status, file, anchor, registration', async () => {
    const vc = await issue();
    const docs = registry(vc);
    const origin = chain(['CertificateOfOrigin']);
    // An issuer accredited only for other document types.
    assert.deepEqual(failed(await verifyDocumentWith(vc, { chain: chain(['BillOfLading']), docs })), [
      ['accreditation', 'VC_ACCREDITATION_SCOPE'],
    ]);
    // An edited claim breaks the proof; the registry still knows the document.
    const edited = structuredClone(vc);
    (edited.credentialSubject as JsonObject).originCountry = 'VN';
    assert.deepEqual(failed(await verifyDocumentWith(edited, { chain: origin, docs }))[0], [
      'credential',
      'VC_PROOF',
    ]);
    // A second credential the agency validly signs for the registered number is not the
    // registered one: its proof holds, the registry refuses it.
    const other = await issue('laptops and tablets');
    assert.notEqual((other.proof as JsonObject).proofValue, (vc.proof as JsonObject).proofValue);
    assert.deepEqual(failed(await verifyDocumentWith(other, { chain: origin, docs })), [
      ['registry', 'DOCS_CREDENTIAL_MISMATCH'],
    ]);
    for (const [status, code] of [
      ['revoked', 'DOCS_REVOKED'],
      ['suspended', 'DOCS_SUSPENDED'],
      ['superseded', 'DOCS_SUPERSEDED'],
    ] as const)
      assert.deepEqual(
        failed(await verifyDocumentWith(vc, { chain: origin, docs: registry(vc, { status }) })),
        [['status', code]],
      );
    const changed = new Uint8Array(file);
    changed[0] = 0;
    assert.deepEqual(failed(await verifyDocumentWith(vc, { chain: origin, docs, file: changed })), [
      ['file', 'DOCS_FILE_MISMATCH'],
    ]);
    assert.deepEqual(
      failed(
        await verifyDocumentWith(vc, { chain: origin, docs: registry(vc, { fileDigest: '11'.repeat(32) }) }),
      )[0],
      ['file', 'DOCS_FILE_MISMATCH'],
    );
    assert.deepEqual(
      failed(await verifyDocumentWith(vc, { chain: origin, docs: registry(vc, { anchorRoot: null }) })),
      [['notarized', 'DOCS_NOT_NOTARIZED']],
    );
    const nowhere: DocsLookup = { document: async () => null, anchored: async () => false };
    const unregistered = await verifyDocumentWith(vc, { chain: origin, docs: nowhere });
    assert.deepEqual(failed(unregistered), [['registry', 'DOCS_NOT_REGISTERED']]);
    assert.equal(unregistered.verified, false);
    assert.equal(unregistered.error?.code, 'DOCS_NOT_REGISTERED');
  });

  it('a trust root is no issuer of a type it holds no accreditation for; accredited by another root, it is', async () => {
    const vc = await issue();
    const docs = registry(vc);
    // The agency is the CN root, accredited for nothing (or for other types): accreditation fails.
    const asRoot = [{ jurisdiction: 'CN', root: AGENCY }];
    for (const types of [[], ['BillOfLading']]) {
      const report = await verifyDocumentWith(vc, { chain: chain(types, asRoot), docs });
      assert.deepEqual(failed(report), [['accreditation', 'DOCS_NOT_ACCREDITED_FOR_TYPE']]);
      assert.equal(report.verified, false);
    }
    // The same with roots the verifier names itself.
    assert.deepEqual(failed(await verifyDocumentWith(vc, { chain: chain([]), docs, trustedRoots: asRoot })), [
      ['accreditation', 'DOCS_NOT_ACCREDITED_FOR_TYPE'],
    ]);
    // A root (HK's) accredited for the type by another trusted root (CN's): it passes.
    const both = [
      { jurisdiction: 'CN', root: ROOT },
      { jurisdiction: 'HK', root: AGENCY },
    ];
    const report = await verifyDocumentWith(vc, { chain: chain(['CertificateOfOrigin'], both), docs });
    assert.deepEqual(failed(report), []);
    assert.deepEqual(report.accreditation?.chain, [ROOT, AGENCY]);
  });
});
