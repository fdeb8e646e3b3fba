import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Searches every file under `dir` for 64-bit values in every encoding a store, a log or a
 * JSON answer could hold them in: 8 raw bytes big- and little-endian, decimal text, and hex
 * text of both byte orders (any case). Answers what was found where (empty: nothing).
 */
export function findValues(
  dir: string,
  values: readonly bigint[],
): { value: string; file: string; encoding: string }[] {
  const raw = new Map<string, { value: bigint; encoding: string }>();
  const text = new Map<string, { value: bigint; encoding: string }>();
  for (const value of values) {
    const be = Buffer.alloc(8);
    be.writeBigUInt64BE(value);
    const le = Buffer.from(be).reverse();
    raw.set(be.toString('latin1'), { value, encoding: 'bytes BE' });
    raw.set(le.toString('latin1'), { value, encoding: 'bytes LE' });
    text.set(value.toString(10), { value, encoding: 'decimal' });
    text.set(be.toString('hex'), { value, encoding: 'hex BE' });
    text.set(le.toString('hex'), { value, encoding: 'hex LE' });
    // Without leading zeros, for values below 2^60.
    if (!text.has(value.toString(16))) text.set(value.toString(16), { value, encoding: 'hex' });
  }
  const lengths = [...new Set([...text.keys()].map((k) => k.length))];
  const found: { value: string; file: string; encoding: string }[] = [];
  for (const file of filesUnder(dir)) {
    const data = readFileSync(file);
    const latin = data.toString('latin1');
    for (let i = 0; i + 8 <= latin.length; i++) {
      const hit = raw.get(latin.slice(i, i + 8));
      if (hit) found.push({ value: hit.value.toString(), file, encoding: hit.encoding });
    }
    // Runs of digits or hex letters, every window of the lengths the values have as text.
    const lower = latin.toLowerCase();
    for (const run of lower.matchAll(/[0-9a-f]{15,}/g))
      for (const length of lengths)
        for (let i = 0; i + length <= run[0].length; i++) {
          const hit = text.get(run[0].slice(i, i + length));
          if (hit) found.push({ value: hit.value.toString(), file, encoding: hit.encoding });
        }
  }
  return found;
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}
