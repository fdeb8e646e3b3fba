import { decode, encode } from '@pujiang/codec';
import { type MessageContext, moduleError } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { examinationDeadline, extendedDeadline } from '../calendar.js';
import { dayOf } from '../calendar-days.js';
import {
  BillUse,
  billKey,
  type Credit,
  type Present,
  type PresentationStep,
  type PresentedDocument,
} from '../formats.js';
import {
  amountOf,
  calendarIn,
  creditMax,
  loadCredit,
  loadPresentation,
  positiveAmount,
  saveCredit,
  savePresentation,
} from './common.js';
import { beneficiaryOf } from './funds.js';

/**
 * Presentation (UCP 600 Art. 14, eUCP 2.0): the beneficiary presents electronic records for an
 * amount. Presenting after expiry or above what the credit allows is refused outright; what is
 * wrong with the records themselves is a discrepancy the module finds and records for the
 * examination: a required record missing, a record that cannot be verified on chain, a bill of
 * lading the presenter does not control or that was presented before, a late shipment or a late
 * presentation. A valid electronic bill of lading passes to the issuing bank with the presentation.
 */
interface DocumentFacts {
  readonly type: string;
  readonly status: string;
  readonly holder: string | null;
  readonly time: string;
}

function found(code: string, detail: string): string {
  return `${code}: ${detail}`.slice(0, 200);
}

/** The record's own checks; a bill of lading the presenter controls is handed to the bank. */
function examineRecord(
  ctx: MessageContext,
  idHex: string,
  credit: Credit,
  doc: PresentedDocument,
  shipment: { day?: number },
  seq: number,
): string[] {
  const source = bytesToHex(doc.source.value);
  if (doc.source.type === 'notarized') {
    // A bill of lading is a transferable record: a file of one controls nothing.
    if (doc.kind === 'BillOfLading')
      return [
        found(
          'BL_NOT_ELECTRONIC',
          `bill of lading ${source} is a file, not a registered transferable record`,
        ),
      ];
    const anchored = ctx.call('notary', 'anchored', { digest: source, algorithm: 'sha256' });
    return anchored === null
      ? [found('RECORD_UNVERIFIED', `${doc.kind} file ${source} is not notarized`)]
      : [];
  }
  const facts = ctx.call('docs', 'documentFacts', { id: source }) as DocumentFacts | null;
  if (facts === null) return [found('RECORD_UNVERIFIED', `${doc.kind} ${source} is not registered`)];
  const problems: string[] = [];
  if (facts.type !== doc.kind)
    problems.push(found('RECORD_WRONG_TYPE', `${source} is a ${facts.type}, not a ${doc.kind}`));
  if (facts.status !== 'active')
    problems.push(found('RECORD_NOT_ACTIVE', `${doc.kind} ${source} is ${facts.status}`));
  if (doc.kind !== 'BillOfLading' || facts.type !== 'BillOfLading') return problems;
  // A bill of lading: one drawing per bill, under the control of its presenter. The bank keeps
  // the bill of a refused presentation; presenting again in its place may use it once more.
  const bytes = ctx.get(billKey(source));
  const used = bytes === undefined ? undefined : decode(BillUse, bytes);
  const bank = bytesToHex(credit.issuedBy[0]!);
  const heldForThisCredit =
    used !== undefined &&
    bytesToHex(used.credit) === idHex &&
    loadPresentation(ctx, idHex, used.seq).status === 'lapsed' &&
    facts.holder === bank;
  if (used !== undefined && !heldForThisCredit)
    problems.push(found('BL_ALREADY_PRESENTED', `bill of lading ${source} was presented before`));
  else if (facts.holder !== ctx.sender && !heldForThisCredit)
    problems.push(found('BL_NOT_CONTROLLED', `the presenter does not hold bill of lading ${source}`));
  shipment.day = dayOf(BigInt(facts.time));
  if (problems.length === 0) {
    if (!heldForThisCredit) ctx.call('docs', 'transferHeld', { id: source, to: bank });
    ctx.set(billKey(source), encode(BillUse, { credit: hexToBytes(idHex), seq }));
  }
  return problems;
}

function examineRecords(
  ctx: MessageContext,
  idHex: string,
  credit: Credit,
  documents: readonly PresentedDocument[],
  seq: number,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const shipment: { day?: number } = {};
  for (const doc of documents) {
    const key = `${doc.source.type}/${bytesToHex(doc.source.value)}`;
    if (seen.has(key)) {
      problems.push(
        found('DUPLICATE_RECORD', `${doc.kind} ${bytesToHex(doc.source.value)} is presented twice`),
      );
      continue;
    }
    seen.add(key);
    problems.push(...examineRecord(ctx, idHex, credit, doc, shipment, seq));
  }
  for (const kind of credit.required)
    if (!documents.some((d) => d.kind === kind))
      problems.push(found('DOCUMENT_MISSING', `no ${kind} was presented`));
  if (shipment.day !== undefined) {
    if (credit.latestShipmentDay !== undefined && shipment.day > credit.latestShipmentDay)
      problems.push(
        found(
          'LATE_SHIPMENT',
          `shipped on day ${shipment.day}, after the latest shipment day ${credit.latestShipmentDay}`,
        ),
      );
    if (dayOf(ctx.time) > shipment.day + credit.presentationDays)
      problems.push(
        found('LATE_PRESENTATION', `presented more than ${credit.presentationDays} days after shipment`),
      );
  }
  return problems;
}

