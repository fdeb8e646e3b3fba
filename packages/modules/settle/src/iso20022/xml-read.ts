import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { iso20022Error } from './errors.js';
import type { XNode } from './xml-node.js';

/** The largest message accepted, in UTF-8 bytes: a full CBPR+ subset message is a few KiB. */
export const ISO20022_MAX_BYTES = 64 * 1024;
/** Deeper nesting than any element of the subset, well below the parser's own stack use. */
const MAX_DEPTH = 32;
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const DOC = 'Document';

/** What the reader hands on: the root `Document` (prefix stripped) and its namespace. */
export interface ReadDocument {
  readonly namespace: string;
  readonly root: XNode;
}

type Ordered = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded here, by `decodeText`: only XML's five and character references.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: false,
  ignorePiTags: false,
  maxNestedTags: MAX_DEPTH,
});

/** The first code unit XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF). */
function forbiddenCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || c === 0xfffe || c === 0xffff) return c;
  }
  return undefined;
}

/** The input as text: UTF-8 only, bounded before anything is decoded or parsed. */
function asText(input: unknown): string {
  let text: string;
  if (input instanceof Uint8Array) {
    if (input.length > ISO20022_MAX_BYTES)
      throw iso20022Error(DOC, `larger than ${ISO20022_MAX_BYTES} bytes`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw iso20022Error(DOC, 'not valid UTF-8');
    }
  } else if (typeof input === 'string') {
    // Each UTF-16 unit is at least one UTF-8 byte, so the cheap test comes first.
    if (input.length > ISO20022_MAX_BYTES || new TextEncoder().encode(input).length > ISO20022_MAX_BYTES)
      throw iso20022Error(DOC, `larger than ${ISO20022_MAX_BYTES} bytes`);
    if (!input.isWellFormed()) throw iso20022Error(DOC, 'not valid Unicode (a lone surrogate)');
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  } else {
    throw iso20022Error(DOC, 'the message must be a string or UTF-8 bytes');
  }
  const bad = forbiddenCharacter(text);
  if (bad !== undefined)
    throw iso20022Error(DOC, `character U+${bad.toString(16).padStart(4, '0')} is not allowed in XML`);
  // Never expanded, never even parsed: a DTD is how entity expansion and XXE get in.
  if (/<!DOCTYPE/i.test(text)) throw iso20022Error(DOC, 'a DOCTYPE declaration is not accepted');
  if (/<!ENTITY/i.test(text)) throw iso20022Error(DOC, 'an ENTITY declaration is not accepted');
  return text;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** XML's five predefined entities and character references; any other `&` is malformed. */
function decodeText(raw: string, path: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw iso20022Error(path, 'a bare "&" (write &amp;)');
    if (Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref]!;
    const num = /^#x([0-9a-fA-F]{1,6})$/.exec(ref) ?? /^#([0-9]{1,7})$/.exec(ref);
    if (!num) throw iso20022Error(path, `entity "&${ref};" is not defined (only XML's five are)`);
    const code = Number.parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw iso20022Error(path, `character reference "&${ref};" is not an XML character`);
    return String.fromCodePoint(code);
  });
}

const tagOf = (item: Ordered): string | undefined => Object.keys(item).find((k) => k !== ':@');
const attributesOf = (item: Ordered): Record<string, string> => (item[':@'] as Record<string, string>) ?? {};

/** The XML declaration, if any, must say version 1.0 (1.1 has other character rules) and UTF-8. */
function checkDeclaration(item: Ordered): void {
  const attrs = attributesOf(item);
  if (attrs.version !== '1.0') throw iso20022Error(DOC, 'the XML declaration must give version 1.0');
  if (attrs.encoding !== undefined && attrs.encoding.toUpperCase() !== 'UTF-8')
    throw iso20022Error(DOC, `encoding "${attrs.encoding}" is not accepted: ISO 20022 messages are UTF-8`);
}

/** Splits `p:Name` into its prefix ('' for none) and local name. */
function splitName(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  return colon < 0 ? ['', raw] : [raw.slice(0, colon), raw.slice(colon + 1)];
}

function toNode(item: Ordered, prefix: string, path: string, isRoot: boolean): XNode {
  const raw = tagOf(item)!;
  const [elementPrefix, name] = splitName(raw);
  const here = isRoot ? DOC : `${path}/${name}`;
  if (elementPrefix !== prefix)
    throw iso20022Error(isRoot ? DOC : `${path}/${raw}`, 'element outside the message namespace');
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(attributesOf(item))) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (!isRoot)
        throw iso20022Error(`${here}/@${key}`, 'namespace declarations are accepted on Document only');
      continue;
    }
    if (isRoot && key.endsWith(':schemaLocation')) continue;
    attributes.set(key, decodeText(value, `${here}/@${key}`));
  }
  const children: XNode[] = [];
  let text = '';
  for (const part of item[raw] as Ordered[]) {
    const tag = tagOf(part);
    if (tag === '#text') text += decodeText(String(part[tag]), here);
    else if (tag === '#cdata') text += (part[tag] as Ordered[]).map((t) => String(t['#text'] ?? '')).join('');
    else if (tag?.startsWith('?')) throw iso20022Error(here, 'processing instructions are not accepted');
    else if (tag !== undefined) children.push(toNode(part, prefix, here, false));
  }
  return { name, attributes, children, text };
}

/**
 * Reads a message into its `Document` element: bounded, UTF-8, well formed, one root, no DTD,
 * no processing instructions, every element in the namespace the root declares.
 */
export function readXml(input: unknown): ReadDocument {
  const text = asText(input);
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw iso20022Error(
      DOC,
      `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    );
  let items: Ordered[];
  try {
    items = parser.parse(text) as Ordered[];
  } catch (error) {
    // The validator lets a few things through that the parser then rejects (nesting depth).
    throw iso20022Error(
      DOC,
      `malformed XML: ${error instanceof Error ? error.message.slice(0, 80) : 'unreadable'}`,
    );
  }
  const elements: Ordered[] = [];
  items.forEach((item, index) => {
    const tag = tagOf(item);
    if (tag === '?xml' && index === 0) checkDeclaration(item);
    else if (tag?.startsWith('?')) throw iso20022Error(DOC, 'processing instructions are not accepted');
    else if (tag === '#text') {
      if (!/^[ \t\r\n]*$/.test(String(item[tag]))) throw iso20022Error(DOC, 'text outside the root element');
    } else if (tag !== undefined) elements.push(item);
  });
  if (elements.length !== 1) throw iso20022Error(DOC, 'a message has exactly one root element');
  const root = elements[0]!;
  const [prefix, name] = splitName(tagOf(root)!);
  if (name !== DOC)
    throw iso20022Error(
      DOC,
      `the root element is ${name}: a Document alone is accepted (no head.001 envelope)`,
    );
  const attrs = attributesOf(root);
  const namespace = attrs[prefix === '' ? 'xmlns' : `xmlns:${prefix}`];
  if (namespace === undefined) throw iso20022Error(`${DOC}/@xmlns`, 'the Document declares no namespace');
  for (const key of Object.keys(attrs)) {
    if (!key.endsWith(':schemaLocation')) continue;
    const xsi = key.slice(0, -':schemaLocation'.length);
    if (attrs[`xmlns:${xsi}`] !== XSI) throw iso20022Error(`${DOC}/@${key}`, 'attribute not allowed');
  }
  return { namespace, root: toNode(root, prefix, '', true) };
}
