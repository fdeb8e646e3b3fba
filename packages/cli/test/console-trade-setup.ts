import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptAmendment,
  addressOf,
  adviseCredit,
  amendCredit,
  approveCredit,
  checkCredit,
  confirmReceivable,
  draftCredit,
  financeReceivable,
  issueCredit,
  type KeyPair,
  loadKeyFile,
  PujiangClient,
  presentDocuments,
  refusePresentation,
  requestFinancing,
  sendTransfer,
  setBankingCalendar,
  setCreditLine,
  splitReceivable,
} from '@pujiang/sdk';
import { codeOf } from './gov-harness.js';
import { run } from './run-in-process.js';

/** Banks of the console's trade pages: org2 finances receivables; org0 issues and org2 advises credits. */
export const TRADE_GENESIS = (json: { modules: Record<string, unknown> }): void => {
  json.modules.scf = { banks: ['org2'] };
  json.modules.lc = { banks: ['org0', 'org2'] };
};

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;
const shanghaiDay = (ms: number) => Math.floor((ms + SHANGHAI_MS) / DAY_MS);
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yymmdd = (day: number) => iso(day).slice(2).replaceAll('-', '');

export interface TradeFixtures {
  readonly invoicePath: string;
  /** An invoice no receivable is backed by. */
  readonly freeInvoicePath: string;
  readonly receivable: string;
  readonly parts: readonly string[];
  readonly buyer: string;
  readonly credit: string;
  readonly number: string;
  readonly mt700: string;
  readonly calendar: string;
  readonly year: number;
  readonly holiday: string;
  readonly workday: string;
}

/** An MT700 the applicant drafts: payment at sight, 5% tolerance, expiring in 60 days. */
function draftMt700(today: number): string {
  return [
    '{1:F01PJIBCNSHAXXX0001000001}{2:I700PJABDEHHXXXXN}{4:',
    ':27:1/1',
    ':40A:IRREVOCABLE',
    ':20:DRAFT',
    `:31C:${yymmdd(today)}`,
    ':40E:UCP LATEST VERSION',
    `:31D:${yymmdd(today + 60)}SHANGHAI`,
    ':50:PUJIANG IMPORTS LTD',
    'SHANGHAI',
    ':59:PUJIANG EXPORTS LTD',
    'HAMBURG',
    ':32B:CNY100000,00',
    ':39A:5/5',
    ':41D:ANY BANK',
    'BY PAYMENT',
    ':46A:+SIGNED COMMERCIAL INVOICE',
    '+FULL SET CLEAN ON BOARD BILLS OF LADING',
    ':49:WITHOUT',
    '-}',
  ].join('\r\n');
}

/**
 * What the trade pages show, made on the console's network in rounds of transactions by
 * different senders (each round's go into one block): a receivable confirmed, split in two,
 * one part financed by org2 and the other with a request pending; a credit drafted by org1's
 * maker, checked, approved, issued by org0, advised by org2, amended and accepted, presented
 * by the beneficiary and refused with a notice; a banking-day calendar for this year and the next.
 */
