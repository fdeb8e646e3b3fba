import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths } from '@pujiang/node';
import {
  claimPayment,
  getBalance,
  getCredit,
  getDocument,
  getPresentation,
  presentDocuments,
  refusePresentation,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';
import { codeOf } from './gov-harness.js';
import {
  atHour,
  CN_2025,
  dayOfIso,
  type LcNetwork,
  moveNetworkTo,
  mt700Text,
  openCredit,
  startLcNetwork,
  yymmdd,
} from './lc-harness.js';
import { civilDate, type ScfNetwork, shanghaiDay } from './scf-harness.js';

/**
 * Letters of credit (UCP 600) on four validator processes with the test clock, one
 * organization each: org0 the applicant (an importer: maker, checker and an admin approver),
 * org1 the issuing bank, org2 the advising bank, org3 the beneficiary (an exporter) whose
 * operator also runs the carrier that issues electronic bills of lading through the docs
 * module. Invoices are files notarized with `pujiang notary stamp`.
 *
 * One credit runs end to end from an MT700 file: issue with escrow, advice, an increase that
 * binds only once the beneficiary accepts it, a presentation missing a required document, the
 * bank's notice of refusal, the applicant's waiver, payment, and the MT700 exported as issued.
 * Three more are presented on the Friday before China's National Day break: the deadline
 * skips the break and counts the make-up Sunday, a refusal on its last evening stands, a
 * late one is refused and the beneficiary claims payment; a credit whose expiry fell in the
 * break is closed to presentations. Each case starts from a chain time the test sets.
 */
describe('lc: letters of credit across an applicant, two banks and a beneficiary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-lc-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  let lc: LcNetwork;
  let net: ScfNetwork;
  /** The moved National Day calendar, and its Friday (26 September 2025's weekday and place). */
  let autumn: LcNetwork['autumn'];
  let friday = 0;
  const address: Record<string, string> = {};
  let key: ScfNetwork['key'];
  let adviserKeyFile = '';
  let billId = '';
  const credit = { e2e: '', tolerance: '', precluded: '', expiring: '' };

  const cli = (node: number) => cliJson(net.nodes[node]!.api);
  const client = (node: number) => net.clients[node]!;
  /** A balance as `node` sees it (the node a transaction was sent to has committed it). */
  const balance = async (who: string, node: number) => (await getBalance(client(node), who)).balance;
  const presentation = async (id: string, seq: number, node: number) =>
    (await getPresentation(client(node), { id, seq }))!;
  const foundCodes = (found: readonly string[]) => found.map((f) => f.split(':')[0]);
  /** The beneficiary notarizes a file with `pujiang notary stamp`: its SHA-256, as presented. */
  const stamp = async (path: string) => {
    const args = ['--hash', 'sha256', '--key', net.keyFile.beneficiary!, '--out', dir];
    const stamped = await cli(3)('notary', 'stamp', path, ...args);
    assert.equal(stamped.code, EXIT.ok, stamped.err);
    return sha256(path);
  };

  before(async () => {
    lc = await startLcNetwork(dir);
    ({ net, autumn } = lc);
    friday = autumn.friday;
    key = net.key;
    Object.assign(address, net.address);
    adviserKeyFile = homePaths(net.homes[2]!).operatorKey;
  });

  after(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the genesis calendars are in state: China 2025 and 2026, and 2025’s National Day moved to a reachable autumn', async () => {
    const shown = await cli(0)('lc', 'calendar', 'show', '--calendar', 'CN', '--year', '2025');
    assert.equal(shown.code, EXIT.ok, shown.err);
    assert.deepEqual(shown.json.calendar, { calendar: 'CN', ...CN_2025 });
    const year = String(autumn.year.year);
    const moved = await cli(0)('lc', 'calendar', 'show', '--calendar', autumn.calendar, '--year', year);
    assert.deepEqual(moved.json.calendar.holidays, autumn.year.holidays);
    // The moved Friday, Sunday make-up day and first holiday keep their 2025 weekdays.
    const weekday = (day: number) => new Date(day * 86_400_000).getUTCDay();
    assert.deepEqual(
      [
        weekday(friday),
        weekday(dayOfIso(autumn.year.workdays[0]!)),
        weekday(dayOfIso(autumn.year.holidays[0]!)),
      ],
      [5, 0, 3],
    );
  });

  it('end to end: an MT700 file drafted, approved, issued with escrow, advised; an increase binds on acceptance; a discrepant presentation refused, waived and paid; the MT700 exported as issued', async () => {
    // Monday (the moved 15 September), 09:00 in Shanghai.
    const monday = friday - 11;
    await moveNetworkTo(net, atHour(monday, 9));
    // The carrier issues the bill of lading to the beneficiary; the beneficiary notarizes its invoice.
    const issued = await cli(3)(
      'doc',
      'issue',
      '--type',
      'BillOfLading',
      '--issuer-did',
      lc.carrierDid,
      '--key',
      homePaths(net.homes[3]!).operatorKey,
      '--subject',
      lc.carrierDid,
      '--number',
      'NBPO-000731',
      '--file',
      file('bill.pdf', `%PDF-1.7 bill of lading NBPO-000731 ${Math.random()}`),
      '--holder',
      address.beneficiary!,
      '--out',
      join(dir, 'bill.json'),
    );
    assert.equal(issued.code, EXIT.ok, issued.err);
    billId = issued.json.id;
    const invoice = await stamp(file('invoice-731.pdf', `%PDF-1.7 commercial invoice 731 ${Math.random()}`));

    // The applicant's system wrote the MT700; its maker drafts from it with `pujiang lc draft`.
    const terms = { issueDay: monday, expiryDay: friday + 40, latestShipmentDay: friday + 10 };
    const mt700 = file(
      'lc-draft.txt',
      mt700Text({ ...terms, number: 'PJ-APP-0731', amount: '5000,00', partialShipments: 'NOT ALLOWED' }),
    );
    const drafted = await cli(0)(
      'lc',
      'draft',
      '--mt700',
      mt700,
      '--issuing-bank',
      'org1',
      '--advising-bank',
      'org2',
      '--beneficiary',
      address.beneficiary!,
      '--calendar',
      autumn.calendar,
      '--require',
      'BillOfLading,CommercialInvoice,CertificateOfOrigin',
      '--key',
      net.keyFile.maker!,
    );
    assert.equal(drafted.code, EXIT.ok, drafted.err);
    const id = drafted.json.id as string;
    credit.e2e = id;
    const step = (node: number, keyFile: string, ...args: string[]) =>
      cli(node)('lc', ...args, id, '--key', keyFile);
    // The checker and the approver are other identities of the applicant.
    assert.equal((await step(0, net.keyFile.maker!, 'check')).json.receipt.code, 'LC_SAME_IDENTITY');
    assert.equal((await step(0, net.keyFile.checker!, 'check')).code, EXIT.ok);
    assert.equal((await step(0, net.keyFile.checker!, 'approve')).json.receipt.code, 'LC_SAME_IDENTITY');
    assert.equal((await step(0, net.keyFile.approver!, 'approve')).code, EXIT.ok);
    // Issue: the bank's number, and its escrow of the amount.
    const before = await balance(address.issuer!, 1);
    const number = 'LC-PJ-0731';
    const issue = await step(1, net.keyFile.issuer!, 'issue', '--number', number);
    assert.equal(issue.code, EXIT.ok, issue.err);
    assert.equal(await balance(address.issuer!, 1), before - 500_000n);
    let record = (await getCredit(client(1), id))!;
    assert.deepEqual(
      [record.status, record.number, record.amount, record.escrowed],
      ['issued', number, '500000', '500000'],
    );
    // Only the advising bank advises; then the beneficiary may present.
    assert.equal((await step(1, net.keyFile.issuer!, 'advise')).json.receipt.code, 'LC_WRONG_PARTY');
    assert.equal((await step(2, adviserKeyFile, 'advise')).code, EXIT.ok);

    // An increase to 6,000.00 is escrowed when proposed, but binds only once accepted (Art. 10).
    const amend = await step(1, net.keyFile.issuer!, 'amend', '--amount', '600000');
    assert.equal(amend.code, EXIT.ok, amend.err);
    assert.equal(await balance(address.issuer!, 1), before - 600_000n);
    const records = [`BillOfLading=registered:${billId}`, `CommercialInvoice=notarized:${invoice}`];
    const present = () =>
      step(
        3,
        net.keyFile.beneficiary!,
        'present',
        '--amount',
        '550000',
        ...records.flatMap((r) => ['--record', r]),
      );
    const over = await present();
    assert.equal(over.code, EXIT.invalid);
    assert.equal(over.json.receipt.code, 'LC_OVERDRAWN');
    assert.equal((await step(3, net.keyFile.beneficiary!, 'accept-amendment', '--seq', '1')).code, EXIT.ok);
    assert.equal((await getCredit(client(3), id))!.amount, '600000');

    // Presented without the certificate of origin the credit requires: the module finds it.
    const presented = await present();
    assert.equal(presented.code, EXIT.ok, presented.err);
    let p = await presentation(id, 1, 3);
    assert.deepEqual(foundCodes(p.found), ['DOCUMENT_MISSING']);
    assert.deepEqual([p.status, p.deadlineDate], ['examining', civilDate(monday + 7)]);
    // The bill of lading passed to the issuing bank with the presentation.
    assert.equal((await getDocument(client(3), billId))!.holder, address.issuer);

    // The single notice of refusal lists it; a second notice is refused (Art. 16d).
    const refuse = () => step(1, net.keyFile.issuer!, 'refuse', '--seq', '1', '--discrepancy', p.found[0]!);
    assert.equal((await refuse()).code, EXIT.ok);
    assert.equal((await refuse()).json.receipt.code, 'LC_NOTICE_GIVEN');
    // The applicant waives; the bank honours at sight.
    assert.equal((await step(0, net.keyFile.approver!, 'waive', '--seq', '1')).code, EXIT.ok);
    const paidBefore = await balance(address.beneficiary!, 1);
    assert.equal((await step(1, net.keyFile.issuer!, 'honour', '--seq', '1')).code, EXIT.ok);
    assert.equal((await balance(address.beneficiary!, 1)) - paidBefore, 550_000n);
    p = await presentation(id, 1, 1);
    assert.deepEqual([p.status, p.notice, p.precluded], ['paid', [p.found[0]], false]);
    // Partial drawings are not allowed: the credit closes and the rest of the escrow goes back.
    record = (await getCredit(client(1), id))!;
    assert.deepEqual(
      [record.status, record.closeReason, record.drawn, record.escrowed],
      ['closed', 'singleDrawing', '550000', '0'],
    );
    assert.equal(await balance(address.issuer!, 1), before - 550_000n);

    // The MT700 as issued: the bank's number in 20, the date of issue in 31C; it parses back.
    const exported = join(dir, 'lc-issued.txt');
    assert.equal((await cli(1)('lc', 'export', id, '--out', exported)).code, EXIT.ok);
    const text = readFileSync(exported, 'utf8');
    assert.match(text, new RegExp(`\\r\\n:20:${number}\\r\\n:31C:${yymmdd(monday)}\\r\\n`));
    const [original, again] = await Promise.all([
      cli(1)('lc', 'parse', mt700),
      cli(1)('lc', 'parse', exported),
    ]);
    assert.equal(again.code, EXIT.ok, again.err);
    assert.deepEqual(again.json.terms, {
      ...original.json.terms,
      creditNumber: number,
      issueDate: civilDate(monday),
    });
  });

  it('holiday: presented on the Friday before the National Day break, the deadline is the Friday after it; a refusal that evening stands', async () => {
    // Three more credits, issued before the break (still on the Monday).
    const monday = friday - 11;
    const open = (
      n: number,
      amount: string,
      expiryDay: number,
      required: Parameters<typeof openCredit>[1]['required'],
      more: Partial<Parameters<typeof mt700Text>[0]> = {},
    ) =>
      openCredit(lc, {
        number: `LC-PJ-0${n}`,
        required,
        mt700: mt700Text({
          number: `PJ-APP-0${n}`,
          issueDay: monday,
          expiryDay,
          latestShipmentDay: friday + 10,
          amount,
          partialShipments: 'NOT ALLOWED',
          ...more,
        }),
      });
    credit.tolerance = await open(801, '1000,00', friday + 40, ['CommercialInvoice'], {
      tolerance: '5/5',
      partialShipments: 'ALLOWED',
    });
    credit.precluded = await open(802, '1000,00', friday + 40, ['BillOfLading', 'CommercialInvoice']);
    // This one expires on the break's Wednesday: Art. 29a carries it to the Thursday after.
    credit.expiring = await open(803, '500,00', friday + 5, ['CommercialInvoice'], {
      latestShipmentDay: friday,
    });
    const invoice = await stamp(file('invoice-801.pdf', `%PDF-1.7 commercial invoice 801 ${Math.random()}`));

    // Friday 10:00 in Shanghai (the moved 26 September 2025).
    await moveNetworkTo(net, atHour(friday, 10));
    const present = (
      id: string,
      amount: number,
      documents: Parameters<typeof presentDocuments>[1]['documents'],
    ) => codeOf(presentDocuments(client(3), { key: key.beneficiary!, wait: true, id, amount, documents }));
    // 1,000.00 with 5% more allowed (Art. 30): a cent above is refused, the maximum is not.
    const notarized = [{ kind: 'CommercialInvoice' as const, notarized: invoice }];
    assert.equal(await present(credit.tolerance, 105_001, notarized), 'LC_OVERDRAWN');
    assert.equal(await present(credit.tolerance, 105_000, notarized), 'OK');
    // The bill of lading of the first credit again, and an invoice nobody notarized: both found.
    const unverified = createHash('sha256').update(`invoice 802 ${Math.random()}`).digest('hex');
    const reused = [
      { kind: 'BillOfLading' as const, registered: billId },
      { kind: 'CommercialInvoice' as const, notarized: unverified },
    ];
    assert.equal(await present(credit.precluded, 100_000, reused), 'OK');
    // Sunday (make-up day), Monday, Tuesday; 1 to 8 October closed; Thursday, Friday: day 5 is the Friday after.
    const deadline = civilDate(friday + 14);
    const first = await presentation(credit.tolerance, 1, 3);
    assert.deepEqual([first.deadlineDate, first.found], [deadline, []]);
    const second = await presentation(credit.precluded, 1, 3);
    assert.equal(second.deadlineDate, deadline);
    assert.deepEqual(foundCodes(second.found), ['BL_ALREADY_PRESENTED', 'RECORD_UNVERIFIED']);
    const issuerOnFriday = await balance(address.issuer!, 3);
    // Within the period the bank is not precluded.
    assert.equal(
      await codeOf(
        claimPayment(client(3), { key: key.beneficiary!, wait: true, id: credit.precluded, seq: 1 }),
      ),
      'LC_NOT_PRECLUDED',
    );

    // The last day, 20:00 in Shanghai: the bank's notice is in time.
    await moveNetworkTo(net, atHour(friday + 14, 20));
    const notice = ['47A: the invoice does not show the credit number'];
    assert.equal(
      await codeOf(
        refusePresentation(client(1), {
          key: key.issuer!,
          wait: true,
          id: credit.tolerance,
          seq: 1,
          discrepancies: notice,
        }),
      ),
      'OK',
    );
    const refused = await presentation(credit.tolerance, 1, 1);
    assert.deepEqual(
      [refused.status, refused.notice, shanghaiDay(Number(refused.noticeAt))],
      ['refused', notice, friday + 14],
    );

    // The credit that expired in the break (extended to the Thursday) is closed to presentations.
    assert.equal(await present(credit.expiring, 1_000, notarized), 'LC_EXPIRED');
    const expired = (await getCredit(client(3), credit.expiring))!;
    assert.deepEqual([expired.status, expired.closeReason, expired.escrowed], ['closed', 'expired', '0']);
    // Its escrow went back to the bank when the end-of-block hook closed it.
    assert.equal((await balance(address.issuer!, 3)) - issuerOnFriday, 50_000n);
  });

  it('late notice: past midnight after the fifth banking day the refusal is LC_NOTICE_LATE; the beneficiary claims payment (precluded)', async () => {
    await moveNetworkTo(net, atHour(friday + 15, 1));
    assert.equal(
      await codeOf(
        refusePresentation(client(1), {
          key: key.issuer!,
          wait: true,
          id: credit.precluded,
          seq: 1,
          discrepancies: ['BL_ALREADY_PRESENTED', 'RECORD_UNVERIFIED'],
        }),
      ),
      'LC_NOTICE_LATE',
    );
    const before = await balance(address.beneficiary!, 3);
    assert.equal(
      await codeOf(
        claimPayment(client(3), { key: key.beneficiary!, wait: true, id: credit.precluded, seq: 1 }),
      ),
      'OK',
    );
    assert.equal((await balance(address.beneficiary!, 3)) - before, 100_000n);
    const p = await presentation(credit.precluded, 1, 3);
    assert.deepEqual([p.status, p.precluded, p.notice], ['paid', true, []]);
    const record = (await getCredit(client(3), credit.precluded))!;
    assert.deepEqual([record.status, record.closeReason, record.drawn], ['closed', 'fullyDrawn', '100000']);
  });
});
