import { decode, encode } from '@pujiang/codec';
import { checkOrgIds } from '@pujiang/module-governance';
import { defineHook, defineMessage, defineModule, defineQuery, moduleError } from '@pujiang/module-kit';
import { utf8ToBytes } from '@pujiang/types';
import { CalendarYearCodec, calendarYearFromJson, checkCalendarId } from '../calendar.js';
import {
  AmendCredit,
  AmendmentStep,
  BANKS_PARAM,
  Banks,
  banksKey,
  CreditStep,
  calendarKey,
  calendarOwnerKey,
  DraftCredit,
  IssueCredit,
  LC_LIMITS,
  LC_MODULE,
  Present,
  PresentationStep,
  Refuse,
  SetCalendar,
} from '../formats.js';
import {
  amendmentAnswer,
  calendarAnswer,
  creditAnswer,
  creditByNumberAnswer,
  lcBanksAnswer,
  presentationAnswer,
} from '../records.js';
import {
  AmendmentQuery,
  CalendarQuery,
  CreditByNumberQuery,
  CreditQuery,
  LcBanksQuery,
  PresentationQuery,
} from '../schemas.js';
import { acceptAmendment, amend, rejectAmendment, withdrawAmendment } from './amend.js';
import { setCalendar } from './calendar-state.js';
import { close, closeExpired, EXPIRY_HOOK_GAS } from './closing.js';
import { advise, approve, check, draft, issue } from './draft.js';
import { LC_ERRORS } from './errors.js';
import { claim, honour, refuse, settle, waive } from './examine.js';
import { complete, present } from './present.js';

/** The `banks` parameter and genesis list: distinct organization ids. */
const checkBanks = (list: unknown): string[] => checkOrgIds(list, LC_LIMITS.banks, 'LC_BAD_BANKS');

interface LcGenesis {
  banks?: string[];
  /** Calendar id -> its years in JSON form (`{"year": 2026, "holidays": ["2026-10-01"], "workdays": [...]}`). */
  calendars?: Record<string, unknown[]>;
  /** Calendar id -> the bank organization that keeps it (else the first bank admin to set it). */
  calendarOwners?: Record<string, string>;
}

/**
 * Documentary letters of credit (docs/letters-of-credit.md) under UCP 600 and eUCP 2.0: drafts
 * approved maker-checker-approver, MT700 terms, issue with escrow, advice, amendments bound by
 * the beneficiary's acceptance, electronic presentations examined within five banking days on
 * calendars kept in state, single notices of refusal, waivers, preclusion, payment at sight or
 * at maturity through the bank module, and closing on expiry or when fully drawn.
 */
