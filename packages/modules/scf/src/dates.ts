/**
 * Civil dates and day numbers (days since 1970-01-01, counted in Asia/Shanghai time), by
 * integer arithmetic (the days-from-civil algorithm), so execution never depends on `Intl`
 * or the host's time zone.
 */
export function dayFromCivil(year: number, month: number, day: number): bigint {
  const y = BigInt(month <= 2 ? year - 1 : year);
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const m = BigInt(month);
  const doy = (153n * (m > 2n ? m - 3n : m + 9n) + 2n) / 5n + BigInt(day) - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

export function civilFromDay(dayNumber: bigint): { year: number; month: number; day: number } {
  const z = dayNumber + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  return { year: Number(y), month: Number(m), day: Number(d) };
}

/** YYYY-MM-DD of a day number. */
export function civilDate(dayNumber: bigint): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a YYYY-MM-DD date, or undefined when it is not a real date. */
export function parseCivilDate(text: string): bigint | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const n = dayFromCivil(year, month, day);
  const back = civilFromDay(n);
  return back.year === year && back.month === month && back.day === day ? n : undefined;
}
