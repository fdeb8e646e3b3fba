import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateEphemeralKeyPair } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { checkConsentScope, consentCredential, memberUrn } from '../src/consent.js';
import { openRequest, sealRequest } from '../src/sealed-request.js';

const chain = { chainId: 'city', chainHash: 'sm3' } as const;
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

function sealed(subject = 'did:pujiang:city:Shipper', purpose = 'VAT refund check') {
  const steward = generateEphemeralKeyPair();
  const auditor = generateEphemeralKeyPair();
  const s = sealRequest({
    recipients: [steward.publicKey, auditor.publicKey],
    ...chain,
    dataset: 'customs.declarations',
    subject,
    purpose,
  });
  const request = {
    dataset: 'customs.declarations',
    sealed: bytesToHex(s.sealed),
    subjectTag: bytesToHex(s.subjectTag),
    purposeTag: bytesToHex(s.purposeTag),
  };
  return { steward, auditor, s, request };
}

describe('sealed request terms', () => {
  it('open for each recipient, and match the tags on chain', () => {
    const { steward, auditor, request } = sealed();
    for (const k of [steward, auditor]) {
      const secrets = openRequest(k.secretKey, request, chain);
      assert.deepEqual([secrets.subject, secrets.purpose], ['did:pujiang:city:Shipper', 'VAT refund check']);
    }
    assert.throws(
      () => openRequest(generateEphemeralKeyPair().secretKey, request, chain),
      code('DATA_SEAL_MISMATCH'),
    );
  });

  it('tags are salted: the same subject and purpose give other tags in each request', () => {
    const a = sealed();
    const b = sealed();
    assert.notEqual(a.request.subjectTag, b.request.subjectTag);
    assert.notEqual(a.request.purposeTag, b.request.purposeTag);
  });

  it('a request whose tags do not match its sealed terms is refused, so a requester cannot say one thing to the steward and record another', () => {
    const { steward, request } = sealed();
    const other = sealed('did:pujiang:city:Other', 'something else');
    assert.throws(
      () => openRequest(steward.secretKey, { ...request, subjectTag: other.request.subjectTag }, chain),
      code('DATA_SEAL_MISMATCH'),
    );
    assert.throws(
      () => openRequest(steward.secretKey, { ...request, purposeTag: other.request.purposeTag }, chain),
      code('DATA_SEAL_MISMATCH'),
    );
    // Bound to the dataset and the chain: moved to another, it does not open.
    assert.throws(
      () => openRequest(steward.secretKey, { ...request, dataset: 'customs.tariffs' }, chain),
      code('DATA_SEAL_MISMATCH'),
    );
    assert.throws(
      () => openRequest(steward.secretKey, request, { ...chain, chainId: 'other' }),
      code('DATA_SEAL_MISMATCH'),
    );
  });
});

describe('consent scope', () => {
  const consent = consentCredential({
    subjectDid: 'did:pujiang:city:Shipper',
    requester: 'did:pujiang:city:Tax',
    dataset: 'customs.declarations',
    purpose: 'VAT refund check',
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2027-01-01T00:00:00Z'),
    status: { listUrl: 'http://node/credentials/status/shipper', index: 4 },
  });
  const request = {
    dataset: 'customs.declarations',
    requester: '00'.repeat(21),
    requesterDid: 'did:pujiang:city:Tax',
  };
  const secrets = {
    v: 1,
    subject: 'did:pujiang:city:Shipper',
    purpose: 'VAT refund check',
    salt: '00'.repeat(32),
  } as const;

  it('covers the request it names', () => {
    checkConsentScope(consent, request, secrets);
  });

  it('names the term that differs: subject, requester, dataset, purpose', () => {
    const check = (c: string) => (e: unknown) =>
      (e as { code?: string; details?: { check?: string } }).code === 'DATA_CONSENT_INVALID' &&
      (e as { details: { check: string } }).details.check === c;
    assert.throws(
      () => checkConsentScope(consent, request, { ...secrets, subject: 'did:x:y' }),
      check('subject'),
    );
    assert.throws(
      () => checkConsentScope(consent, { ...request, requesterDid: 'did:x:y' }, secrets),
      check('requester'),
    );
    assert.throws(
      () => checkConsentScope(consent, { ...request, dataset: 'other' }, secrets),
      check('dataset'),
    );
    assert.throws(
      () => checkConsentScope(consent, request, { ...secrets, purpose: 'marketing' }),
      check('purpose'),
    );
    assert.throws(
      () => checkConsentScope({ ...consent, type: ['VerifiableCredential'] }, request, secrets),
      check('type'),
    );
  });

  it('a requester without a DID is named by its member address', () => {
    const byAddress = consentCredential({
      subjectDid: 'did:pujiang:city:Shipper',
      requester: memberUrn('ab'.repeat(21)),
      dataset: 'customs.declarations',
      purpose: 'VAT refund check',
      validFrom: new Date(),
      validUntil: new Date(Date.now() + 1000),
      status: { listUrl: 'http://node/credentials/status/shipper', index: 5 },
    });
    checkConsentScope(byAddress, { ...request, requester: 'ab'.repeat(21), requesterDid: '' }, secrets);
  });
});