export const lc = defineModule({
  name: LC_MODULE,
  summary: 'Documentary letters of credit under UCP 600 and eUCP 2.0, with electronic presentations',
  errors: LC_ERRORS,
  events: {
    calendarSet: ['calendar', 'year', 'holidays', 'workdays', 'by'],
    drafted: ['id', 'applicantOrg', 'issuingOrg', 'beneficiary', 'maker'],
    checked: ['id', 'by'],
    approved: ['id', 'by'],
    issued: ['id', 'number', 'org', 'escrowed'],
    advised: ['id', 'org', 'beneficiary'],
    amendmentProposed: ['id', 'seq', 'increase'],
    amendmentAccepted: ['id', 'seq', 'max'],
    amendmentRejected: ['id', 'seq'],
    amendmentLapsed: ['id', 'seq'],
    presented: ['id', 'seq', 'amount', 'discrepancies', 'deadline'],
    completed: ['id', 'seq', 'deadline'],
    honoured: ['id', 'seq', 'amount', 'paid', 'maturityDay', 'precluded'],
    refused: ['id', 'seq', 'discrepancies'],
    waived: ['id', 'seq', 'by'],
    paid: ['id', 'seq', 'amount'],
    closed: ['id', 'reason', 'drawn'],
    lapsed: ['id', 'seq'],
    amendmentWithdrawn: ['id', 'seq'],
    expiryFailed: ['queue', 'seq', 'code'],
  },
  imports: {
    bank: ['escrow', 'release', 'refund'],
    governance: ['identityOf', 'policyVerdict'],
    notary: ['anchored'],
    docs: ['documentFacts', 'transferHeld'],
  },
  messages: {
    setCalendar: defineMessage(SetCalendar, setCalendar),
    draft: defineMessage(DraftCredit, draft),
    check: defineMessage(CreditStep, check),
    approve: defineMessage(CreditStep, approve),
    issue: defineMessage(IssueCredit, issue),
    advise: defineMessage(CreditStep, advise),
    amend: defineMessage(AmendCredit, amend),
    acceptAmendment: defineMessage(AmendmentStep, acceptAmendment),
    rejectAmendment: defineMessage(AmendmentStep, rejectAmendment),
    present: defineMessage(Present, present),
    complete: defineMessage(PresentationStep, complete),
    honour: defineMessage(PresentationStep, honour),
    refuse: defineMessage(Refuse, refuse),
    waive: defineMessage(PresentationStep, waive),
    claim: defineMessage(PresentationStep, claim),
    settle: defineMessage(PresentationStep, settle),
    close: defineMessage(CreditStep, close),
    withdrawAmendment: defineMessage(CreditStep, withdrawAmendment),
  },
  queries: {
    credit: defineQuery({ ...CreditQuery, run: (read, { id }) => ({ credit: creditAnswer(read, id) }) }),
    byNumber: defineQuery({
      ...CreditByNumberQuery,
      run: (read, { org, number }) => ({ credit: creditByNumberAnswer(read, org, number) }),
    }),
    presentation: defineQuery({
      ...PresentationQuery,
      run: (read, { id, seq }) => ({ presentation: presentationAnswer(read, id, seq) }),
    }),
    amendment: defineQuery({
      ...AmendmentQuery,
      run: (read, { id, seq }) => ({ amendment: amendmentAnswer(read, id, seq) }),
    }),
    calendar: defineQuery({
      ...CalendarQuery,
      run: (read, { calendar, year }) => ({ calendar: calendarAnswer(read, calendar, year) }),
    }),
    banks: defineQuery({ ...LcBanksQuery, run: (read) => ({ banks: lcBanksAnswer(read) }) }),
  },
  endBlock: defineHook(EXPIRY_HOOK_GAS, closeExpired),
  params: {
    [BANKS_PARAM]: (value) => {
      let list: unknown;
      try {
        list = decode(Banks, value);
      } catch {
        throw moduleError('LC_BAD_BANKS', 'banks must be an encoded list of organization ids');
      }
      checkBanks(list);
    },
  },
  validateGenesis(config) {
    const g = (config ?? {}) as LcGenesis;
    try {
      if (g.banks !== undefined) checkBanks(g.banks);
      for (const [id, years] of Object.entries(g.calendars ?? {})) {
        checkCalendarId(id);
        if (!Array.isArray(years)) throw moduleError('LC_BAD_CALENDAR', `calendar ${id} is a list of years`);
        for (const year of years) calendarYearFromJson(year);
      }
      for (const [id, org] of Object.entries(g.calendarOwners ?? {})) {
        checkCalendarId(id);
        if (typeof org !== 'string' || !(g.banks ?? []).includes(org))
          throw moduleError('LC_BAD_CALENDAR', `calendar ${id}'s owner must be one of the banks`);
      }
    } catch (error) {
      throw moduleError('GENESIS_INVALID', `genesis: modules.lc: ${(error as Error).message}`);
    }
  },
  genesis(write, config) {
    const g = (config ?? {}) as LcGenesis;
    if (g.banks?.length) write(banksKey, encode(Banks, g.banks));
    for (const [id, years] of Object.entries(g.calendars ?? {}))
      for (const json of years) {
        const year = calendarYearFromJson(json);
        write(calendarKey(id, year.year), encode(CalendarYearCodec, year));
      }
    for (const [id, org] of Object.entries(g.calendarOwners ?? {}))
      write(calendarOwnerKey(id), utf8ToBytes(org));
  },
});