export function present(ctx: MessageContext, m: Present): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  // The expiry hook closes an expired credit in the first block after its day: presenting
  // later is still a presentation after expiry.
  if (credit.status === 'closed' && credit.closeReason === 'expired')
    throw moduleError('LC_EXPIRED', `credit ${idHex} expired and was closed`, {
      id: idHex,
      expiryDay: credit.expiryDay,
    });
  if (credit.status === 'closed')
    throw moduleError('LC_CLOSED', `credit ${idHex} is closed (${credit.closeReason})`, { id: idHex });
  if (credit.status !== 'advised')
    throw moduleError(
      'LC_NOT_AVAILABLE',
      `credit ${idHex} is ${credit.status}: it is available once advised`,
      { id: idHex },
    );
  if (ctx.sender !== beneficiaryOf(credit))
    throw moduleError('LC_WRONG_PARTY', 'only the beneficiary presents', { party: 'beneficiary' });
  if (credit.pendingPresentation !== undefined)
    throw moduleError(
      'LC_PRESENTATION_PENDING',
      `presentation ${credit.pendingPresentation} is being examined`,
      {
        id: idHex,
        seq: credit.pendingPresentation,
      },
    );
  // Issue made sure the calendar covers the credit's years; a year the bank failed to keep
  // counts weekends only rather than stopping the beneficiary.
  const calendar = calendarIn(ctx, credit.calendar);
  // Art. 29a: an expiry on a closed day extends to the next banking day.
  const expiry = extendedDeadline(credit.expiryDay, calendar);
  if (dayOf(ctx.time) > expiry.deadlineDay)
    throw moduleError('LC_EXPIRED', `credit ${idHex} expired on day ${expiry.deadlineDay}`, {
      id: idHex,
      expiryDay: expiry.deadlineDay,
    });
  const amount = positiveAmount(m.amount, 'amount');
  const drawn = amountOf(credit.drawn);
  const max = creditMax(credit);
  if (drawn + amount > max)
    throw moduleError(
      'LC_OVERDRAWN',
      `the drawing takes the credit past its ${max} (tolerance included, Art. 30)`,
      {
        max: String(max),
        drawn: String(drawn),
        amount: String(amount),
      },
    );
  if (m.documents.length === 0)
    throw moduleError('LC_BAD_PRESENTATION', 'a presentation has at least one record', { id: idHex });
  // Under UCP the five banking days run from presentation; under eUCP from the notice of completeness.
  const deadline = credit.eucp ? undefined : examinationDeadline(ctx.time, calendar);
  const seq = credit.presentations + 1;
  // Presenting again replaces a refused presentation: it can no longer be waived and honoured.
  const last = credit.presentations > 0 ? loadPresentation(ctx, idHex, credit.presentations) : undefined;
  if (last?.status === 'refused') {
    savePresentation(ctx, idHex, credit.presentations, { ...last, status: 'lapsed' });
    ctx.emit('lapsed', { id: idHex, seq: String(credit.presentations) });
  }
  const problems = examineRecords(ctx, idHex, credit, m.documents, seq);
  savePresentation(ctx, idHex, seq, {
    presenter: hexToBytes(ctx.sender),
    amount: m.amount,
    documents: m.documents,
    time: ctx.time,
    ...(deadline ? { deadline: deadline.deadline, deadlineDay: deadline.deadlineDay } : {}),
    found: problems,
    notice: [],
    status: credit.eucp ? 'presented' : 'examining',
    precluded: false,
    height: ctx.height,
  });
  saveCredit(ctx, idHex, { ...credit, presentations: seq, pendingPresentation: seq });
  ctx.emit('presented', {
    id: idHex,
    seq: String(seq),
    amount: String(amount),
    discrepancies: String(problems.length),
    deadline: deadline ? String(deadline.deadline) : '',
  });
}

/** eUCP 2.0 Art. e7: the notice of completeness starts the examination period. */
export function complete(ctx: MessageContext, m: PresentationStep): void {
  const { idHex, credit } = loadCredit(ctx, m.id);
  if (ctx.sender !== beneficiaryOf(credit))
    throw moduleError('LC_WRONG_PARTY', 'only the beneficiary gives the notice of completeness', {
      party: 'beneficiary',
    });
  const p = loadPresentation(ctx, idHex, m.seq);
  if (p.status !== 'presented')
    throw moduleError('LC_BAD_STATE', `presentation ${m.seq} is ${p.status}`, { id: idHex, seq: m.seq });
  const calendar = calendarIn(ctx, credit.calendar);
  // eUCP Art. e5: a notice of completeness after expiry comes too late (the presentation lapses).
  const expiry = extendedDeadline(credit.expiryDay, calendar);
  if (dayOf(ctx.time) > expiry.deadlineDay)
    throw moduleError('LC_EXPIRED', `credit ${idHex} expired on day ${expiry.deadlineDay}`, {
      id: idHex,
      expiryDay: expiry.deadlineDay,
    });
  const deadline = examinationDeadline(ctx.time, calendar);
  savePresentation(ctx, idHex, m.seq, {
    ...p,
    completedAt: ctx.time,
    deadline: deadline.deadline,
    deadlineDay: deadline.deadlineDay,
    status: 'examining',
  });
  ctx.emit('completed', { id: idHex, seq: String(m.seq), deadline: String(deadline.deadline) });
}
