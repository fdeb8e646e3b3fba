/**
 * The typed model of the supported subset of pacs.008.001.08 and pacs.009.001.08 (CBPR+).
 * Field names spell out the ISO 20022 element each stands for; optional fields are absent,
 * never undefined. Amounts are minor units of their currency (ISO 4217 decimals).
 */

/** GrpHdr/SttlmInf/SttlmMtd: instructed agent's or instructing agent's account, or a clearing system. */
export type SettlementMethod = 'INDA' | 'INGA' | 'CLRG';
/** ChrgBr: who bears the charges (CBPR+ does not allow SLEV). */
export type ChargeBearer = 'DEBT' | 'CRED' | 'SHAR';

/** GrpHdr/SttlmInf/ClrSys: a code of the external clearing-system list, or a proprietary name. */
export type ClearingSystem = { readonly code: string } | { readonly proprietary: string };

/** GrpHdr. NbOfTxs is always "1" in CBPR+ and so is not a field. */
export interface GroupHeader {
  /** MsgId */
  readonly messageId: string;
  /** CreDtTm, with its mandatory UTC offset, as written. */
  readonly createdAt: string;
  /** SttlmInf/SttlmMtd */
  readonly settlementMethod: SettlementMethod;
  /** SttlmInf/ClrSys */
  readonly clearingSystem?: ClearingSystem;
}

/** CdtTrfTxInf/PmtId. */
export interface PaymentIdentification {
  /** InstrId (16 characters in CBPR+) */
  readonly instructionId: string;
  /** EndToEndId */
  readonly endToEndId: string;
  /** TxId */
  readonly transactionId?: string;
  /** UETR: the unique end-to-end transaction reference, a version 4 UUID. */
  readonly uetr: string;
  /** ClrSysRef */
  readonly clearingSystemReference?: string;
}

/** An amount with its `Ccy`: `minorUnits` is the amount times 10^decimals of the currency. */
export interface Amount {
  readonly currency: string;
  readonly minorUnits: bigint;
}

/** An agent (`FinInstnId`) identified by its BIC, and optionally its LEI. */
export interface FinancialInstitution {
  /** BICFI */
  readonly bic: string;
  /** LEI */
  readonly lei?: string;
}

/** PstlAdr (`PostalAddress24` as CBPR+ restricts it). */
export interface PostalAddress {
  readonly department?: string;
  readonly subDepartment?: string;
  readonly streetName?: string;
  readonly buildingNumber?: string;
  readonly buildingName?: string;
  readonly floor?: string;
  readonly postBox?: string;
  readonly room?: string;
  readonly postCode?: string;
  readonly townName?: string;
  readonly townLocationName?: string;
  readonly districtName?: string;
  readonly countrySubDivision?: string;
  /** Ctry (ISO 3166 alpha-2) */
  readonly country?: string;
  /** AdrLine, at most 3 */
  readonly addressLines?: readonly string[];
}

/** A pacs.008 debtor or creditor (`PartyIdentification135`): name, address, organisation id. */
export interface Party {
  /** Nm */
  readonly name?: string;
  /** PstlAdr */
  readonly postalAddress?: PostalAddress;
  /** Id/OrgId/AnyBIC */
  readonly anyBic?: string;
  /** Id/OrgId/LEI */
  readonly lei?: string;
  /** CtryOfRes */
  readonly countryOfResidence?: string;
}

/** DbtrAcct or CdtrAcct: `Id/IBAN` or `Id/Othr/Id` (how Chinese banks' accounts travel). */
export type Account = { readonly iban: string } | { readonly other: string };

/** ChrgsInf: an amount of charges and the agent that takes it. */
export interface Charge {
  readonly amount: Amount;
  readonly agent: FinancialInstitution;
}

/** pacs.008's one CdtTrfTxInf. */
export interface CustomerCreditTransfer {
  readonly paymentId: PaymentIdentification;
  /** IntrBkSttlmAmt */
  readonly settlementAmount: Amount;
  /** IntrBkSttlmDt (YYYY-MM-DD) */
  readonly settlementDate: string;
  /** ChrgBr */
  readonly chargeBearer: ChargeBearer;
  /** ChrgsInf, in order */
  readonly charges?: readonly Charge[];
  readonly instructingAgent: FinancialInstitution;
  readonly instructedAgent: FinancialInstitution;
  readonly debtor: Party;
  readonly debtorAccount?: Account;
  readonly debtorAgent: FinancialInstitution;
  readonly creditorAgent: FinancialInstitution;
  readonly creditor: Party;
  readonly creditorAccount?: Account;
  /** Purp/Cd (ExternalPurpose1Code) */
  readonly purpose?: string;
  /** RmtInf/Ustrd */
  readonly remittanceInformation?: string;
}

/** pacs.009's one CdtTrfTxInf (core): the debtor and creditor are themselves banks. */
export interface InstitutionCreditTransfer {
  readonly paymentId: PaymentIdentification;
  readonly settlementAmount: Amount;
  readonly settlementDate: string;
  readonly instructingAgent: FinancialInstitution;
  readonly instructedAgent: FinancialInstitution;
  readonly debtor: FinancialInstitution;
  readonly debtorAccount?: Account;
  readonly debtorAgent?: FinancialInstitution;
  readonly creditorAgent?: FinancialInstitution;
  readonly creditor: FinancialInstitution;
  readonly creditorAccount?: Account;
  readonly purpose?: string;
  readonly remittanceInformation?: string;
}

/** A pacs.008.001.08 FI to FI customer credit transfer. */
export interface Pacs008Message {
  readonly type: 'pacs.008.001.08';
  readonly groupHeader: GroupHeader;
  readonly transaction: CustomerCreditTransfer;
}

/** A pacs.009.001.08 financial institution credit transfer. */
export interface Pacs009Message {
  readonly type: 'pacs.009.001.08';
  readonly groupHeader: GroupHeader;
  readonly transaction: InstitutionCreditTransfer;
}

export type Iso20022Message = Pacs008Message | Pacs009Message;
