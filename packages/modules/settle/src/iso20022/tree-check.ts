import { iso20022Error } from './errors.js';
import { type ComplexType, type ElementDecl, isComplex } from './schema.js';
import type { XNode } from './xml-node.js';

const WHITESPACE = /^[ \t\r\n]*$/;

/** The path of the `index`-th (0-based) occurrence of `decl` under `parent`. */
export const childPath = (parent: string, decl: ElementDecl, index: number): string =>
  decl.max > 1 ? `${parent}/${decl.name}[${index + 1}]` : `${parent}/${decl.name}`;

function checkAttributes(element: XNode, decl: ElementDecl, path: string): void {
  const declared = decl.attributes ?? [];
  for (const name of element.attributes.keys())
    if (!declared.some((a) => a.name === name))
      throw iso20022Error(`${path}/@${name}`, 'attribute not allowed here');
  for (const attribute of declared) {
    const value = element.attributes.get(attribute.name);
    if (value === undefined) throw iso20022Error(`${path}/@${attribute.name}`, 'mandatory attribute missing');
    const broken = attribute.type.check(value);
    if (broken) throw iso20022Error(`${path}/@${attribute.name}`, broken, value);
  }
}

/** Why `name` cannot stand at this point of `type`'s sequence (it is not the next one allowed). */
function misplaced(type: ComplexType, name: string, at: number): string {
  const index = type.children.findIndex((c) => c.name === name);
  if (index >= 0 && index < at)
    return `out of schema order (${name} must come before ${type.children[at]!.name})`;
  if (type.unsupported?.includes(name))
    return 'part of the message definition but not of the supported subset';
  return 'element not allowed here';
}

function checkSequence(element: XNode, type: ComplexType, path: string): void {
  const counts = new Array<number>(type.children.length).fill(0);
  let at = 0;
  element.children.forEach((child, position) => {
    let index = at;
    while (index < type.children.length && type.children[index]!.name !== child.name) index++;
    if (index === type.children.length)
      throw iso20022Error(`${path}/${child.name}`, misplaced(type, child.name, at));
    // Earlier siblings skipped over must not be mandatory ones (nor come later).
    for (let skipped = at; skipped < index; skipped++) {
      const decl = type.children[skipped]!;
      if (decl.min <= counts[skipped]!) continue;
      const later = element.children.slice(position + 1).some((c) => c.name === decl.name);
      throw iso20022Error(
        `${path}/${decl.name}`,
        later
          ? `out of schema order (${decl.name} must come before ${child.name})`
          : 'mandatory element missing',
      );
    }
    const decl = type.children[index]!;
    if (counts[index]! >= decl.max)
      throw iso20022Error(
        `${path}/${child.name}`,
        `occurs more than ${decl.max === 1 ? 'once' : `${decl.max} times`}`,
      );
    checkElement(child, decl, childPath(path, decl, counts[index]!));
    counts[index]!++;
    at = index;
  });
  type.children.forEach((decl, index) => {
    if (decl.min > counts[index]!) throw iso20022Error(`${path}/${decl.name}`, 'mandatory element missing');
  });
}

function checkChoice(element: XNode, type: ComplexType, path: string): void {
  const names = type.children.map((c) => c.name).join(' or ');
  if (element.children.length === 0) throw iso20022Error(path, `one of ${names} is required`);
  const [first, second] = element.children;
  const decl = type.children.find((c) => c.name === first!.name);
  if (!decl) throw iso20022Error(`${path}/${first!.name}`, misplaced(type, first!.name, 0));
  if (second) throw iso20022Error(`${path}/${second.name}`, `only one of ${names} is allowed`);
  checkElement(first!, decl, `${path}/${decl.name}`);
}

/**
 * Checks an element against its declaration: attributes, then either its value (a simple
 * type) or its children (order, multiplicity, nothing unknown), recursively. The first
 * failure is thrown, naming its path.
 */
export function checkElement(element: XNode, decl: ElementDecl, path: string): void {
  if (element.name !== decl.name) throw iso20022Error(path, `expected ${decl.name}, found ${element.name}`);
  checkAttributes(element, decl, path);
  const type = decl.type;
  if (!isComplex(type)) {
    if (element.children.length > 0)
      throw iso20022Error(
        `${path}/${element.children[0]!.name}`,
        `element not allowed: ${decl.name} holds a value`,
      );
    const broken = type.check(element.text);
    if (broken) throw iso20022Error(path, broken, element.text);
    return;
  }
  if (!WHITESPACE.test(element.text)) throw iso20022Error(path, 'text is not allowed between elements here');
  if (type.kind === 'choice') checkChoice(element, type, path);
  else checkSequence(element, type, path);
}
