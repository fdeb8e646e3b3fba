import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexToBytes } from '@pujiang/types';
import { amendmentAnswer, creditAnswer, presentationAnswer } from '../src/records.js';
import { amount, billOfLading, hex32, invoice, issued, lcChain, ok, party } from './lc-fakes.js';

/**
 * Nothing gets stuck: credits close and their escrow returns whatever was pending (an expiry
 * extended over a closed day, an amendment nobody answered, an eUCP presentation never
 * completed); a bill of lading draws once; a bank keeps its own calendar.
 */
const EUR = 125_000_000n;
const MAX = (EUR * 105n) / 100n;
const START = 10n ** 12n;

describe('lc: closing and reuse', () => {
  it('an expiry on a closed day closes on the day after its extension, not before, and the escrow comes back', () => {
    const s = lcChain('2025-09-26T02:00:00Z');
    // Saturday 4 October 2025, in the National Day break: extended to Thursday 9 October.
    const id = issued(s, {
      issueDate: '2025-09-20',
      expiryDate: '2025-10-04',
      latestShipmentDate: '2025-09-30',
    });
    for (const when of ['2025-10-05T02:00:00Z', '2025-10-09T02:00:00Z']) {
      s.at(when);
      ok(s.chain.runHook('endBlock'));
      assert.equal(creditAnswer(s.chain.read, id)!.status, 'advised', `still open on ${when}`);
    }
    s.at('2025-10-09T16:30:00Z'); // Friday 10 October in Shanghai
    ok(s.chain.runHook('endBlock'));
    assert.equal(creditAnswer(s.chain.read, id)!.closeReason, 'expired');
    assert.equal(s.balances.get(party.issuer), START);
    assert.equal(s.holds.size, 0);
  });

  it('an amendment nobody answered lapses when the credit closes, its increase refunded; a withdrawn one too', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, { expiryDate: '2026-04-30' });
    const idb = hexToBytes(id);
    ok(s.chain.send(party.issuer, 'amend', { id: idb, amount: amount(EUR * 2n) }));
    assert.equal(s.chain.send(party.beneficiary, 'withdrawAmendment', { id: idb }), 'LC_WRONG_PARTY');
    ok(s.chain.send(party.issuer, 'withdrawAmendment', { id: idb }));
    assert.equal(amendmentAnswer(s.chain.read, id, 1)!.status, 'lapsed');
    assert.equal(s.balances.get(party.issuer), START - MAX);
    ok(s.chain.send(party.issuer, 'amend', { id: idb, amount: amount(EUR * 2n) }));
    assert.equal(s.chain.send(party.other, 'close', { id: idb }), 'LC_NOT_CLOSABLE');
    s.at('2026-05-01T02:00:00Z');
    ok(s.chain.send(party.other, 'close', { id: idb }));
    assert.equal(amendmentAnswer(s.chain.read, id, 2)!.status, 'lapsed');
    assert.equal(s.balances.get(party.issuer), START);
    assert.equal(s.holds.size, 0);
  });

  it('eUCP: a presentation never completed lapses at expiry; completing it after expiry is refused', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, { rules: 'EUCP LATEST VERSION', expiryDate: '2026-03-31' });
    const idb = hexToBytes(id);
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(EUR),
        documents: [invoice(s, 2)],
      }),
    );
    s.at('2026-04-01T02:00:00Z');
    assert.equal(s.chain.send(party.beneficiary, 'complete', { id: idb, seq: 1 }), 'LC_EXPIRED');
    ok(s.chain.runHook('endBlock'));
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.status, 'lapsed');
    assert.equal(creditAnswer(s.chain.read, id)!.closeReason, 'expired');
    assert.equal(s.balances.get(party.issuer), START);
  });

  it('a bill of lading draws once under a credit; presenting again after a refusal replaces the refused presentation', () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const id = issued(s, { partialShipments: 'ALLOWED' });
    const idb = hexToBytes(id);
    const bl = billOfLading(s, 1, '2026-03-08T00:00:00Z');
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(10),
        documents: [bl, invoice(s, 2)],
      }),
    );
    ok(s.chain.send(party.issuer, 'refuse', { id: idb, seq: 1, discrepancies: ['INVOICE NOT SIGNED'] }));
    // Presenting again with the same bill (the bank holds it for this credit) is not a discrepancy...
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(10),
        documents: [bl, invoice(s, 3)],
      }),
    );
    assert.deepEqual(presentationAnswer(s.chain.read, id, 2)!.found, []);
    // ...and the refused presentation can no longer be waived and honoured beside it.
    assert.equal(presentationAnswer(s.chain.read, id, 1)!.status, 'lapsed');
    assert.equal(s.chain.send(party.approver, 'waive', { id: idb, seq: 1 }), 'LC_BAD_STATE');
    ok(s.chain.send(party.issuer, 'honour', { id: idb, seq: 2 }));
    // Once drawn on, the bill is used: a third presentation with it is a discrepancy.
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(10),
        documents: [bl, invoice(s, 4)],
      }),
    );
    assert.deepEqual(
      presentationAnswer(s.chain.read, id, 3)!.found.map((f) => f.split(':')[0]),
      ['BL_ALREADY_PRESENTED'],
    );
    // A bill of lading as a plain file controls nothing.
    ok(s.chain.send(party.issuer, 'refuse', { id: idb, seq: 3, discrepancies: ['BILL USED'] }));
    const file = {
      kind: 'BillOfLading' as const,
      source: { type: 'notarized' as const, value: hexToBytes(hex32(9)) },
    };
    ok(
      s.chain.send(party.beneficiary, 'present', {
        id: idb,
        amount: amount(10),
        documents: [file, invoice(s, 5)],
      }),
    );
    assert.deepEqual(
      presentationAnswer(s.chain.read, id, 4)!.found.map((f) => f.split(':')[0]),
      ['BL_NOT_ELECTRONIC'],
    );
  });

  it("a bank keeps its own calendar, only for this year and later; issue needs the credit's years", () => {
    const s = lcChain('2026-03-09T02:00:00Z');
    const year = (y: number) => ({ calendar: 'CN', year: { year: y, holidays: [], workdays: [] } });
    assert.equal(s.chain.send(party.issuer, 'setCalendar', year(2027)), 'LC_WRONG_PARTY'); // not an admin
    ok(s.chain.send(party.issuerAdmin, 'setCalendar', year(2027)));
    assert.equal(s.chain.send(party.adviserAdmin, 'setCalendar', year(2028)), 'LC_CALENDAR_NOT_YOURS');
    assert.equal(s.chain.send(party.issuerAdmin, 'setCalendar', year(2025)), 'LC_BAD_CALENDAR');
    // A credit expiring in 2028: the calendar lacks that year, so it cannot be issued.
    assert.throws(() => issued(s, { expiryDate: '2028-01-31' }), /LC_CALENDAR_MISSING/);
  });
});
