import assert from 'node:assert/strict';
import { encode } from '@pujiang/codec';
import { encodeAmount } from '@pujiang/module-bank';
import { moduleError } from '@pujiang/module-kit';
import { testChain } from '@pujiang/module-kit/testing';
import { hexToBytes } from '@pujiang/types';
import { CalendarYearCodec } from '../src/calendar.js';
import { dayFromIso, startOfDay } from '../src/calendar-days.js';
import { lc } from '../src/chain/index.js';
import type { DocumentKind, PresentedDocument } from '../src/formats.js';
import { Banks, banksKey, calendarKey } from '../src/formats.js';
import { formatMt700 } from '../src/mt700-format.js';
import type { Mt700Terms } from '../src/mt700-types.js';
import { CN_2025, CN_2026 } from './cn-calendars.js';
import { SAMPLE_HEADERS, SAMPLE_TERMS } from './mt700-sample.js';

/**
 * The lc module's handlers over an in-memory state, with the governance, bank, notary and docs
 * exports it imports played by small fakes: identities and their organizations, bank holds and
 * balances, notarized digests, registered documents with their holders.
 */
export const addr = (n: number) => n.toString(16).padStart(42, '0');
export const party = {
  maker: addr(1),
  checker: addr(2),
  approver: addr(3),
  issuer: addr(4),
  issuerAdmin: addr(5),
  adviser: addr(6),
  beneficiary: addr(7),
  other: addr(8),
  adviserAdmin: addr(9),
} as const;
const identities: Record<string, { org: string; role: string }> = {
  [party.maker]: { org: 'applicant', role: 'client' },
  [party.checker]: { org: 'applicant', role: 'client' },
  [party.approver]: { org: 'applicant', role: 'admin' },
  [party.issuer]: { org: 'bank-i', role: 'client' },
  [party.issuerAdmin]: { org: 'bank-i', role: 'admin' },
  [party.adviser]: { org: 'bank-a', role: 'client' },
  [party.beneficiary]: { org: 'exporter', role: 'client' },
  [party.other]: { org: 'exporter', role: 'client' },
  [party.adviserAdmin]: { org: 'bank-a', role: 'admin' },
};

export const BLOCK_MS = 60_000n;
/** How many of the issuing bank's identities its honour policy asks for (tests raise it). */
export const honourSigners = { count: 1 };
export const digest = (n: number) => new Uint8Array(32).fill(n);
export const hex32 = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

export interface RegisteredDoc {
  type: string;
  status: string;
  holder: string | null;
  time: bigint;
}

/** MT700 text of the sample credit with `changes` to its terms. */
export function mt700(changes: Partial<Mt700Terms> = {}): string {
  return formatMt700({ ...SAMPLE_TERMS, ...changes }, SAMPLE_HEADERS);
}

/** A chain whose next block is at `iso` (a UTC instant), with the CN calendars for 2025 and 2026. */
export function lcChain(iso: string) {
  const balances = new Map<string, bigint>([[party.issuer, 10n ** 12n]]);
  const holds = new Map<string, { amount: bigint; from: string }>();
  const anchored = new Set<string>();
  const docs = new Map<string, RegisteredDoc>();
  const chain = testChain({
    module: lc,
    blockMs: BLOCK_MS,
    height: 10n,
    call: (sender, module, name, a) => {
      const args = a as Record<string, string>;
      if (module === 'governance' && name === 'identityOf') {
        const id = identities[args.address!];
        return id ? { ...id, valid: true } : null;
      }
      if (module === 'governance' && name === 'policyVerdict') {
        // The issuing bank's honour needs two of its identities (a maker and a checker).
        // As governance's default: any signer counts for its organization.
        const all = a.signers as string[];
        const signedOrgs = [...new Set(all.flatMap((x) => (identities[x] ? [identities[x].org] : [])))];
        const ofBank = new Set(all.filter((x) => identities[x]?.org === 'bank-i'));
        const satisfied = a.resource !== 'lc/honour/bank-i' || ofBank.size >= honourSigners.count;
        return {
          satisfied,
          policy: String(a.resource),
          description: 'two of bank-i',
          signedOrgs,
          shortOrgs: [],
        };
      }
      if (module === 'bank' && name === 'escrow') {
        if (holds.has(args.id!)) throw moduleError('BANK_HOLD_EXISTS', 'exists');
        const amount = BigInt(args.amount!);
        const from = args.from!;
        if (from !== sender && !from.startsWith('ff'))
          throw moduleError('BANK_NOT_AUTHORIZED', 'not the signer');
        const balance = balances.get(from) ?? 0n;
        if (balance < amount) throw moduleError('BANK_INSUFFICIENT_FUNDS', 'short');
        balances.set(from, balance - amount);
        holds.set(args.id!, { amount, from });
        return undefined;
      }
      if (module === 'bank' && name === 'release') {
        const hold = holds.get(args.id!);
        if (!hold) throw moduleError('BANK_UNKNOWN_HOLD', `no hold ${args.id}`);
        const amount = args.amount === undefined ? hold.amount : BigInt(args.amount);
        if (amount > hold.amount) throw moduleError('BANK_INSUFFICIENT_FUNDS', 'hold short');
        balances.set(args.to!, (balances.get(args.to!) ?? 0n) + amount);
        hold.amount -= amount;
        if (hold.amount === 0n) holds.delete(args.id!);
        return hold.amount;
      }
      if (module === 'bank' && name === 'refund') {
        const hold = holds.get(args.id!);
        if (!hold) throw moduleError('BANK_UNKNOWN_HOLD', `no hold ${args.id}`);
        balances.set(hold.from, (balances.get(hold.from) ?? 0n) + hold.amount);
        holds.delete(args.id!);
        return undefined;
      }
      if (module === 'notary' && name === 'anchored')
        return anchored.has(args.digest!) ? { root: args.digest, height: '1', time: '0' } : null;
      if (module === 'docs' && name === 'documentFacts') {
        const d = docs.get(args.id!);
        return d
          ? { ...d, time: String(d.time), issuer: 'did:x:y', transferable: true, fileDigest: '' }
          : null;
      }
      if (module === 'docs' && name === 'transferHeld') {
        const d = docs.get(args.id!);
        if (!d || d.holder !== sender) throw moduleError('DOCS_NOT_HOLDER', 'not the holder');
        d.holder = args.to!;
        return undefined;
      }
      throw new Error(`unexpected call ${module}/${name}`);
    },
  });
  chain.state.set(banksKey, encode(Banks, ['bank-i', 'bank-a']));
  for (const year of [CN_2025, CN_2026])
    chain.state.set(calendarKey('CN', year.year), encode(CalendarYearCodec, year));
  const at = (when: string) => {
    const target = BigInt(Date.parse(when));
    const next = chain.last.time + BLOCK_MS;
    if (target < next) throw new Error(`the chain is past ${when}`);
    chain.advance(target - next);
  };
  at(iso);
  return { chain, balances, holds, anchored, docs, at };
}

