import { mt700Error } from './mt700-text.js';
import { MT700_FIELDS, type Mt700FieldSpec } from './mt700-types.js';

/**
 * The fields of the text block: `:TAG:` at the start of a line opens a field, the following
 * lines until the next tag continue it. Each field of MT700 at most once, in the standard's
 * order, every mandatory one present.
 */

export interface RawField {
  /** The tag as written (`41D`). */
  tag: string;
  /** The tag of the standard's field (`41a`). */
  specTag: string;
  /** The option letter of a `NNa` field. */
  option: string;
  lines: string[];
}

/** `41D` to its field and option; undefined when MT700 has no such field. */
const BY_TAG = new Map<string, { spec: Mt700FieldSpec; index: number; option: string }>();
MT700_FIELDS.forEach((spec, index) => {
  if (spec.options === undefined) BY_TAG.set(spec.tag, { spec, index, option: '' });
  else for (const option of spec.options) BY_TAG.set(spec.tag.slice(0, 2) + option, { spec, index, option });
});

const TAG_LINE = /^:(\d{2}[A-Z]?):/;

export function splitFields(lines: readonly string[]): Map<string, RawField> {
  const fields = new Map<string, RawField>();
  let current: RawField | undefined;
  let lastIndex = -1;
  for (const line of lines) {
    const m = TAG_LINE.exec(line);
    if (m === null) {
      if (current === undefined) throw mt700Error('block4', 'text must start with a field tag');
      current.lines.push(line);
      continue;
    }
    const tag = m[1]!;
    const known = BY_TAG.get(tag);
    if (known === undefined) throw mt700Error(tag, 'not a field of MT700');
    const specTag = known.spec.tag;
    if (fields.has(specTag)) throw mt700Error(tag, 'appears more than once');
    if (known.index < lastIndex) throw mt700Error(tag, `out of order: must come before ${current?.tag}`);
    lastIndex = known.index;
    current = { tag, specTag, option: known.option, lines: [line.slice(m[0].length)] };
    fields.set(specTag, current);
  }
  for (const spec of MT700_FIELDS) {
    if (spec.mandatory && !fields.has(spec.tag)) throw mt700Error(spec.tag, 'mandatory field missing');
  }
  return fields;
}

/** The text block's lines for fields given as `[tag as written, lines]`, in standard order. */
export function joinFields(fields: ReadonlyArray<readonly [string, readonly string[]]>): string[] {
  const out: string[] = [];
  for (const [tag, lines] of fields) {
    out.push(`:${tag}:${lines[0] ?? ''}`, ...lines.slice(1));
  }
  return out;
}
