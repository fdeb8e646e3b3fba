import { decode, encode } from '@pujiang/codec';
import { checkOrgIds } from '@pujiang/module-governance';
import {
  defineExport,
  defineHook,
  defineMessage,
  defineModule,
  defineQuery,
  moduleError,
  Type,
} from '@pujiang/module-kit';
import {
  BANKS_PARAM,
  Banks,
  banksKey,
  CancelFinancing,
  ConfirmReceivable,
  FinanceReceivable,
  ReleasePledge,
  RequestFinancing,
  SCF_LIMITS,
  SCF_MODULE,
  SetCreditLine,
  SettleReceivable,
  SplitReceivable,
  TransferReceivable,
} from '../formats.js';
import { banksAnswer, creditLineAnswer, invoiceAnswer, partAnswer, receivableAnswer } from '../records.js';
import { BanksQuery, CreditLineQuery, InvoiceQuery, PartQuery, ReceivableQuery } from '../schemas.js';
import { confirm, setCreditLine } from './confirm.js';
import { SCF_ERRORS } from './errors.js';
import { cancelFinancing, finance, release, requestFinancing } from './financing.js';
import { split, transfer } from './holding.js';
import { markOverdue, OVERDUE_HOOK_GAS, settle } from './settlement.js';

/** The `banks` parameter and genesis list: distinct organization ids. */
const checkBanks = (list: unknown): string[] => checkOrgIds(list, SCF_LIMITS.banks, 'SCF_BAD_BANKS');

/**
 * Supply-chain finance (docs/supply-chain-finance.md): receivables a buyer confirms within a
 * bank's credit line, backed by notarized invoice and delivery digests; split, transferred
 * and financed by their holders; settled pro rata on their due date; marked overdue by an
 * `endBlock` hook. An invoice digest backs one receivable across the chain, and other chains
 * ask about it through the cross-chain module (`invoiceStatus`, a remote export).
 */
export const scf = defineModule({
  name: SCF_MODULE,
  summary: 'Supply-chain finance: receivables confirmed, split, transferred, financed and settled',
  errors: SCF_ERRORS,
  events: {
    creditLine: ['buyer', 'denom', 'limit', 'org'],
    confirmed: ['id', 'debtor', 'creditor', 'denom', 'amount', 'dueDay', 'invoice'],
    split: ['id', 'receivable', 'parts', 'amounts'],
    transferred: ['id', 'receivable', 'from', 'to'],
    financingRequested: ['id', 'org', 'advance', 'holder'],
    financingCancelled: ['id', 'org'],
    financed: ['id', 'receivable', 'org', 'holder', 'advance', 'payTo'],
    released: ['id', 'org'],
    paid: ['id', 'receivable', 'to', 'amount'],
    settled: ['id', 'amount', 'unpaid', 'final'],
    overdue: ['id', 'debtor', 'dueDay', 'unpaid'],
    overdueFailed: ['queue', 'seq', 'code'],
  },
  imports: {
    bank: ['transfer'],
    governance: ['identityOf', 'policyVerdict'],
    notary: ['anchorFor'],
  },
  messages: {
    setCreditLine: defineMessage(SetCreditLine, setCreditLine),
    confirm: defineMessage(ConfirmReceivable, confirm),
    split: defineMessage(SplitReceivable, split),
    transfer: defineMessage(TransferReceivable, transfer),
    requestFinancing: defineMessage(RequestFinancing, requestFinancing),
    cancelFinancing: defineMessage(CancelFinancing, cancelFinancing),
    finance: defineMessage(FinanceReceivable, finance),
    release: defineMessage(ReleasePledge, release),
    settle: defineMessage(SettleReceivable, settle),
  },
  queries: {
    receivable: defineQuery({
      ...ReceivableQuery,
      run: (read, { id }) => ({ receivable: receivableAnswer(read, id) }),
    }),
    part: defineQuery({ ...PartQuery, run: (read, { id }) => ({ part: partAnswer(read, id) }) }),
    invoice: defineQuery({
      ...InvoiceQuery,
      run: (read, { digest }) => ({ receivable: invoiceAnswer(read, digest) }),
    }),
    creditLine: defineQuery({
      ...CreditLineQuery,
      run: (read, { buyer, denom }) => ({ line: creditLineAnswer(read, buyer, denom) }),
    }),
    banks: defineQuery({ ...BanksQuery, run: (read) => ({ banks: banksAnswer(read) }) }),
  },
  exports: {
    invoiceStatus: defineExport(
      'Whether an invoice digest backs a receivable here, its status, and whether any part of it is financed (other chains ask through the cross-chain module)',
      Type.Object({
        caller: Type.Object({ chainId: Type.String(), channel: Type.String(), sender: Type.String() }),
        args: Type.Object({ digest: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
      }),
      (ctx, { args }) => {
        const r = invoiceAnswer((k) => ctx.get(k), args.digest);
        if (!r) return { digest: args.digest, receivable: null };
        const pledgedTo = [...new Set(r.parts.flatMap((p) => (p.pledge ? [p.pledge.org] : [])))];
        return {
          digest: args.digest,
          receivable: r.id,
          status: r.status,
          amount: r.amount,
          paid: r.paid,
          pledgedTo,
        };
      },
      { remote: true },
    ),
  },
  endBlock: defineHook(OVERDUE_HOOK_GAS, markOverdue),
  params: {
    [BANKS_PARAM]: (value) => {
      let list: unknown;
      try {
        list = decode(Banks, value);
      } catch {
        throw moduleError('SCF_BAD_BANKS', 'banks must be an encoded list of organization ids');
      }
      checkBanks(list);
    },
  },
  validateGenesis(config) {
    const g = (config ?? {}) as Record<string, unknown>;
    if (g.banks !== undefined) {
      try {
        checkBanks(g.banks);
      } catch (error) {
        throw moduleError('GENESIS_INVALID', `genesis: modules.scf.banks: ${(error as Error).message}`);
      }
    }
  },
  genesis(write, config) {
    const g = (config ?? {}) as { banks?: string[] };
    if (g.banks?.length) write(banksKey, encode(Banks, g.banks));
  },
});
