import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { policyFromJson } from '@pujiang/module-governance';
import { advanceNetworkClock, homePaths, nodeClock } from '@pujiang/node';
import {
  addressOf,
  cancelFinancing,
  confirmReceivable,
  financeReceivable,
  getBalance,
  getCreditLine,
  getReceivable,
  type KeyPair,
  requestFinancing,
  setCreditLine,
  settleReceivable,
  splitReceivable,
  transferReceivable,
  verifiedReceivable,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';
import { codeOf, voteThrough } from './gov-harness.js';
import { until } from './node-harness.js';
import {
  type AskingChain,
  civilDate,
  type ScfNetwork,
  shanghaiDay,
  startAskingChain,
  startOfDay,
  startScfNetwork,
} from './scf-harness.js';

/**
 * Supply-chain finance on four real validator processes, one organization each, with the
 * test clock: org0 is the buyer's, org1 bank A (a maker, a checker and an approver who is an
 * admin; its financing needs all three by its own policy), org2 bank B, org3 the suppliers'.
 * In this 4-organization network the three tiers of suppliers share org3: what the test is
 * about is that they are different holders, which they are (different identities).
 *
 * A receivable of 900,000 is confirmed (with `pujiang scf confirm`), split in three, one part
 * handed two tiers down and financed by bank A, and settled once the clock reaches its due
 * day: each holder is paid what it holds, read at the end with proven state. Financing it
 * twice fails in every way tried, and a bank on another chain, asking through a cross-chain
 * call channel, sees the invoice used and pledged. A second receivable left unpaid turns
 * overdue in an end-of-block hook.
 */
describe('scf: a receivable from confirmation to settlement across a buyer, three tiers and two banks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-scf-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  let net: ScfNetwork;
  /** Another bank's chain (one validator), asking about invoices through the cross-chain module. */
  let other: AskingChain | undefined;
  const address: Record<string, string> = {};
  let key: ScfNetwork['key'];
  /** The day the receivable falls due (the unpaid one falls due a day earlier). */
  let dueDay = 0;
  let invoicePath = '';
  let receivable = '';
  let unpaid = '';
  let parts: string[] = [];

  const cli = (node: number) => cliJson(net.nodes[node]!.api);
  const client = (node: number) => net.clients[node]!;
  /** A balance as `node` sees it (the node a transaction was sent to has committed it). */
  const balance = async (who: string, node = 0) => (await getBalance(client(node), who)).balance;
  /** The maker sends; the checker and the approver endorse (bank A's policy needs all three). */
  const bankAFinance = (id: string, endorsers: KeyPair[]) =>
    codeOf(
      financeReceivable(client(1), {
        key: key.maker!,
        endorsers,
        wait: true,
        id,
        payTo: address.treasury!,
        advance: 240_000,
      }),
    );

  before(async () => {
    net = await startScfNetwork({
      dir,
      // Banks A and B.
      banks: ['org1', 'org2'],
      people: [
        ['buyer', 0],
        ['tier1', 3],
        ['tier2', 3],
        ['tier3', 3],
        ['maker', 1],
        ['checker', 1],
        ['approver', 1, 'admin'],
        ['bankB', 2],
      ],
      // The buyer pays from these funds, the maker advances from them.
      funded: [
        ['buyer', 1_000_000],
        ['maker', 1_000_000],
      ],
    });
    key = net.key;
    Object.assign(address, net.address);
    // Bank A's treasury (its operator, an admin of org1) is where financed parts are paid at maturity.
    address.treasury = addressOf(net.chainHash, net.operator[1]!);
    // A second buyer, under bank B's line: org0's operator.
    address.buyer2 = addressOf(net.chainHash, net.operator[0]!);
  });

  after(async () => {
    await other?.stop();
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bank A sets its maker-checker-approver policy by proposal; it grants the buyer a line; the buyer confirms with pujiang scf confirm', async () => {
    const policy = policyFromJson({
      rule: 'any',
      roles: ['client', 'admin'],
      orgs: ['org1'],
      withinOrg: { identities: 3, roles: ['admin'] },
    });
    assert.equal(typeof policy, 'object', String(policy));
    await voteThrough(net.clients, net.operator, [1, 2], 'bank A: three people approve each financing', {
      type: 'setPolicy',
      value: { resource: 'scf/finance/org1', policy: policy as Exclude<typeof policy, string> },
    });
    const inForce = await cli(0)('gov', 'policy', 'scf/finance/org1');
    assert.equal(inForce.json.result.source, 'scf/finance/org1', inForce.out);

    // Only a bank grants lines: the buyer's own organization is not one.
    const grant = (node: number, who: KeyPair, buyer: string, limit: number) =>
      codeOf(setCreditLine(client(node), { key: who, wait: true, buyer, limit }));
    assert.equal(await grant(0, net.operator[0]!, address.buyer!, 1_000_000), 'SCF_NOT_BANK');
    assert.equal(await grant(1, key.maker!, address.buyer!, 1_000_000), 'OK');

    // The due day: 30 Shanghai days after the chain's latest block.
    const clock = await nodeClock({ api: net.nodes[0]!.api, home: net.homes[0]! });
    dueDay = shanghaiDay(clock.lastBlockTimeMs) + 30;
    invoicePath = file('invoice-2026-0042.pdf', `%PDF-1.7 invoice 2026-0042 ${Math.random()}`);
    const delivery = file('delivery-2026-0042.pdf', `%PDF-1.7 delivery note 2026-0042 ${Math.random()}`);
    const confirmed = await cli(0)(
      'scf',
      'confirm',
      '--supplier',
      address.tier1!,
      '--amount',
      '900000',
      '--due',
      civilDate(dueDay),
      '--invoice',
      invoicePath,
      '--delivery',
      delivery,
      '--reference',
      'PO-2026-0042',
      '--key',
      net.keyFile.buyer!,
      '--supplier-key',
      net.keyFile.tier1!,
    );
    assert.equal(confirmed.code, EXIT.ok, confirmed.err);
    assert.equal(confirmed.json.receipt.code, 'OK');
    receivable = confirmed.json.id;
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(confirmed.json.invoiceDigest, sha(invoicePath));
    const record = await getReceivable(client(0), receivable);
    assert.deepEqual(
      [record?.debtor, record?.creditor, record?.amount, record?.dueDate, record?.status, record?.lineOrg],
      [address.buyer, address.tier1, '900000', civilDate(dueDay), 'open', 'org1'],
    );
    assert.deepEqual(record?.deliveryDigests, [sha(delivery)]);
    // The invoice is notarized: `pujiang notary` finds its anchor under the receivable's reference.
    const anchor = await cli(0)('notary', 'show', record!.anchorRoot);
    assert.equal(anchor.code, EXIT.ok, anchor.err);
    assert.deepEqual([anchor.json.anchor.docType, anchor.json.anchor.ref], ['invoice', `scf:${receivable}`]);

    // A second receivable, due the day before, that the buyer will leave unpaid.
    const second = await confirmReceivable(client(0), {
      key: key.buyer!,
      endorsers: [key.tier1!],
      wait: true,
      supplier: address.tier1!,
      amount: 50_000,
      dueDate: civilDate(dueDay - 1),
      invoiceDigest: createHash('sha256').update(`invoice 2026-0043 ${Math.random()}`).digest('hex'),
      reference: 'PO-2026-0043',
      chainHash: net.chainHash,
    });
    assert.equal(second.result.receipt?.code, 'OK');
    unpaid = second.id;
    // The line is 1,000,000: 950,000 is outstanding, so 60,000 more is refused.
    const over = confirmReceivable(client(0), {
      key: key.buyer!,
      endorsers: [key.tier1!],
      wait: true,
      supplier: address.tier1!,
      amount: 60_000,
      dueDate: civilDate(dueDay),
      invoiceDigest: createHash('sha256').update(`invoice 2026-0044 ${Math.random()}`).digest('hex'),
      reference: 'PO-2026-0044',
      chainHash: net.chainHash,
    });
    assert.equal(await codeOf(over), 'SCF_CREDIT_LIMIT');
  });

  it('tier 1 splits it in three and hands a part two tiers down; tier 3 has it financed by bank A with three approvals', async () => {
    const split = await splitReceivable(client(3), {
      key: key.tier1!,
      wait: true,
      id: receivable,
      amounts: [300_000, 350_000, 250_000],
      chainHash: net.chainHash,
    });
    assert.equal(split.result.receipt?.code, 'OK');
    parts = split.parts;
    const down = (holder: string, to: string) =>
      codeOf(transferReceivable(client(3), { key: key[holder]!, wait: true, id: parts[2]!, to }));
    assert.equal(await down('tier1', address.tier2!), 'OK');
    assert.equal(await down('tier2', address.tier3!), 'OK');
    // Tier 2 passed it on: it holds nothing to move any more.
    assert.equal(await down('tier2', address.tier1!), 'SCF_NOT_HOLDER');

    const ask = (org: string) =>
      codeOf(
        requestFinancing(client(3), { key: key.tier3!, wait: true, id: parts[2]!, org, advance: 240_000 }),
      );
    assert.equal(await ask('org3'), 'SCF_NOT_BANK');
    assert.equal(await ask('org1'), 'OK');
    // The maker alone does not meet bank A's policy, nor maker and checker without the admin approver.
    assert.equal(await bankAFinance(parts[2]!, []), 'SCF_APPROVAL_POLICY');
    assert.equal(await bankAFinance(parts[2]!, [key.checker!]), 'SCF_APPROVAL_POLICY');
    // Bank B was not asked.
    assert.equal(
      await codeOf(
        financeReceivable(client(2), {
          key: key.bankB!,
          wait: true,
          id: parts[2]!,
          payTo: address.bankB!,
          advance: 240_000,
        }),
      ),
      'SCF_NOT_REQUESTED_BANK',
    );
    assert.equal(await bankAFinance(parts[2]!, [key.checker!, key.approver!]), 'OK');
    assert.equal(await balance(address.tier3!, 1), 240_000n);
    assert.equal(await balance(address.maker!, 1), 760_000n);
    const part = (await getReceivable(client(1), receivable))!.parts[2]!;
    assert.deepEqual(
      [part.holder, part.state, part.pledge?.org, part.pledge?.payTo, part.pledge?.advance],
      [address.tier3, 'pledged', 'org1', address.treasury, '240000'],
    );
  });

  it('double financing fails: the invoice again under bank B, the pledged part at bank B, and at bank A again', async () => {
    // Bank B grants another buyer (org0's operator) a line; the same invoice is refused all the same.
    assert.equal(
      await codeOf(
        setCreditLine(client(2), { key: key.bankB!, wait: true, buyer: address.buyer2!, limit: 5_000_000 }),
      ),
      'OK',
    );
    const again = await cli(0)(
      'scf',
      'confirm',
      '--supplier',
      address.tier2!,
      '--amount',
      '700000',
      '--due',
      civilDate(dueDay),
      '--invoice',
      invoicePath,
      '--reference',
      'PO-OTHER-1',
      '--key',
      homePaths(net.homes[0]!).operatorKey,
      '--supplier-key',
      net.keyFile.tier2!,
    );
    assert.equal(again.code, EXIT.invalid);
    assert.equal(again.json.receipt.code, 'SCF_INVOICE_USED');
    // The pledged part can be neither offered to bank B, nor financed by bank A again, nor moved.
    assert.equal(
      await codeOf(
        requestFinancing(client(3), {
          key: key.tier3!,
          wait: true,
          id: parts[2]!,
          org: 'org2',
          advance: 200_000,
        }),
      ),
      'SCF_PLEDGED',
    );
    assert.equal(await bankAFinance(parts[2]!, [key.checker!, key.approver!]), 'SCF_PLEDGED');
    assert.equal(
      await codeOf(
        transferReceivable(client(3), { key: key.tier3!, wait: true, id: parts[2]!, to: address.tier1! }),
      ),
      'SCF_PLEDGED',
    );
    // A request withdrawn leaves nothing to finance: tier 1's part, asked of bank B and cancelled.
    const request = (org: string) =>
      codeOf(
        requestFinancing(client(3), { key: key.tier1!, wait: true, id: parts[0]!, org, advance: 1_000 }),
      );
    assert.equal(await request('org2'), 'OK');
    assert.equal(
      await codeOf(cancelFinancing(client(3), { key: key.tier1!, wait: true, id: parts[0]! })),
      'OK',
    );
    assert.equal(
      await codeOf(
        financeReceivable(client(2), {
          key: key.bankB!,
          wait: true,
          id: parts[0]!,
          payTo: address.bankB!,
          advance: 1_000,
        }),
      ),
      'SCF_NO_REQUEST',
    );
  });

  it("a bank on another chain asks the invoice registry through a call channel (scf's remote invoiceStatus)", async () => {
    other = await startAskingChain(client(0), net.operator[0]!);
    const digest = createHash('sha256').update(readFileSync(invoicePath)).digest('hex');
    const [used, free] = await other.invoiceStatus([digest, 'ab'.repeat(32)]);
    // The invoice backs the receivable, part of which bank A holds in pledge: the other bank declines.
    assert.deepEqual(used, {
      digest,
      receivable,
      status: 'open',
      amount: '900000',
      paid: '0',
      pledgedTo: ['org1'],
    });
    assert.deepEqual(free, { digest: 'ab'.repeat(32), receivable: null });
  });

  it('settled on its due day: refused before, then every holder is paid what it holds (proven); the unpaid one turns overdue in a hook', async () => {
    const settle = () => codeOf(settleReceivable(client(0), { key: key.buyer!, wait: true, id: receivable }));
    assert.equal(await settle(), 'SCF_NOT_DUE');
    const payToBefore = await balance(address.treasury!);
    const buyerBefore = await balance(address.buyer!);
    // Every node's clock to one hour into the due day (Shanghai), then wait for a block that late.
    const clockNodes = net.nodes.map((n, i) => ({ api: n.api, home: net.homes[i]! }));
    const now = await nodeClock(clockNodes[0]!);
    const from = now.height;
    await advanceNetworkClock(clockNodes, startOfDay(dueDay) + 3_600_000 - now.nowMs);
    await until(async () => {
      const c = await nodeClock(clockNodes[0]!);
      return c.lastBlockTimeMs >= startOfDay(dueDay) ? true : undefined;
    });
    assert.equal(await settle(), 'OK');
    assert.equal(await settle(), 'SCF_SETTLED');

    // Tier 1 holds two parts (650,000), tier 2 passed its part on, tier 3 was paid its advance
    // by bank A, and the pledged part's 250,000 went to bank A's treasury.
    assert.equal(await balance(address.tier1!), 650_000n);
    assert.equal(await balance(address.tier2!), 0n);
    assert.equal(await balance(address.tier3!), 240_000n);
    assert.equal((await balance(address.treasury!)) - payToBefore, 250_000n);
    assert.equal(buyerBefore - (await balance(address.buyer!)), 900_000n);
    // The payment freed the buyer's line: only the unpaid receivable is outstanding.
    assert.equal((await getCreditLine(client(0), { buyer: address.buyer! }))?.outstanding, '50000');

    // Read as a client that trusts no node: the state proven under a certified header.
    const proven = await until(async () => {
      const r = await verifiedReceivable(net.light, receivable);
      return r?.status === 'settled' ? r : undefined;
    });
    assert.equal(proven.paid, '900000');
    assert.deepEqual(
      proven.parts.map((p) => [p.id, p.holder, p.amount, p.paid, p.state, p.pledge?.payTo ?? null]),
      [
        [parts[0], address.tier1, '300000', '300000', 'settled', null],
        [parts[1], address.tier1, '350000', '350000', 'settled', null],
        [parts[2], address.tier3, '250000', '250000', 'settled', address.treasury],
      ],
    );

    // The second receivable's due day has passed unpaid: the end-of-block hook marks it overdue.
    const overdue = await until(async () => {
      const r = await getReceivable(client(0), unpaid);
      return r?.status === 'overdue' ? r : undefined;
    });
    assert.equal(overdue.paid, '0');
    const to = (await client(0).getStatus()).height;
    let event: { height: number; attributes: Readonly<Record<string, string>> } | undefined;
    for (let h = from + 1; h <= to && !event; h++) {
      const { hooks } = await client(0).getHookReceipts(h);
      const found = hooks
        .flatMap((hook) => hook.receipt.events)
        .find((e) => e.module === 'scf' && e.type === 'overdue' && e.attributes.id === unpaid);
      if (found) event = { height: h, attributes: found.attributes };
    }
    assert.ok(event, `no overdue event in the hook receipts of heights ${from + 1}..${to}`);
    assert.deepEqual(
      [event.attributes.debtor, event.attributes.dueDay, event.attributes.unpaid],
      [address.buyer, String(dueDay - 1), '50000'],
    );
    // Overdue is no longer financeable.
    assert.equal(
      await codeOf(
        requestFinancing(client(3), {
          key: key.tier1!,
          wait: true,
          id: unpaid,
          org: 'org1',
          advance: 10_000,
        }),
      ),
      'SCF_NOT_FINANCEABLE',
    );
  });
});
