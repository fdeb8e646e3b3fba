/**
 * ISO 4217 active currency codes with their minor unit (the decimals an amount may carry),
 * as listed in ISO 4217 List One (2024-2025 amendments: ZWG added, HRK, SLL, ZWL and CUC
 * withdrawn; XCG added beside ANG while the guilder is replaced). Precious metals, funds
 * without a minor unit (XDR, XSU, XUA), the test code XTS and XXX have no minor unit and are
 * not currencies an interbank amount can settle in: CBPR+ refuses XAU, XAG, XPD and XPT
 * explicitly, and they are simply absent here.
 */
const ZERO = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR = 'CLF UYW';
const TWO = [
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN',
  'BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP',
  'GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP',
  'LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR',
  'NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN',
  'SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR',
  'ZMW ZWG',
].join(' ');

function table(): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  const add = (codes: string, decimals: number) => {
    for (const code of codes.split(' ')) out.set(code, decimals);
  };
  add(ZERO, 0);
  add(TWO, 2);
  add(THREE, 3);
  add(FOUR, 4);
  return out;
}

const DECIMALS = table();

/** The minor unit of an active ISO 4217 currency, or undefined for anything else. */
export function currencyDecimals(code: string): number | undefined {
  return DECIMALS.get(code);
}

/** Every code this table knows, sorted (for tests and documentation). */
export function knownCurrencies(): string[] {
  return [...DECIMALS.keys()].sort();
}
