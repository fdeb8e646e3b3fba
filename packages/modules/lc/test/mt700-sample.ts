import type { Mt700Headers, Mt700Terms } from '../src/mt700-types.js';

/**
 * A sample MT700 written for these tests from the published field specification (SWIFT
 * Standards MT, category 7, since November 2018): a Shanghai importer's credit for German
 * machine tools, advised through a Hamburg bank. The banks' BICs are invented.
 */
export const SAMPLE_LINES = [
  '{1:F01PJIBCNSHAXXX0001000123}{2:I700PJABDEHHXXXXN}{3:{108:PJLC2026000123}}{4:',
  ':27:1/1',
  ':40A:IRREVOCABLE',
  ':20:LC2026SH000123',
  ':31C:260310',
  ':40E:UCP LATEST VERSION',
  ':31D:260630HAMBURG',
  ':50:SHANGHAI PUJIANG TRADING CO LTD',
  '88 CENTURY AVENUE PUDONG',
  'SHANGHAI 200120 CHINA',
  ':59:/DE89370400440532013000',
  'HAMBURG PRECISION MACHINES GMBH',
  'ELBCHAUSSEE 1',
  '22763 HAMBURG GERMANY',
  ':32B:EUR1250000,00',
  ':39A:5/5',
  ':41D:ANY BANK IN GERMANY',
  'BY NEGOTIATION',
  ':42C:AT SIGHT',
  'FOR FULL INVOICE VALUE',
  ':42A:PJIBCNSHXXX',
  ':43P:NOT ALLOWED',
  ':43T:ALLOWED',
  ':44E:HAMBURG PORT, GERMANY',
  ':44F:SHANGHAI PORT, CHINA',
  ':44C:260615',
  ':45A:+2 SETS CNC MACHINING CENTRES MODEL HPM-5X',
  '+AS PER PROFORMA INVOICE NO. HPM-2026-017 DATED 20260220',
  '+CIF SHANGHAI INCOTERMS 2020',
  ':46A:+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS',
  '+FULL SET CLEAN ON BOARD BILLS OF LADING MADE OUT TO ORDER',
  'OF ISSUING BANK MARKED FREIGHT PREPAID NOTIFY APPLICANT',
  '+PACKING LIST IN 2 COPIES',
  '+INSURANCE POLICY FOR 110% OF INVOICE VALUE COVERING',
  'INSTITUTE CARGO CLAUSES (A)',
  '+CERTIFICATE OF ORIGIN ISSUED BY THE CHAMBER OF COMMERCE',
  ':47A:+ALL DOCUMENTS MUST SHOW THIS CREDIT NUMBER',
  '+A DISCREPANCY FEE OF EUR 80.00 WILL BE DEDUCTED FOR EACH',
  'DISCREPANT PRESENTATION',
  ':71D:ALL BANKING CHARGES OUTSIDE CHINA',
  'ARE FOR ACCOUNT OF BENEFICIARY',
  ':48:21/FROM THE DATE OF SHIPMENT',
  ':49:CONFIRM',
  ':58A:PJABDEHHXXX',
  ':78:UPON RECEIPT OF COMPLYING DOCUMENTS WE SHALL REMIT',
  'AS PER YOUR INSTRUCTIONS',
  ':72Z:/PHONBEN/',
  '-}{5:{CHK:3F2A9C71B0D4}}',
];

export const SAMPLE = SAMPLE_LINES.join('\r\n');

export const SAMPLE_HEADERS: Mt700Headers = {
  basic: {
    applicationId: 'F',
    serviceId: '01',
    logicalTerminal: 'PJIBCNSHAXXX',
    session: '0001',
    sequence: '000123',
  },
  application: { direction: 'input', receiver: 'PJABDEHHXXXX', priority: 'N' },
  user: [{ tag: '108', value: 'PJLC2026000123' }],
  trailer: [{ tag: 'CHK', value: '3F2A9C71B0D4' }],
};

