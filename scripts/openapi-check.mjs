// Checks API answers against the node's OpenAPI document with Ajv (JSON Schema 2020-12,
// strict mode), for the node's and the CLI's tests. The published document leaves an object
// open unless it says otherwise; here every object schema that lists its properties and does
// not say `additionalProperties` is closed, so an answer carrying a field the document does
// not describe fails. Objects open by design (a DID document, a credential) say
// `additionalProperties: true` in the document.
import { Ajv2020 } from 'ajv/dist/2020.js';

/** `#/components/schemas/X` as a reference into the one schema that holds them all; objects closed. */
function prepared(node, close) {
  if (Array.isArray(node)) return node.map((n) => prepared(n, close));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node))
    out[k] =
      k === '$ref' && typeof v === 'string'
        ? v.replace('#/components/schemas/', 'pujiang-api#/$defs/')
        : k === 'properties' && typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, prepared(s, close)]))
          : prepared(v, close);
  if (
    close &&
    out.type === 'object' &&
    out.properties !== undefined &&
    out.additionalProperties === undefined
  )
    out.additionalProperties = false;
  return out;
}

/**
 * A checker for one document: `check(method, documentedPath, status, mediaType, body)` returns
 * undefined when the document lists that status for the operation, in that media type, and the
 * body validates against its schema; else what is wrong. `validator(key)` gives the compiled
 * schema of `"METHOD path status"` once checked (to show that a wrong answer fails it).
 */
export function openApiChecker(document, { closeObjects = true } = {}) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'pujiang-api', $defs: prepared(document.components.schemas, closeObjects) });
  const compiled = new Map();
  return {
    check(method, documented, status, media, body) {
      const operation = document.paths[documented]?.[method.toLowerCase()];
      if (!operation) return `${method} ${documented} is not in the document`;
      let response = operation.responses[String(status)];
      if (!response) return `${method} ${documented} answered ${status}, which the document does not list`;
      if (response.$ref) response = document.components.responses[response.$ref.split('/').pop()];
      const content = Object.entries(response.content ?? {}).find(
        ([type]) => type.split(';')[0].trim() === media,
      );
      if (!content)
        return `${method} ${documented} ${status} came as ${media}, which the document does not list`;
      const key = `${method} ${documented} ${status}`;
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile(prepared(content[1].schema, closeObjects));
        compiled.set(key, validate);
      }
      if (validate(body)) return undefined;
      const errors = validate.errors.map(
        (e) =>
          `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`,
      );
      return `${method} ${documented} ${status}: ${[...new Set(errors)].join('; ')}`;
    },
    validator: (key) => compiled.get(key),
  };
}
