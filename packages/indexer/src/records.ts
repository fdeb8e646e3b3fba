/** Each module's declared events: module -> event type -> attribute names in declared order (from `/v1/modules`). */
export type EventDeclarations = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** A chain address as the node writes it: 21 bytes, lowercase hex. */
const ADDRESS = /^[0-9a-f]{42}$/;
const QUANTITY = /^(0|[1-9][0-9]{0,39})$/;
/** Keys longer than this are not record names (a document or a JSON list, not an id). */
export const MAX_RECORD_KEY = 256;

export function isAddress(value: string): boolean {
  return ADDRESS.test(value);
}

/** The addresses an event names (any attribute whose value has the address form), in attribute order. */
export function addressesIn(attributes: Readonly<Record<string, string>>): string[] {
  return Object.values(attributes).filter(isAddress);
}

/**
 * The record an event names, if any (the rule docs/indexer.md states):
 * 1. its `id` attribute, when it has one;
 * 2. otherwise its first attribute, in the order the module declares the event's attributes
 *    (the order received if the event is undeclared), whose value is not an address, not a
 *    decimal quantity (at most 40 digits), not `true`/`false`, and not empty.
 * Keys over 256 characters are never record names. `kind` is the attribute's name.
 */
export function recordOf(
  declarations: EventDeclarations,
  event: { module: string; type: string; attributes: Readonly<Record<string, string>> },
): { kind: string; key: string } | undefined {
  const { attributes } = event;
  const usable = (value: string | undefined): value is string =>
    value !== undefined && value !== '' && value.length <= MAX_RECORD_KEY;
  const id = attributes.id;
  if (Object.hasOwn(attributes, 'id') && usable(id)) return { kind: 'id', key: id };
  const order = declarations.get(event.module)?.get(event.type) ?? Object.keys(attributes);
  for (const name of order) {
    if (!Object.hasOwn(attributes, name)) continue;
    const value = attributes[name];
    if (!usable(value) || isAddress(value) || QUANTITY.test(value) || value === 'true' || value === 'false')
      continue;
    return { kind: name, key: value };
  }
  return undefined;
}

/** The declarations from the node's `/v1/modules` answer. */
export function declarationsOf(modules: {
  modules: readonly { name: string; events: Readonly<Record<string, readonly string[]>> | null }[];
}): EventDeclarations {
  const out = new Map<string, Map<string, readonly string[]>>();
  for (const m of modules.modules) out.set(m.name, new Map(Object.entries(m.events ?? {})));
  return out;
}