export const SAMPLE_TERMS: Mt700Terms = {
  form: 'IRREVOCABLE',
  creditNumber: 'LC2026SH000123',
  issueDate: '2026-03-10',
  rules: 'UCP LATEST VERSION',
  expiryDate: '2026-06-30',
  expiryPlace: 'HAMBURG',
  applicant: ['SHANGHAI PUJIANG TRADING CO LTD', '88 CENTURY AVENUE PUDONG', 'SHANGHAI 200120 CHINA'],
  beneficiaryAccount: 'DE89370400440532013000',
  beneficiary: ['HAMBURG PRECISION MACHINES GMBH', 'ELBCHAUSSEE 1', '22763 HAMBURG GERMANY'],
  currency: 'EUR',
  amount: 125_000_000n,
  tolerance: { plus: 5, minus: 5 },
  availableWith: { option: 'D', nameAddress: ['ANY BANK IN GERMANY'], by: 'BY NEGOTIATION' },
  draftsAt: ['AT SIGHT', 'FOR FULL INVOICE VALUE'],
  drawee: { option: 'A', bic: 'PJIBCNSHXXX' },
  partialShipments: 'NOT ALLOWED',
  transhipment: 'ALLOWED',
  portOfLoading: 'HAMBURG PORT, GERMANY',
  portOfDischarge: 'SHANGHAI PORT, CHINA',
  latestShipmentDate: '2026-06-15',
  goods: [
    '+2 SETS CNC MACHINING CENTRES MODEL HPM-5X',
    '+AS PER PROFORMA INVOICE NO. HPM-2026-017 DATED 20260220',
    '+CIF SHANGHAI INCOTERMS 2020',
  ],
  documentsRequired: [
    '+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS',
    '+FULL SET CLEAN ON BOARD BILLS OF LADING MADE OUT TO ORDER',
    'OF ISSUING BANK MARKED FREIGHT PREPAID NOTIFY APPLICANT',
    '+PACKING LIST IN 2 COPIES',
    '+INSURANCE POLICY FOR 110% OF INVOICE VALUE COVERING',
    'INSTITUTE CARGO CLAUSES (A)',
    '+CERTIFICATE OF ORIGIN ISSUED BY THE CHAMBER OF COMMERCE',
  ],
  additionalConditions: [
    '+ALL DOCUMENTS MUST SHOW THIS CREDIT NUMBER',
    '+A DISCREPANCY FEE OF EUR 80.00 WILL BE DEDUCTED FOR EACH',
    'DISCREPANT PRESENTATION',
  ],
  charges: ['ALL BANKING CHARGES OUTSIDE CHINA', 'ARE FOR ACCOUNT OF BENEFICIARY'],
  presentationPeriodDays: 21,
  presentationPeriodNarrative: 'FROM THE DATE OF SHIPMENT',
  confirmation: 'CONFIRM',
  requestedConfirmationParty: { option: 'A', bic: 'PJABDEHHXXX' },
  instructionsToBank: ['UPON RECEIPT OF COMPLYING DOCUMENTS WE SHALL REMIT', 'AS PER YOUR INSTRUCTIONS'],
  senderToReceiverInformation: ['/PHONBEN/'],
};

/** The sample with field `tag` (and its continuation lines) removed. */
export function withoutField(tag: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of SAMPLE_LINES) {
    if (line.startsWith(':')) skipping = line.startsWith(`:${tag}:`);
    else if (line.startsWith('-}')) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join('\r\n');
}

/** The sample with the first line starting `from` replaced by `to` (lines, CRLF-joined). */
export function withLine(from: string, ...to: string[]): string {
  const i = SAMPLE_LINES.findIndex((line) => line.startsWith(from));
  if (i < 0) throw new Error(`no line ${from}`);
  return [...SAMPLE_LINES.slice(0, i), ...to, ...SAMPLE_LINES.slice(i + 1)].join('\r\n');
}