export const dayStart = (iso: string): bigint => startOfDay(dayFromIso(iso));
export const idBytes = hexToBytes;

export type Setup = ReturnType<typeof lcChain>;
export const amount = (n: bigint | number) => encodeAmount(BigInt(n));
export const ok = (code: string) => assert.equal(code, 'OK');

export function issued(
  s: Setup,
  terms: Partial<Mt700Terms> = {},
  o: { required?: DocumentKind[]; tenorDays?: number } = {},
): string {
  const { chain } = s;
  ok(
    chain.send(party.maker, 'draft', {
      issuingOrg: 'bank-i',
      advisingOrg: 'bank-a',
      beneficiary: hexToBytes(party.beneficiary),
      denom: 'native',
      calendar: 'CN',
      mt700: mt700(terms),
      required: o.required ?? ['BillOfLading', 'CommercialInvoice'],
      tenorDays: o.tenorDays ?? 0,
    }),
  );
  const id = chain.events.filter((e) => e.type === 'drafted').at(-1)!.attributes.id!;
  const step = { id: hexToBytes(id) };
  assert.equal(chain.send(party.maker, 'check', step), 'LC_SAME_IDENTITY');
  assert.equal(chain.send(party.issuer, 'check', step), 'LC_WRONG_PARTY');
  ok(chain.send(party.checker, 'check', step));
  assert.equal(chain.send(party.checker, 'approve', step), 'LC_SAME_IDENTITY');
  assert.equal(chain.send(party.issuer, 'issue', { id: hexToBytes(id), number: 'LC1' }), 'LC_BAD_STATE');
  ok(chain.send(party.approver, 'approve', step));
  assert.equal(chain.send(party.adviser, 'issue', { id: hexToBytes(id), number: 'LC1' }), 'LC_WRONG_PARTY');
  ok(chain.send(party.issuer, 'issue', { id: hexToBytes(id), number: `LC${chain.last.height}` }));
  assert.equal(
    chain.send(party.beneficiary, 'present', { id: hexToBytes(id), amount: amount(1), documents: [] }),
    'LC_NOT_AVAILABLE',
  );
  ok(chain.send(party.adviser, 'advise', step));
  return id;
}

/** A valid electronic bill of lading held by the beneficiary, shipped at `shipped`. */
export function billOfLading(
  s: Setup,
  n: number,
  shipped: string,
  holder: string = party.beneficiary,
): PresentedDocument {
  s.docs.set(hex32(n), { type: 'BillOfLading', status: 'active', holder, time: BigInt(Date.parse(shipped)) });
  return { kind: 'BillOfLading', source: { type: 'registered', value: digest(n) } };
}
export function invoice(s: Setup, n: number, notarized = true): PresentedDocument {
  if (notarized) s.anchored.add(hex32(n));
  return { kind: 'CommercialInvoice', source: { type: 'notarized', value: digest(n) } };
}
