import { iso20022Error } from './errors.js';
import type { CustomerCreditTransfer, InstitutionCreditTransfer, Party, PostalAddress } from './model.js';

/**
 * CBPR+ usage rules that need more than one value (the "formal rules" of the usage
 * guidelines), checked on a model whose every value already has its type. `path` is the
 * CdtTrfTxInf element's path.
 */

const STRUCTURED: readonly (keyof PostalAddress)[] = [
  'department',
  'subDepartment',
  'streetName',
  'buildingNumber',
  'buildingName',
  'floor',
  'postBox',
  'room',
  'postCode',
  'townName',
  'townLocationName',
  'districtName',
  'countrySubDivision',
  'country',
];

/**
 * The postal address grace-period rules: structured (no AdrLine) needs TwnNm and Ctry;
 * hybrid (AdrLine beside other elements) needs TwnNm and Ctry and at most two AdrLine;
 * unstructured (AdrLine alone) keeps every line to 35 characters.
 */
function checkAddress(address: PostalAddress, path: string): void {
  const lines = address.addressLines ?? [];
  const structured = STRUCTURED.some((key) => address[key] !== undefined);
  if (lines.length === 0 || structured) {
    const kind = lines.length === 0 ? 'CBPR_GracePeriod_Structured' : 'CBPR_GracePeriod_Hybrid';
    if (address.townName === undefined)
      throw iso20022Error(`${path}/TwnNm`, `${kind}: TwnNm and Ctry are mandatory`);
    if (address.country === undefined)
      throw iso20022Error(`${path}/Ctry`, `${kind}: TwnNm and Ctry are mandatory`);
    if (lines.length > 2)
      throw iso20022Error(`${path}/AdrLine[3]`, `${kind}: at most two AdrLine beside structured elements`);
    return;
  }
  lines.forEach((line, i) => {
    if ([...line].length > 35)
      throw iso20022Error(
        `${path}/AdrLine[${i + 1}]`,
        'CBPR_GracePeriod_Unstructured: an address line alone is at most 35 characters',
        line,
      );
  });
}

/** CBPR_Party_Name_Postal_Address and CBPR_Party_Name_Any_BIC for a debtor or creditor. */
function checkParty(party: Party, path: string): void {
  if (party.postalAddress !== undefined && party.name === undefined)
    throw iso20022Error(`${path}/Nm`, 'CBPR_Party_Name_Postal_Address: a postal address needs the name');
  if (party.name === undefined && party.anyBic === undefined)
    throw iso20022Error(
      `${path}/Nm`,
      'CBPR_Party_Name_Any_BIC: without Id/OrgId/AnyBIC the name is mandatory',
    );
  if (party.postalAddress !== undefined) checkAddress(party.postalAddress, `${path}/PstlAdr`);
}

/** A settlement moves something: an interbank amount of zero is refused (Pujiang's rule). */
function checkPositive(tx: { settlementAmount: { minorUnits: bigint } }, path: string): void {
  if (tx.settlementAmount.minorUnits === 0n)
    throw iso20022Error(
      `${path}/IntrBkSttlmAmt`,
      'the interbank settlement amount must be greater than zero',
    );
}

export function checkCustomerTransfer(tx: CustomerCreditTransfer, path: string): void {
  checkPositive(tx, path);
  const charges = tx.charges?.length ?? 0;
  if (tx.chargeBearer === 'CRED' && charges === 0)
    throw iso20022Error(
      `${path}/ChrgsInf`,
      'CBPR_CRED: charges information is mandatory when the creditor bears them',
    );
  if (tx.chargeBearer === 'DEBT' && charges > 1)
    throw iso20022Error(
      `${path}/ChrgsInf[2]`,
      'CBPR_DEBT: at most one charges information when the debtor bears them',
    );
  checkParty(tx.debtor, `${path}/Dbtr`);
  checkParty(tx.creditor, `${path}/Cdtr`);
}

export function checkInstitutionTransfer(tx: InstitutionCreditTransfer, path: string): void {
  checkPositive(tx, path);
  // CBPR_End_To_End_Identification: within its first 16 characters, the first and the
  // 16th are not "/" and no "//" appears.
  const head = tx.paymentId.endToEndId.slice(0, 16);
  if (head.startsWith('/') || head.charAt(15) === '/' || head.includes('//'))
    throw iso20022Error(
      `${path}/PmtId/EndToEndId`,
      'CBPR_End_To_End_Identification: its first 16 characters must not start or end with "/" nor contain "//"',
      tx.paymentId.endToEndId,
    );
}
