import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexToBytes } from '@pujiang/types';
import { dayFromIso } from '../src/calendar-days.js';
import type { DocumentKind } from '../src/formats.js';
import { amendmentAnswer, creditAnswer, presentationAnswer } from '../src/records.js';
import {
  amount,
  billOfLading,
  hex32,
  honourSigners,
  invoice,
  issued,
  lcChain,
  mt700,
  ok,
  party,
} from './lc-fakes.js';

/**
 * Letters of credit through the module's handlers: the approval chain, issue with escrow,
 * advice, amendments bound only by acceptance (Art. 10), presentations examined on the CN
 * banking-day calendar (Art. 14b), the single notice of refusal (Art. 16), waiver, preclusion
 * after a late notice, payment at sight and at maturity, closing. Real processes:
 * packages/cli/test/lc-credits.test.ts.
 */
const EUR = 125_000_000n;

describe('lc: letters of credit', () => {
  it('issue escrows the amount with its tolerance; the MT700 gets the number and date of issue', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, { expiryDate: '2026-06-30' });
    const credit = creditAnswer(s.chain.read, id)!;
    assert.equal(credit.status, 'advised');
    assert.equal(credit.max, String((EUR * 105n) / 100n));
    assert.equal(credit.escrowed, credit.max);
    assert.match(credit.mt700, /:20:LC\d+\r\n:31C:260309\r\n/);
    assert.equal(s.balances.get(party.issuer), 10n ** 12n - (EUR * 105n) / 100n);
  });

  it('an amendment binds only when the beneficiary accepts it (Art. 10)', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s);
    const idb = hexToBytes(id);
    const above = amount((EUR * 105n) / 100n + 1n);
    ok(s.chain.send(party.issuer, 'amend', { id: idb, amount: amount(EUR * 2n) }));
    assert.equal(
      s.chain.send(party.issuer, 'amend', { id: idb, amount: amount(EUR * 3n) }),
      'LC_AMENDMENT_PENDING',
    );
    // Not accepted yet: the original amount stands.
    const docs = [billOfLading(s, 1, '2026-03-09T00:00:00Z'), invoice(s, 2)];
    assert.equal(
      s.chain.send(party.beneficiary, 'present', { id: idb, amount: above, documents: docs }),
      'LC_OVERDRAWN',
    );
    assert.equal(s.chain.send(party.issuer, 'acceptAmendment', { id: idb, seq: 1 }), 'LC_WRONG_PARTY');
    ok(s.chain.send(party.beneficiary, 'acceptAmendment', { id: idb, seq: 1 }));
    assert.equal(amendmentAnswer(s.chain.read, id, 1)!.status, 'accepted');
    assert.equal(creditAnswer(s.chain.read, id)!.escrowed, String((EUR * 2n * 105n) / 100n));
    ok(s.chain.send(party.beneficiary, 'present', { id: idb, amount: above, documents: docs }));
    // A rejected increase is refunded to the bank.
    const before = s.balances.get(party.issuer)!;
    ok(s.chain.send(party.issuer, 'amend', { id: idb, amount: amount(EUR * 3n) }));
    ok(s.chain.send(party.beneficiary, 'rejectAmendment', { id: idb, seq: 2 }));
    assert.equal(s.balances.get(party.issuer), before);
    assert.equal(creditAnswer(s.chain.read, id)!.amount, String(EUR * 2n));
  });

  it('presentation, discrepancy notice within five banking days, waiver and payment', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, {}, { required: ['BillOfLading', 'CommercialInvoice', 'CertificateOfOrigin'] });
    const idb = hexToBytes(id);
    // A copy: the bill is held by someone else; the invoice is not notarized; no certificate of origin.
    const copy = billOfLading(s, 1, '2026-03-08T00:00:00Z', party.other);
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [copy, invoice(s, 2, false)],
      }),
    );
    const p = presentationAnswer(s.chain.read, id, 1)!;
    assert.deepEqual(
      p.found.map((f) => f.split(':')[0]),
      ['BL_NOT_CONTROLLED', 'RECORD_UNVERIFIED', 'DOCUMENT_MISSING'],
    );
    // Monday 9 March 2026: the fifth banking day following is Monday 16 March.
    assert.equal(p.deadlineDate, '2026-03-16');
    assert.equal(
      s.chain.send(party.beneficiary, 'present', { id: idb, amount: amount(1), documents: [copy] }),
      'LC_PRESENTATION_PENDING',
    );
    assert.equal(
      s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: [] }),
      'LC_BAD_NOTICE',
    );
    assert.equal(
      s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: ['a', 'a'] }),
      'LC_BAD_NOTICE',
    );
    ok(s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: p.found }));
    assert.equal(
      s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: ['late'] }),
      'LC_NOTICE_GIVEN',
    );
    assert.equal(s.chain.send(party.beneficiary, 'waive', { id: idb, seq: 1 }), 'LC_WRONG_PARTY');
    ok(s.chain.send(party.approver, 'waive', { id: idb, seq: 1 }));
    // The bank's own policy for honour (lc/honour/bank-i) asks for two of its identities.
    honourSigners.count = 2;
    try {
      assert.equal(s.chain.send(party.issuer, 'honour', { id: idb, seq: 1 }), 'LC_APPROVAL_POLICY');
      ok(s.chain.sendEndorsed(party.issuer, [party.issuerAdmin], 'honour', { id: idb, seq: 1 }));
    } finally {
      honourSigners.count = 1;
    }
    assert.equal(s.balances.get(party.beneficiary), EUR);
    // Partial shipments not allowed (43P): one drawing closes the credit, the rest goes back.
    const credit = creditAnswer(s.chain.read, id)!;
    assert.equal(credit.status, 'closed');
    assert.equal(credit.closeReason, 'singleDrawing');
    assert.equal(s.balances.get(party.issuer), 10n ** 12n - EUR);
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.status, 'paid');
  });

  it('a refusal over the National Day holiday is in time: the deadline skips the closed days', () => {
    const s = lcChain('2025-09-26T02:00:00Z'); // Friday 26 September 2025, 10:00 in Shanghai
    const id = issued(s, {
      issueDate: '2025-09-20',
      expiryDate: '2025-12-31',
      latestShipmentDate: '2025-09-30',
    });
    const idb = hexToBytes(id);
    const bl = billOfLading(s, 1, '2025-09-25T00:00:00Z');
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [bl, invoice(s, 2)],
      }),
    );
    const p = presentationAnswer(s.chain.read, id, 1)!;
    assert.deepEqual(p.found, []);
    // Banking days following Fri 26 Sep: Sun 28 (make-up), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    assert.equal(p.deadlineDate, '2025-10-10');
    // The bill passed to the issuing bank with the presentation.
    assert.equal(s.docs.get(hex32(1))!.holder, party.issuer);
    s.at('2025-10-10T15:00:00Z'); // 23:00 in Shanghai on the last day
    ok(
      s.chain.send(party.issuer, 'refuse', {
        id: idb,
        seq: 1,
        discrepancies: ['INVOICE AMOUNT EXCEEDS CREDIT'],
      }),
    );
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.status, 'refused');
  });

  it('a late notice is refused, the bank is precluded, and the beneficiary claims payment', () => {
    const s = lcChain('2025-09-26T02:00:00Z');
    const id = issued(s, {
      issueDate: '2025-09-20',
      expiryDate: '2025-12-31',
      latestShipmentDate: '2025-09-30',
    });
    const idb = hexToBytes(id);
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [billOfLading(s, 1, '2025-09-25T00:00:00Z'), invoice(s, 2)],
      }),
    );
    assert.equal(s.chain.send(party.beneficiary, 'claim', { id: idb, seq: 1 }), 'LC_NOT_PRECLUDED');
    s.at('2025-10-10T16:00:00Z'); // 00:00 on Saturday 11 October in Shanghai: one day late
    assert.equal(
      s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: ['LATE'] }),
      'LC_NOTICE_LATE',
    );
    ok(s.chain.send(party.beneficiary, 'claim', { id: idb, seq: 1 }));
    const p = presentationAnswer(s.chain.read, id, 1)!;
    assert.equal(p.status, 'paid');
    assert.equal(p.precluded, true);
    assert.equal(s.balances.get(party.beneficiary), EUR);
  });

  it('refuses a presentation after expiry, extended over a closed day (Art. 29a), and one above the tolerance', () => {
    // Expiry on Saturday 4 October 2025 (National Day): the next banking day is Thursday 9 October.
    const s = lcChain('2025-09-26T02:00:00Z');
    const id = issued(s, {
      issueDate: '2025-09-20',
      expiryDate: '2025-10-04',
      latestShipmentDate: '2025-09-30',
      partialShipments: 'ALLOWED',
    });
    const idb = hexToBytes(id);
    const max = (EUR * 105n) / 100n;
    const docs = () => [billOfLading(s, 1, '2025-09-25T00:00:00Z'), invoice(s, 2)];
    assert.equal(
      s.chain.send(party.beneficiary, 'present', { id: idb, amount: amount(max + 1n), documents: docs() }),
      'LC_OVERDRAWN',
    );
    assert.equal(
      s.chain.send(party.other, 'present', { id: idb, amount: amount(1), documents: docs() }),
      'LC_WRONG_PARTY',
    );
    s.at('2025-10-09T03:00:00Z');
    ok(s.chain.send(party.beneficiary, 'present', { id: idb, amount: amount(1000), documents: docs() }));
    ok(s.chain.send(party.issuer, 'honour', { id: idb, seq: 1 }));
    s.at('2025-10-09T16:30:00Z'); // Friday 10 October in Shanghai
    assert.equal(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(1000),
        documents: [invoice(s, 3)],
      }),
      'LC_EXPIRED',
    );
    // The expiry hook closes the credit and refunds the rest of the escrow.
    ok(s.chain.runHook('endBlock'));
    const credit = creditAnswer(s.chain.read, id)!;
    assert.equal(credit.status, 'closed');
    assert.equal(credit.closeReason, 'expired');
    assert.equal(s.balances.get(party.issuer), 10n ** 12n - 1000n);
    assert.equal(s.holds.size, 0);
    // Closed on expiry, it still refuses a presentation as one after expiry.
    assert.equal(
      s.chain.send(party.beneficiary, 'present', { id: idb, amount: amount(1), documents: [invoice(s, 4)] }),
      'LC_EXPIRED',
    );
  });

  it('a bill of lading presented under one credit is a discrepancy under another', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const first = issued(s, { partialShipments: 'ALLOWED' });
    const second = issued(s, { partialShipments: 'ALLOWED' });
    const bl = billOfLading(s, 1, '2026-03-08T00:00:00Z');
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: hexToBytes(first),
        amount: amount(10),
        documents: [bl, invoice(s, 2)],
      }),
    );
    // The bill is the bank's now; presenting it again (the chain's record says it was used) is a discrepancy.
    s.docs.get(hex32(1))!.holder = party.beneficiary;
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: hexToBytes(second),
        amount: amount(10),
        documents: [bl, invoice(s, 3)],
      }),
    );
    assert.deepEqual(
      presentationAnswer(s.chain.read, second, 1)!.found.map((f) => f.split(':')[0]),
      ['BL_ALREADY_PRESENTED'],
    );
  });

  it('eUCP: examination starts with the notice of completeness', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, { rules: 'EUCP LATEST VERSION' });
    const idb = hexToBytes(id);
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [billOfLading(s, 1, '2026-03-08T00:00:00Z'), invoice(s, 2)],
      }),
    );
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.deadline, null);
    assert.equal(
      s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: ['X'] }),
      'LC_NOT_COMPLETE',
    );
    s.at('2026-03-11T02:00:00Z'); // Wednesday
    ok(s.chain.send(party.beneficiary, 'complete', { id: idb, seq: 1 }));
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.deadlineDate, '2026-03-18');
  });

  it('acceptance: honoured at maturity, not before', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, {}, { tenorDays: 60 });
    const idb = hexToBytes(id);
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [billOfLading(s, 1, '2026-03-08T00:00:00Z'), invoice(s, 2)],
      }),
    );
    ok(s.chain.send(party.issuer, 'honour', { id: idb, seq: 1 }));
    const p = presentationAnswer(s.chain.read, id, 1)!;
    assert.equal(p.status, 'accepted');
    assert.equal(p.maturityDay, dayFromIso('2026-03-09') + 60);
    // The credit closes (a single drawing); what is owed stays held for maturity.
    assert.equal(creditAnswer(s.chain.read, id)!.status, 'closed');
    assert.equal(s.chain.send(party.beneficiary, 'settle', { id: idb, seq: 1 }), 'LC_NOT_MATURE');
    s.at('2026-05-08T01:00:00Z');
    ok(s.chain.send(party.other, 'settle', { id: idb, seq: 1 }));
    assert.equal(s.balances.get(party.beneficiary), EUR);
  });

  it('refuses drafts under other rules, unknown banks, a bad MT700, and a reused credit number', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const base = {
      issuingOrg: 'bank-i',
      advisingOrg: 'bank-a',
      beneficiary: hexToBytes(party.beneficiary),
      denom: 'native',
      calendar: 'CN',
      required: ['BillOfLading'] as DocumentKind[],
      tenorDays: 0,
    };
    assert.equal(
      s.chain.send(party.maker, 'draft', { ...base, mt700: mt700({ rules: 'UCPURR LATEST VERSION' }) }),
      'LC_BAD_TERMS',
    );
    assert.equal(
      s.chain.send(party.maker, 'draft', { ...base, issuingOrg: 'exporter', mt700: mt700() }),
      'LC_NOT_BANK',
    );
    assert.equal(s.chain.send(party.maker, 'draft', { ...base, mt700: 'not a message' }), 'LC_MT700_INVALID');
    assert.equal(
      s.chain.send(party.maker, 'draft', { ...base, mt700: mt700({ expiryDate: '2026-03-01' }) }),
      'LC_EXPIRED',
    );
    const id = issued(s);
    const number = creditAnswer(s.chain.read, id)!.number;
    ok(s.chain.send(party.maker, 'draft', { ...base, mt700: mt700() }));
    const next = s.chain.events.filter((e) => e.type === 'drafted').at(-1)!.attributes.id!;
    ok(s.chain.send(party.checker, 'check', { id: hexToBytes(next) }));
    ok(s.chain.send(party.approver, 'approve', { id: hexToBytes(next) }));
    assert.equal(
      s.chain.send(party.issuer, 'issue', { id: hexToBytes(next), number }),
      'LC_DUPLICATE_NUMBER',
    );
  });
});
