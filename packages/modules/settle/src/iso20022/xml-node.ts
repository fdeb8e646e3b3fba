/** An XML element as the ISO 20022 code sees it: local name, attributes, child elements, text. */
export interface XNode {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XNode[];
  /** The element's character data (entities decoded, CDATA included), concatenated. */
  readonly text: string;
}

/** A leaf element with a value and, for amounts, its attributes. */
export function leaf(name: string, text: string, attributes: ReadonlyMap<string, string> = new Map()): XNode {
  return { name, attributes, children: [], text };
}

/** A structured element; absent (undefined) children are left out. */
export function node(name: string, children: readonly (XNode | undefined)[]): XNode {
  return { name, attributes: new Map(), children: children.filter((c) => c !== undefined), text: '' };
}
