import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { encodeAmount } from '@pujiang/module-bank';
import { moduleError } from '@pujiang/module-kit';
import { testChain } from '@pujiang/module-kit/testing';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { scf } from '../src/chain/index.js';
import { dayFromCivil } from '../src/dates.js';
import { Banks, banksKey, DAY_MS, dayOf, partId, receivableId, startOfDay } from '../src/formats.js';
import { creditLineAnswer, invoiceAnswer, receivableAnswer } from '../src/records.js';

/**
 * The scf module's handlers over an in-memory state, with the governance, bank and notary
 * exports played by fakes: who is a member of which organization, balances, anchors. The
 * real modules on real processes are exercised in packages/cli/test/scf-receivables.test.ts.
 */
const addr = (n: number) => n.toString(16).padStart(42, '0');
const buyer = addr(1);
const [tier1, tier2, tier3] = [addr(2), addr(3), addr(4)];
const [bankA1, bankA2, bankA3, bankB1] = [addr(5), addr(6), addr(7), addr(8)];
const outsider = addr(9);
const orgOf: Record<string, string> = {
  [buyer]: 'buyer',
  [tier1]: 'supplier-1',
  [tier2]: 'supplier-2',
  [tier3]: 'supplier-3',
  [bankA1]: 'bank-a',
  [bankA2]: 'bank-a',
  [bankA3]: 'bank-a',
  [bankB1]: 'bank-b',
};
const BLOCK_MS = 60_000n;
const digest = (n: number) => new Uint8Array(32).fill(n);
const amount = (n: bigint | number) => encodeAmount(BigInt(n));
const ok = (code: string) => assert.equal(code, 'OK');

function setup(approvers = 1) {
  const balances = new Map<string, bigint>([
    [buyer, 10_000_000n],
    [bankA1, 5_000_000n],
    [bankB1, 5_000_000n],
  ]);
  const anchors: string[] = [];
  const chain = testChain({
    module: scf,
    blockMs: BLOCK_MS,
    // Day 20000 (2024-10-04), 00:00 in Shanghai, at height 10.
    height: 10n,
    call: (sender, module, name, args) => {
      if (module === 'governance' && name === 'identityOf') {
        const org = orgOf[args.address as string];
        return org ? { org, role: 'client', valid: true } : null;
      }
      if (module === 'governance' && name === 'policyVerdict') {
        // bank-a's policy: three distinct identities of bank-a (maker, checker, approver).
        // Otherwise as governance's default: any signer counts for its organization.
        const all = args.signers as string[];
        const signedOrgs = [...new Set(all.flatMap((x) => (orgOf[x] ? [orgOf[x]] : [])))];
        const signers = new Set(all.filter((x) => orgOf[x] === 'bank-a'));
        const satisfied = args.resource === 'scf/finance/bank-a' ? signers.size >= approvers : true;
        return {
          satisfied,
          policy: String(args.resource),
          description: 'three of bank-a',
          signedOrgs,
          shortOrgs: [],
        };
      }
      if (module === 'bank' && name === 'transfer') {
        const value = BigInt(args.amount as string);
        if (args.from !== sender) throw moduleError('BANK_NOT_AUTHORIZED', 'not the signer');
        const from = balances.get(sender) ?? 0n;
        if (from < value) throw moduleError('BANK_INSUFFICIENT_FUNDS', 'short');
        balances.set(sender, from - value);
        balances.set(args.to as string, (balances.get(args.to as string) ?? 0n) + value);
        return undefined;
      }
      if (module === 'notary' && name === 'anchorFor') {
        anchors.push(args.digest as string);
        return { root: args.digest, height: '1', txHash: '00'.repeat(32), existing: false };
      }
      throw new Error(`unexpected call ${module}/${name}`);
    },
  });
  chain.state.set(banksKey, encode(Banks, ['bank-a', 'bank-b']));
  // Start at the beginning of a Shanghai day.
  chain.advance(startOfDay(20_000n) - 11n * BLOCK_MS);
  return { chain, balances, anchors };
}