export async function makeTradeFixtures(dir: string, api: string): Promise<TradeFixtures> {
  const client = new PujiangClient({ url: api });
  const { chainHash } = await client.getStatus();
  const op = [0, 1, 2, 3].map((i) => loadKeyFile(join(dir, 'net', `node${i}`, 'keys', 'operator.json')));
  const address = (k: KeyPair) => addressOf(chainHash, k);
  const clerk = loadKeyFile(join(dir, 'clerk.json'));
  const ok = async (...sent: Promise<{ result: { receipt?: { code: string } } }>[]) => {
    for (const code of await Promise.all(sent.map((s) => codeOf(s)))) assert.equal(code, 'OK');
  };
  const today = shanghaiDay(Date.now());
  const year = Number(iso(today).slice(0, 4));
  // This year's test calendar: the first Monday of May closed, the Saturday before it open.
  let holidayDay = Math.floor(Date.UTC(year, 4, 1) / DAY_MS);
  while (new Date(holidayDay * DAY_MS).getUTCDay() !== 1) holidayDay++;
  const holiday = iso(holidayDay);
  const workday = iso(holidayDay - 2);
  const calendar = 'CN-TEST';
  const invoice = 'Invoice INV-2026-0042: 90 cases of Longjing tea, 900,000 units\n';
  const invoicePath = join(dir, 'invoice.pdf');
  writeFileSync(invoicePath, invoice);
  const freeInvoicePath = join(dir, 'other-invoice.pdf');
  writeFileSync(freeInvoicePath, 'Invoice INV-2026-0043: never confirmed\n');
  const invoiceDigest = createHash('sha256').update(invoice).digest('hex');
  // A third identity of org1, the applicant's approver.
  const approverKey = join(dir, 'approver.json');
  const cert = join(dir, 'approver.pem');
  const cli = async (...argv: string[]) => {
    const r = await run(...argv);
    assert.equal(r.code, 0, `pujiang ${argv.join(' ')}: ${r.err}`);
  };
  await cli('keys', 'generate', '--suite', 'ed25519', '--out', approverKey);
  await cli(
    'cert',
    'issue',
    '--org-dir',
    join(dir, 'net', 'node1', 'org'),
    '--role',
    'client',
    '--key-file',
    approverKey,
    '--out',
    cert,
  );
  const approver = loadKeyFile(approverKey);
  const wait = { wait: true } as const;

  // Round 1: the draft, this year's calendar, the buyer's line; the approver registers.
  let credit = '';
  await ok(
    draftCredit(client, {
      key: op[1]!,
      ...wait,
      mt700: draftMt700(today),
      issuingOrg: 'org0',
      advisingOrg: 'org2',
      beneficiary: address(op[3]!),
      calendar,
      required: ['CommercialInvoice', 'BillOfLading'],
    }).then((sent) => {
      credit = sent.id!;
      return sent;
    }),
    setBankingCalendar(client, {
      key: op[0]!,
      ...wait,
      calendar,
      year: { year, holidays: [holiday], workdays: [workday] },
    }),
    setCreditLine(client, { key: op[2]!, ...wait, buyer: address(op[3]!), limit: 5_000_000 }),
    cli('register', '--cert', cert, '--key', approverKey, '--node', api).then(() => ({
      result: { receipt: { code: 'OK' } },
    })),
  );
  // Round 2
  let receivable = '';
  await ok(
    checkCredit(client, { key: clerk, ...wait, id: credit }),
    setBankingCalendar(client, {
      key: op[0]!,
      ...wait,
      calendar,
      year: { year: year + 1, holidays: [], workdays: [] },
    }),
    confirmReceivable(client, {
      key: op[3]!,
      // The supplier consents to its invoice's confirmation by endorsing it.
      endorsers: [op[1]!],
      ...wait,
      supplier: address(op[1]!),
      amount: 900_000,
      dueDate: iso(today + 30),
      invoiceDigest,
      reference: 'PO-2026-0042',
      chainHash,
    }).then((sent) => {
      receivable = sent.id;
      return sent;
    }),
  );
  // Round 3
  let parts: string[] = [];
  await ok(
    approveCredit(client, { key: approver, ...wait, id: credit }),
    splitReceivable(client, {
      key: op[1]!,
      ...wait,
      id: receivable,
      amounts: [300_000, 600_000],
      chainHash,
    }).then((sent) => {
      parts = sent.parts;
      return sent;
    }),
    sendTransfer(client, { key: op[0]!, ...wait, to: address(op[2]!), amount: 1_000_000 }),
  );
  const number = 'PJLC-0001';
  await ok(
    issueCredit(client, { key: op[0]!, ...wait, id: credit, number }),
    requestFinancing(client, { key: op[1]!, ...wait, id: parts[0]!, org: 'org2', advance: 250_000 }),
  );
  await ok(adviseCredit(client, { key: op[2]!, ...wait, id: credit }));
  await ok(
    amendCredit(client, { key: op[0]!, ...wait, id: credit, amount: 12_000_000 }),
    financeReceivable(client, {
      key: op[2]!,
      ...wait,
      id: parts[0]!,
      payTo: address(op[2]!),
      advance: 250_000,
    }),
  );
  await ok(
    acceptAmendment(client, { key: op[3]!, ...wait, id: credit, seq: 1 }),
    requestFinancing(client, { key: op[1]!, ...wait, id: parts[1]!, org: 'org2', advance: 500_000 }),
  );
  await ok(
    presentDocuments(client, {
      key: op[3]!,
      ...wait,
      id: credit,
      amount: 5_000_000,
      documents: [{ kind: 'CommercialInvoice', notarized: 'ab'.repeat(32) }],
    }),
  );
  await ok(
    refusePresentation(client, {
      key: op[0]!,
      ...wait,
      id: credit,
      seq: 1,
      discrepancies: ['No bill of lading presented', 'The commercial invoice is not notarized'],
    }),
  );
  const { credit: issued } = (await client.query('lc', 'credit', { id: credit })).result as {
    credit: { mt700: string };
  };
  return {
    invoicePath,
    freeInvoicePath,
    receivable,
    parts,
    buyer: address(op[3]!),
    credit,
    number,
    mt700: issued.mt700,
    calendar,
    year,
    holiday,
    workday,
  };
}
