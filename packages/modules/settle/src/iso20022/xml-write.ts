import type { XNode } from './xml-node.js';

/** Text as XML character data: the three characters that could end or open markup, escaped. */
const escapeText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (value: string): string => escapeText(value).replace(/"/g, '&quot;');

function write(element: XNode, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = [...element.attributes].map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
  if (element.children.length === 0) {
    out.push(`${indent}<${element.name}${attributes}>${escapeText(element.text)}</${element.name}>`);
    return;
  }
  out.push(`${indent}<${element.name}${attributes}>`);
  for (const child of element.children) write(child, depth + 1, out);
  out.push(`${indent}</${element.name}>`);
}

/**
 * The canonical form: an XML declaration (UTF-8), the Document in its namespace as the
 * default one, elements in schema order indented by two spaces, no comments, a final newline.
 * Values are written exactly, so indentation never touches them.
 */
export function writeDocument(namespace: string, message: XNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<Document xmlns="${escapeAttribute(namespace)}">`];
  write(message, 1, out);
  out.push('</Document>', '');
  return out.join('\n');
}
