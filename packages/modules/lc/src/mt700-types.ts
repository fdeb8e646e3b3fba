/**
 * SWIFT MT700 (Issue of a Documentary Credit), as SWIFT Standards MT defines it since the
 * November 2018 release: the fields in their order, their options and codes, and the typed
 * terms the lc module keeps. A credit whose text continues in MT701 messages is not
 * supported: field 27 must be 1/1.
 */

/** 40A: the credit is irrevocable (UCP 600 Art. 3); transferable per Art. 38. */
export const MT700_FORMS = ['IRREVOCABLE', 'IRREVOCABLE TRANSFERABLE'] as const;
export type Mt700Form = (typeof MT700_FORMS)[number];

/** 40E: the rules the credit is subject to; a narrative is allowed with OTHR only. */
export const MT700_RULES = [
  'UCP LATEST VERSION',
  'EUCP LATEST VERSION',
  'UCPURR LATEST VERSION',
  'EUCPURR LATEST VERSION',
  'OTHR',
] as const;
export type Mt700Rules = (typeof MT700_RULES)[number];

/** 41a: how the credit is available (`BY PAYMENT` is payment at sight). */
export const MT700_AVAILABLE_BY = [
  'BY PAYMENT',
  'BY ACCEPTANCE',
  'BY NEGOTIATION',
  'BY DEF PAYMENT',
  'BY MIXED PYMT',
] as const;
export type Mt700AvailableBy = (typeof MT700_AVAILABLE_BY)[number];

/** 43P and 43T. */
export const MT700_SHIPMENT_CODES = ['ALLOWED', 'CONDITIONAL', 'NOT ALLOWED'] as const;
export type Mt700ShipmentCode = (typeof MT700_SHIPMENT_CODES)[number];

/** 49: whether the receiver is requested to add its confirmation. */
export const MT700_CONFIRMATION = ['CONFIRM', 'MAY ADD', 'WITHOUT'] as const;
export type Mt700Confirmation = (typeof MT700_CONFIRMATION)[number];

/**
 * A bank in a party field. Option A: its BIC; B: a location; D: name and address. Each may
 * carry a party identifier line (`/D/123456`, `/123456`), kept as written.
 */
export type Mt700Party =
  | { option: 'A'; partyIdentifier?: string; bic: string }
  | { option: 'B'; partyIdentifier?: string; location?: string }
  | { option: 'D'; partyIdentifier?: string; nameAddress: string[] };

/** 41a: the bank the credit is available with (A: BIC, D: name and address, e.g. ANY BANK IN ...). */
export type Mt700AvailableWith =
  | { option: 'A'; bic: string; by: Mt700AvailableBy }
  | { option: 'D'; nameAddress: string[]; by: Mt700AvailableBy };

/**
 * The terms of an MT700. Dates are `YYYY-MM-DD` (the message's `YYMMDD` read as 20YY);
 * narrative fields are their lines; the amount is in the currency's minor units.
 */
export interface Mt700Terms {
  /** 40A */
  form: Mt700Form;
  /** 20 */
  creditNumber: string;
  /** 23 */
  preAdviceReference?: string;
  /** 31C */
  issueDate: string;
  /** 40E */
  rules: Mt700Rules;
  /** 40E narrative (OTHR only) */
  rulesNarrative?: string;
  /** 31D */
  expiryDate: string;
  /** 31D */
  expiryPlace: string;
  /** 51a */
  applicantBank?: Mt700Party;
  /** 50 */
  applicant: string[];
  /** 59 */
  beneficiaryAccount?: string;
  /** 59 */
  beneficiary: string[];
  /** 32B: ISO 4217 code */
  currency: string;
  /** 32B: minor units of the currency (cents for USD, yen for JPY) */
  amount: bigint;
  /** 39A: percentage tolerance plus and minus (UCP 600 Art. 30) */
  tolerance?: { plus: number; minus: number };
  /** 39C */
  additionalAmounts?: string[];
  /** 41a */
  availableWith: Mt700AvailableWith;
  /** 42C */
  draftsAt?: string[];
  /** 42a */
  drawee?: Mt700Party;
  /** 42M */
  mixedPaymentDetails?: string[];
  /** 42P */
  negotiationDeferredPaymentDetails?: string[];
  /** 43P */
  partialShipments?: Mt700ShipmentCode;
  /** 43T */
  transhipment?: Mt700ShipmentCode;
  /** 44A: place of taking in charge / dispatch from / place of receipt */
  placeOfReceipt?: string;
  /** 44E */
  portOfLoading?: string;
  /** 44F */
  portOfDischarge?: string;
  /** 44B: place of final destination / for transportation to / place of delivery */
  placeOfDelivery?: string;
  /** 44C */
  latestShipmentDate?: string;
  /** 44D */
  shipmentPeriod?: string[];
  /** 45A */
  goods?: string[];
  /** 46A (`documentItems` groups the lines into items) */
  documentsRequired?: string[];
  /** 47A */
  additionalConditions?: string[];
  /** 49G */
  specialPaymentConditionsBeneficiary?: string[];
  /** 49H */
  specialPaymentConditionsReceivingBank?: string[];
  /** 71D */
  charges?: string[];
  /** 48: days after shipment for presentation (UCP 600 Art. 14c) */
  presentationPeriodDays?: number;
  /** 48 narrative, e.g. FROM THE DATE OF SHIPMENT */
  presentationPeriodNarrative?: string;
  /** 49 */
  confirmation: Mt700Confirmation;
  /** 58a */
  requestedConfirmationParty?: Mt700Party;
  /** 53a */
  reimbursingBank?: Mt700Party;
  /** 78 */
  instructionsToBank?: string[];
  /** 57a */
  adviseThroughBank?: Mt700Party;
  /** 72Z */
  senderToReceiverInformation?: string[];
}

