import {
  certificateFromJson,
  headerFromJson,
  merkleProofFromJson,
  stateProofFromJson,
} from '@pujiang/protocol';

/**
 * Shape checks for the API's answers, so a method's typed return value is what its type
 * says, whatever the server sent. A check returns the path of the first bad field, or
 * undefined. Values that are hashed or proven later (headers, certificates, proofs) are
 * checked with the protocol's own `...FromJson` parsers, so there is one definition of each.
 */
export type Shape = (value: unknown, path: string) => string | undefined;

export const is =
  (test: (v: unknown) => boolean): Shape =>
  (v, path) =>
    test(v) ? undefined : path;

export const str = is((v) => typeof v === 'string');
export const bool = is((v) => typeof v === 'boolean');
export const nat = is((v) => Number.isSafeInteger(v) && (v as number) >= 0);
export const hex = is((v) => typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v));
export const hash32 = is((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
export const u64 = is(
  (v) => typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v) && BigInt(v) < 1n << 64n,
);
export const any: Shape = () => undefined;
export const literal = (...values: readonly string[]) => is((v) => values.includes(v as string));
export const parsedBy =
  (parse: (v: unknown) => unknown): Shape =>
  (v, path) => {
    try {
      parse(v);
      return undefined;
    } catch {
      return path;
    }
  };

export const optional =
  (shape: Shape): Shape =>
  (v, path) =>
    v === undefined ? undefined : shape(v, path);
export const nullable =
  (shape: Shape): Shape =>
  (v, path) =>
    v === null ? undefined : shape(v, path);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const object =
  (fields: Record<string, Shape>): Shape =>
  (v, path) => {
    if (!isRecord(v)) return path || '(root)';
    for (const [name, shape] of Object.entries(fields)) {
      const bad = shape(v[name], path ? `${path}.${name}` : name);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

export const array =
  (item: Shape): Shape =>
  (v, path) => {
    if (!Array.isArray(v)) return path;
    for (let i = 0; i < v.length; i++) {
      const bad = item(v[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

export const record =
  (value: Shape): Shape =>
  (v, path) => {
    if (!isRecord(v)) return path;
    for (const [k, x] of Object.entries(v)) {
      const bad = value(x, `${path}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

export const either =
  (...shapes: Shape[]): Shape =>
  (v, path) =>
    shapes.some((s) => s(v, path) === undefined) ? undefined : path;

export const chainEvent = object({ module: str, type: str, attributes: record(str) });
export const receipt = object({
  txHash: hash32,
  code: str,
  message: optional(str),
  gasUsed: nat,
  events: array(chainEvent),
});
export const header = parsedBy(headerFromJson);
export const certificate = parsedBy(certificateFromJson);
export const merkleProof = parsedBy(merkleProofFromJson);
export const stateProof = parsedBy(stateProofFromJson);
/** A proven state read's fields (spread into an object shape). */
export const stateRead = { key: hex, value: nullable(hex), proof: stateProof };

/** The path of the first field of `value` that is not of `shape`, or undefined. */
export function shapeProblemOf(shape: Shape, value: unknown): string | undefined {
  return shape(value, '');
}
