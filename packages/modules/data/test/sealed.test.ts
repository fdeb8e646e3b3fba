import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateEphemeralKeyPair } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { checkConsentScope, consentCredential, memberUrn } from '../src/consent.js';
import { openRequest, requireRecipients, sealRequest } from '../src/sealed-request.js';

const chain = { chainId: 'city', chainHash: 'sm3' } as const;
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const TAX = '0a'.repeat(21);
const OTHER = '0b'.repeat(21);

function sealed(subject = 'did:pujiang:city:Shipper', purpose = 'VAT refund check', requester = TAX) {
  const steward = generateEphemeralKeyPair();
  const auditor = generateEphemeralKeyPair();
  const s = sealRequest({
    recipients: [steward.publicKey, auditor.publicKey],
    ...chain,
    dataset: 'customs.declarations',
    requester,
    subject,
    purpose,
  });
  const request = {
    dataset: 'customs.declarations',
    requester,
    sealed: bytesToHex(s.sealed),
    subjectTag: bytesToHex(s.subjectTag),
    purposeTag: bytesToHex(s.purposeTag),
  };
  return { steward, auditor, s, request };
}

describe('sealed request terms', () => {
  it('open for each recipient, and match the tags on chain; another key is no recipient', () => {
    const { steward, auditor, request } = sealed();
    for (const k of [steward, auditor]) {
      const secrets = openRequest(k.secretKey, request, chain);
      assert.deepEqual([secrets.subject, secrets.purpose], ['did:pujiang:city:Shipper', 'VAT refund check']);
    }
    assert.throws(
      () => openRequest(generateEphemeralKeyPair().secretKey, request, chain),
      code('DATA_NOT_RECIPIENT'),
    );
  });

  it('tags are salted and the size padded: nothing links two requests or tells a subject’s length', () => {
    const a = sealed();
    const b = sealed();
    assert.notEqual(a.request.subjectTag, b.request.subjectTag);
    assert.notEqual(a.request.purposeTag, b.request.purposeTag);
    const long = sealed(
      'did:pujiang:city:Shipper-with-a-much-longer-identifier',
      'a purpose of another length',
    );
    assert.equal(long.request.sealed.length, a.request.sealed.length);
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
  });

  it('bound to the chain, the dataset and the requester: copied into another member’s request, it does not open', () => {
    const { steward, request } = sealed();
    for (const moved of [
      { ...request, dataset: 'customs.tariffs' },
      { ...request, requester: OTHER },
    ])
      assert.throws(() => openRequest(steward.secretKey, moved, chain), code('DATA_SEAL_MISMATCH'));
    assert.throws(
      () => openRequest(steward.secretKey, request, { ...chain, chainId: 'other' }),
      code('DATA_SEAL_MISMATCH'),
    );
  });

  it('the steward checks the terms are sealed to every auditor and the subject too', () => {
    const { steward, auditor, request } = sealed();
    requireRecipients(steward.secretKey, request, [auditor.publicKey]);
    assert.throws(
      () =>
        requireRecipients(steward.secretKey, request, [
          auditor.publicKey,
          generateEphemeralKeyPair().publicKey,
        ]),
      code('DATA_SEAL_RECIPIENTS'),
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