/** Basic header (block 1): application F/A/L, service 01, logical terminal, session and sequence. */
export interface Mt700BasicHeader {
  applicationId: 'F' | 'A' | 'L';
  serviceId: string;
  /** 12 characters: BIC8, terminal code, branch (`BANKBEBBAXXX`). */
  logicalTerminal: string;
  session: string;
  sequence: string;
}

/** Application header (block 2), as the sender inputs it. */
export interface Mt700InputHeader {
  direction: 'input';
  /** 12 characters: BIC8, terminal code, branch. */
  receiver: string;
  priority?: 'S' | 'N' | 'U';
  deliveryMonitoring?: '1' | '2' | '3';
  obsolescencePeriod?: string;
}

/** Application header (block 2), as the receiver gets it (with the message input reference). */
export interface Mt700OutputHeader {
  direction: 'output';
  /** HHMM */
  inputTime: string;
  /** YYMMDD */
  inputDate: string;
  senderLogicalTerminal: string;
  senderSession: string;
  senderSequence: string;
  /** YYMMDD */
  outputDate: string;
  /** HHMM */
  outputTime: string;
  priority?: 'S' | 'N' | 'U';
}

/** `{108:MUR}` in block 3 or `{CHK:...}` in block 5, in message order. */
export interface Mt700HeaderTag {
  tag: string;
  value: string;
}

export interface Mt700Headers {
  basic: Mt700BasicHeader;
  application: Mt700InputHeader | Mt700OutputHeader;
  user?: Mt700HeaderTag[];
  trailer?: Mt700HeaderTag[];
}

export interface Mt700Message {
  headers: Mt700Headers;
  terms: Mt700Terms;
}

/** One field of the message, in standard order: its tag (`51a` for a choice of options). */
export interface Mt700FieldSpec {
  tag: string;
  name: string;
  mandatory: boolean;
  /** Option letters for a `NNa` tag. */
  options?: readonly string[];
}

export const MT700_FIELDS: readonly Mt700FieldSpec[] = [
  { tag: '27', name: 'Sequence of Total', mandatory: true },
  { tag: '40A', name: 'Form of Documentary Credit', mandatory: true },
  { tag: '20', name: 'Documentary Credit Number', mandatory: true },
  { tag: '23', name: 'Reference to Pre-Advice', mandatory: false },
  { tag: '31C', name: 'Date of Issue', mandatory: true },
  { tag: '40E', name: 'Applicable Rules', mandatory: true },
  { tag: '31D', name: 'Date and Place of Expiry', mandatory: true },
  { tag: '51a', name: 'Applicant Bank', mandatory: false, options: ['A', 'D'] },
  { tag: '50', name: 'Applicant', mandatory: true },
  { tag: '59', name: 'Beneficiary', mandatory: true },
  { tag: '32B', name: 'Currency Code, Amount', mandatory: true },
  { tag: '39A', name: 'Percentage Credit Amount Tolerance', mandatory: false },
  { tag: '39C', name: 'Additional Amounts Covered', mandatory: false },
  { tag: '41a', name: 'Available With ... By ...', mandatory: true, options: ['A', 'D'] },
  { tag: '42C', name: 'Drafts at ...', mandatory: false },
  { tag: '42a', name: 'Drawee', mandatory: false, options: ['A', 'D'] },
  { tag: '42M', name: 'Mixed Payment Details', mandatory: false },
  { tag: '42P', name: 'Negotiation/Deferred Payment Details', mandatory: false },
  { tag: '43P', name: 'Partial Shipments', mandatory: false },
  { tag: '43T', name: 'Transhipment', mandatory: false },
  { tag: '44A', name: 'Place of Taking in Charge/Dispatch from .../Place of Receipt', mandatory: false },
  { tag: '44E', name: 'Port of Loading/Airport of Departure', mandatory: false },
  { tag: '44F', name: 'Port of Discharge/Airport of Destination', mandatory: false },
  {
    tag: '44B',
    name: 'Place of Final Destination/For Transportation to .../Place of Delivery',
    mandatory: false,
  },
  { tag: '44C', name: 'Latest Date of Shipment', mandatory: false },
  { tag: '44D', name: 'Shipment Period', mandatory: false },
  { tag: '45A', name: 'Description of Goods and/or Services', mandatory: false },
  { tag: '46A', name: 'Documents Required', mandatory: false },
  { tag: '47A', name: 'Additional Conditions', mandatory: false },
  { tag: '49G', name: 'Special Payment Conditions for Beneficiary', mandatory: false },
  { tag: '49H', name: 'Special Payment Conditions for Receiving Bank', mandatory: false },
  { tag: '71D', name: 'Charges', mandatory: false },
  { tag: '48', name: 'Period for Presentation in Days', mandatory: false },
  { tag: '49', name: 'Confirmation Instructions', mandatory: true },
  { tag: '58a', name: 'Requested Confirmation Party', mandatory: false, options: ['A', 'D'] },
  { tag: '53a', name: 'Reimbursing Bank', mandatory: false, options: ['A', 'D'] },
  { tag: '78', name: 'Instructions to the Paying/Accepting/Negotiating Bank', mandatory: false },
  { tag: '57a', name: "'Advise Through' Bank", mandatory: false, options: ['A', 'B', 'D'] },
  { tag: '72Z', name: 'Sender to Receiver Information', mandatory: false },
];