const today = (chain: ReturnType<typeof setup>['chain']) => Number(dayOf(chain.last.time + BLOCK_MS));

function confirmed(s: ReturnType<typeof setup>, invoice = 1, face = 900_000n) {
  const { chain } = s;
  assert.equal(
    chain.send(bankA1, 'setCreditLine', {
      buyer: hexToBytes(buyer),
      denom: 'native',
      limit: amount(1_000_000),
    }),
    'OK',
  );
  const code = chain.sendEndorsed(buyer, [tier1], 'confirm', {
    supplier: hexToBytes(tier1),
    denom: 'native',
    amount: amount(face),
    dueDay: today(chain) + 30,
    invoiceDigest: digest(invoice),
    deliveryDigests: [digest(100 + invoice)],
    reference: `PO-${invoice}`,
  });
  return { code, id: bytesToHex(receivableId('sha256', digest(invoice))) };
}

describe('scf: receivables', () => {
  it('a confirmation within the credit line is a receivable held by the supplier, its documents notarized', () => {
    const s = setup();
    const { code, id } = confirmed(s);
    assert.equal(code, 'OK');
    const r = receivableAnswer(s.chain.read, id)!;
    assert.equal(r.amount, '900000');
    assert.equal(r.status, 'open');
    assert.equal(r.parts.length, 1);
    assert.equal(r.parts[0]!.holder, tier1);
    assert.equal(r.lineOrg, 'bank-a');
    assert.deepEqual(s.anchors, [bytesToHex(digest(1)), bytesToHex(digest(101))]);
    assert.equal(invoiceAnswer(s.chain.read, bytesToHex(digest(1)))!.id, id);
    assert.equal(creditLineAnswer(s.chain.read, buyer, 'native')!.outstanding, '900000');
  });

  it('the credit line caps outstanding confirmations, an invoice backs one receivable, due dates are checked', () => {
    const s = setup();
    assert.equal(confirmed(s).code, 'OK');
    const again = (invoice: number, face: bigint, dueDay = today(s.chain) + 10) =>
      s.chain.sendEndorsed(buyer, [tier1], 'confirm', {
        supplier: hexToBytes(tier1),
        denom: 'native',
        amount: amount(face),
        dueDay,
        invoiceDigest: digest(invoice),
        deliveryDigests: [],
        reference: 'PO-2',
      });
    assert.equal(again(2, 100_001n), 'SCF_CREDIT_LIMIT');
    assert.equal(again(1, 1n), 'SCF_INVOICE_USED');
    assert.equal(again(2, 100_000n, today(s.chain) - 1), 'SCF_BAD_DUE_DATE');
    assert.equal(again(2, 100_000n), 'OK');
    assert.equal(
      s.chain.sendEndorsed(tier1, [tier2], 'confirm', {
        supplier: hexToBytes(tier2),
        denom: 'native',
        amount: amount(1),
        dueDay: today(s.chain) + 1,
        invoiceDigest: digest(3),
        deliveryDigests: [],
        reference: 'X',
      }),
      'SCF_NO_CREDIT_LINE',
    );
    // Only a bank grants lines, and a line belongs to the bank that granted it.
    assert.equal(
      s.chain.send(tier1, 'setCreditLine', { buyer: hexToBytes(buyer), denom: 'native', limit: amount(1) }),
      'SCF_NOT_BANK',
    );
    assert.equal(
      s.chain.send(bankB1, 'setCreditLine', { buyer: hexToBytes(buyer), denom: 'native', limit: amount(1) }),
      'SCF_LINE_OF_OTHER_BANK',
    );
  });

  it('split in three, transferred two tiers down, one part financed, settled on its due day: each holder paid what it holds', () => {
    const s = setup(3);
    const { chain, balances } = s;
    const { id } = confirmed(s);
    assert.equal(
      chain.send(tier1, 'split', {
        id: hexToBytes(id),
        amounts: [amount(300_000), amount(300_000), amount(300_000)],
      }),
      'OK',
    );
    const [p0, p1, p2] = [0, 1, 2].map((i) => bytesToHex(partId('sha256', hexToBytes(id), i))) as [
      string,
      string,
      string,
    ];
    assert.equal(chain.send(tier1, 'transfer', { id: hexToBytes(id), to: hexToBytes(tier2) }), 'SCF_SPLIT');
    assert.equal(chain.send(tier1, 'transfer', { id: hexToBytes(p1), to: hexToBytes(tier2) }), 'OK');
    assert.equal(
      chain.send(tier2, 'split', { id: hexToBytes(p1), amounts: [amount(100_000), amount(200_000)] }),
      'OK',
    );
    const p10 = bytesToHex(partId('sha256', hexToBytes(p1), 0));
    const p11 = bytesToHex(partId('sha256', hexToBytes(p1), 1));
    assert.equal(chain.send(tier2, 'transfer', { id: hexToBytes(p11), to: hexToBytes(tier3) }), 'OK');
    assert.equal(
      chain.send(tier1, 'transfer', { id: hexToBytes(p11), to: hexToBytes(tier1) }),
      'SCF_NOT_HOLDER',
    );
    // Tier 3 finances its part at bank A: maker, checker and approver must all sign.
    assert.equal(
      chain.send(tier3, 'requestFinancing', { id: hexToBytes(p11), org: 'bank-a', advance: amount(190_000) }),
      'OK',
    );
    assert.equal(
      chain.send(tier3, 'transfer', { id: hexToBytes(p11), to: hexToBytes(tier2) }),
      'SCF_FINANCING_PENDING',
    );
    assert.equal(
      chain.send(bankB1, 'finance', {
        id: hexToBytes(p11),
        payTo: hexToBytes(bankB1),
        advance: amount(190_000),
      }),
      'SCF_NOT_REQUESTED_BANK',
    );
    assert.equal(
      chain.sendEndorsed(bankA1, [bankA2], 'finance', {
        id: hexToBytes(p11),
        payTo: hexToBytes(bankA1),
        advance: amount(190_000),
      }),
      'SCF_APPROVAL_POLICY',
    );
    assert.equal(
      chain.sendEndorsed(bankA1, [bankA2, bankA3], 'finance', {
        id: hexToBytes(p11),
        payTo: hexToBytes(bankA1),
        advance: amount(190_000),
      }),
      'OK',
    );
    assert.equal(balances.get(tier3), 190_000n);
    // Pledged: not again, not through the other bank, not transferred.
    assert.equal(
      chain.send(tier3, 'requestFinancing', { id: hexToBytes(p11), org: 'bank-b', advance: amount(1) }),
      'SCF_PLEDGED',
    );
    assert.equal(
      chain.send(tier3, 'transfer', { id: hexToBytes(p11), to: hexToBytes(tier2) }),
      'SCF_PLEDGED',
    );
    // Not before the due day.
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [] }), 'SCF_NOT_DUE');
    chain.advance(30n * DAY_MS);
    assert.equal(chain.send(tier1, 'settle', { id: hexToBytes(id), amount: [] }), 'SCF_NOT_DEBTOR');
    const before = new Map(balances);
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [] }), 'OK');
    const gained = (a: string) => (balances.get(a) ?? 0n) - (before.get(a) ?? 0n);
    assert.equal(gained(tier1), 600_000n, 'tier 1 holds p0 and p2');
    assert.equal(gained(tier2), 100_000n, 'tier 2 holds p10');
    assert.equal(gained(tier3), 0n, 'tier 3 pledged its part');
    assert.equal(gained(bankA1), 200_000n, 'the pledgee is paid the pledged part');
    assert.equal(gained(buyer), -900_000n);
    const r = receivableAnswer(chain.read, id)!;
    assert.equal(r.status, 'settled');
    assert.deepEqual(
      r.parts.map((p) => p.id),
      [p0, p10, p11, p2],
    );
    assert.ok(r.parts.every((p) => p.state === 'settled'));
    assert.equal(creditLineAnswer(chain.read, buyer, 'native')!.outstanding, '0');
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [] }), 'SCF_SETTLED');
  });

  it('a partial payment is shared pro rata, the rounding units going to the first parts, never more than owed', () => {
    const s = setup();
    const { chain, balances } = s;
    const { id } = confirmed(s, 1, 10n);
    assert.equal(
      chain.send(tier1, 'split', { id: hexToBytes(id), amounts: [amount(3), amount(3), amount(4)] }),
      'OK',
    );
    const parts = [0, 1, 2].map((i) => bytesToHex(partId('sha256', hexToBytes(id), i)));
    assert.equal(chain.send(tier1, 'transfer', { id: hexToBytes(parts[1]!), to: hexToBytes(tier2) }), 'OK');
    assert.equal(chain.send(tier1, 'transfer', { id: hexToBytes(parts[2]!), to: hexToBytes(tier3) }), 'OK');
    chain.advance(30n * DAY_MS);
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [amount(11)] }), 'SCF_BAD_AMOUNT');
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [amount(5)] }), 'OK');
    // 5 x 3/10 = 1.5 -> 1, 1.5 -> 1, 5 x 4/10 = 2: one unit left, to the first part.
    assert.deepEqual(
      [tier1, tier2, tier3].map((a) => balances.get(a) ?? 0n),
      [2n, 1n, 2n],
    );
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [] }), 'OK');
    assert.deepEqual(
      [tier1, tier2, tier3].map((a) => balances.get(a) ?? 0n),
      [3n, 3n, 4n],
    );
  });

  it('the endBlock hook marks a receivable overdue once its due day has passed unpaid, and only then', () => {
    const s = setup();
    const { chain } = s;
    const { id } = confirmed(s);
    const { id: paidId } = confirmed(s, 2, 50_000n);
    assert.equal(chain.runHook('endBlock'), 'OK');
    chain.advance(30n * DAY_MS);
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(paidId), amount: [] }), 'OK');
    assert.equal(chain.runHook('endBlock'), 'OK');
    assert.equal(receivableAnswer(chain.read, id)!.status, 'open', 'on its due day it is due, not overdue');
    chain.advance(DAY_MS);
    assert.equal(chain.runHook('endBlock'), 'OK');
    assert.equal(receivableAnswer(chain.read, id)!.status, 'overdue');
    assert.equal(receivableAnswer(chain.read, paidId)!.status, 'settled');
    assert.deepEqual(
      chain.events.filter((e) => e.type === 'overdue').map((e) => e.attributes.id),
      [id],
    );
    // Overdue receivables cannot be financed, and are still paid.
    const root = receivableAnswer(chain.read, id)!.parts[0]!.id;
    assert.equal(
      chain.send(tier1, 'requestFinancing', { id: hexToBytes(root), org: 'bank-a', advance: amount(1) }),
      'SCF_NOT_FINANCEABLE',
    );
    assert.equal(chain.send(buyer, 'settle', { id: hexToBytes(id), amount: [] }), 'OK');
    assert.equal(receivableAnswer(chain.read, id)!.status, 'settled');
  });

  it('refuses splits that do not add up, an outsider as a holder, unknown banks and advances above the part', () => {
    const s = setup();
    const { chain } = s;
    const { id } = confirmed(s);
    const idb = hexToBytes(id);
    assert.equal(chain.send(tier1, 'split', { id: idb, amounts: [amount(1), amount(2)] }), 'SCF_BAD_SPLIT');
    assert.equal(chain.send(tier1, 'split', { id: idb, amounts: [amount(900_000)] }), 'SCF_BAD_SPLIT');
    assert.equal(
      chain.send(tier1, 'split', { id: idb, amounts: [new Uint8Array([0, 1]), amount(899_999)] }),
      'SCF_BAD_AMOUNT',
    );
    assert.equal(chain.send(tier1, 'transfer', { id: idb, to: hexToBytes(outsider) }), 'SCF_NOT_MEMBER');
    assert.equal(
      chain.send(tier1, 'requestFinancing', { id: idb, org: 'supplier-2', advance: amount(1) }),
      'SCF_NOT_BANK',
    );
    assert.equal(
      chain.send(tier1, 'requestFinancing', { id: idb, org: 'bank-a', advance: amount(900_001) }),
      'SCF_BAD_AMOUNT',
    );
    assert.equal(chain.send(tier1, 'cancelFinancing', { id: idb }), 'SCF_NO_REQUEST');
    assert.equal(
      chain.send(tier1, 'requestFinancing', { id: idb, org: 'bank-a', advance: amount(800_000) }),
      'OK',
    );
    assert.equal(chain.send(tier1, 'cancelFinancing', { id: idb }), 'OK');
    assert.equal(
      chain.send(bankA1, 'finance', { id: idb, payTo: hexToBytes(bankA1), advance: amount(1) }),
      'SCF_NO_REQUEST',
    );
    assert.equal(chain.send(tier1, 'settle', { id: hexToBytes('ab'.repeat(32)), amount: [] }), 'SCF_UNKNOWN');
  });

  it('a confirmation needs the supplier; the bank finances the advance its signers approved, not a swapped one', () => {
    const s = setup();
    const { chain } = s;
    ok(
      chain.send(bankA1, 'setCreditLine', {
        buyer: hexToBytes(buyer),
        denom: 'native',
        limit: amount(1_000_000),
      }),
    );
    const confirm = (endorsers: string[]) =>
      chain.sendEndorsed(buyer, endorsers, 'confirm', {
        supplier: hexToBytes(tier1),
        denom: 'native',
        amount: amount(500_000),
        dueDay: today(chain) + 30,
        invoiceDigest: digest(7),
        deliveryDigests: [],
        reference: 'PO-7',
      });
    // Nobody can claim a supplier's invoice without it (squatting an invoice digest).
    assert.equal(confirm([]), 'SCF_SUPPLIER_CONSENT');
    assert.equal(confirm([tier2]), 'SCF_SUPPLIER_CONSENT');
    ok(confirm([tier1]));
    const id = hexToBytes(bytesToHex(receivableId('sha256', digest(7))));
    ok(chain.send(tier1, 'requestFinancing', { id, org: 'bank-a', advance: amount(100_000) }));
    // The holder swaps the request for a bigger one before the bank's transaction lands.
    ok(chain.send(tier1, 'cancelFinancing', { id }));
    ok(chain.send(tier1, 'requestFinancing', { id, org: 'bank-a', advance: amount(500_000) }));
    assert.equal(
      chain.send(bankA1, 'finance', { id, payTo: hexToBytes(bankA1), advance: amount(100_000) }),
      'SCF_ADVANCE_CHANGED',
    );
    assert.equal(s.balances.get(tier1) ?? 0n, 0n);
    ok(chain.send(bankA1, 'finance', { id, payTo: hexToBytes(bankA1), advance: amount(500_000) }));
    assert.equal(s.balances.get(tier1), 500_000n);
  });

  it('a bank withdraws a line it granted (zero, nothing outstanding), and another bank may then grant one', () => {
    const { chain } = setup();
    const line = (bank: string, limit: number) =>
      chain.send(bank, 'setCreditLine', { buyer: hexToBytes(buyer), denom: 'native', limit: amount(limit) });
    ok(line(bankA1, 10));
    assert.equal(line(bankB1, 10), 'SCF_LINE_OF_OTHER_BANK');
    ok(line(bankA1, 0));
    assert.equal(creditLineAnswer(chain.read, buyer, 'native'), null);
    ok(line(bankB1, 10));
    assert.equal(creditLineAnswer(chain.read, buyer, 'native')!.org, 'bank-b');
  });

  it('civil dates and day numbers agree with the calendar', () => {
    assert.equal(dayFromCivil(2024, 10, 4), 20_000n);
    assert.equal(dayOf(startOfDay(20_000n)), 20_000n);
    assert.equal(dayOf(startOfDay(20_000n) - 1n), 19_999n);
  });
});
