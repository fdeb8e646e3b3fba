/** Hex as the trade modules' queries take it: lowercase, without 0x. */
export const normalHex = (s: string): string => s.trim().toLowerCase().replace(/^0x/, '');

/** An amount in the smallest unit, its digits grouped for the reader, with its denomination. */
export function amountText(value: string, denom: string, lang: string): string {
  let grouped = value;
  try {
    grouped = BigInt(value).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  } catch {
    // Not a whole number: shown as the node gave it.
  }
  return `${grouped} ${denom}`;
}

/** The last `max` sequence numbers up to `count` (1-based), newest first. */
export function lastSeqs(count: number, max: number): number[] {
  const seqs: number[] = [];
  for (let s = count; s >= 1 && seqs.length < max; s--) seqs.push(s);
  return seqs;
}
