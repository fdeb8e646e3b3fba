import { VC_V2_CONTEXT } from './contexts.js';
import { type CredentialCheck, CredentialError, dataModelError } from './errors.js';

/**
 * The MUSTs of W3C Verifiable Credentials Data Model 2.0 that a document's JSON shows, checked
 * at issuance and at verification alike: the context order, types, issuer and id URLs,
 * validity datetimes, the credential subject, and each optional property's required
 * members. Each failure is `VC_DATA_MODEL` naming the property (`details.check`). What needs
 * JSON-LD (unknown contexts, protected terms redefined) is checked by expansion.
 */
export type JsonObject = Record<string, unknown>;

const URL_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
/** XML Schema dateTimeStamp: a datetime with its time zone. */
const DATE_TIME_STAMP =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** The most credentials one presentation may hold. */
export const MAX_PRESENTED_CREDENTIALS = 32;

export const isUrl = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 2048 && URL_PATTERN.test(v);
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** The id of an issuer or holder: a URL, or an object's `id`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) && typeof value.id === 'string' ? value.id : undefined;
}

function checkContext(doc: JsonObject): void {
  const context = doc['@context'];
  if (!Array.isArray(context) || context.length === 0)
    throw dataModelError('context', '@context must be an ordered set (an array)');
  if (context[0] !== VC_V2_CONTEXT)
    throw dataModelError('context', `the first @context must be ${VC_V2_CONTEXT}`, {
      first: String(context[0]),
    });
  for (const [i, item] of context.entries())
    if (!isUrl(item) && !isObject(item))
      throw dataModelError('context', `@context[${i}] must be a URL or a context object`, { index: i });
}

function checkTypes(doc: JsonObject, required: string): void {
  const type = doc.type;
  const types = asList(type);
  if (type === undefined || types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0))
    throw dataModelError('type', 'type must be one or more strings');
  if (!types.includes(required)) throw dataModelError('type', `type must include ${required}`);
}

function checkOptionalId(doc: JsonObject, check: CredentialCheck, where: string): void {
  if ('id' in doc && !isUrl(doc.id)) throw dataModelError(check, `${where}id must be a single URL`);
}

/** `name`/`description`: a string, a language value object, or a list of them. */
function checkText(doc: JsonObject, property: 'name' | 'description'): void {
  if (!(property in doc)) return;
  for (const value of asList(doc[property])) {
    if (typeof value === 'string') continue;
    if (isObject(value) && typeof value['@value'] === 'string') continue;
    throw dataModelError(property, `${property} must be a string or a language value object`);
  }
}

/** Each object of an optional property (status, schema, refresh, terms, evidence) with its required members. */
function checkTypedObjects(doc: JsonObject, property: CredentialCheck, needsId: boolean): void {
  if (!(property in doc)) return;
  const values = asList(doc[property]);
  if (values.length === 0) throw dataModelError(property, `${property} must not be empty`);
  for (const [i, value] of values.entries()) {
    if (!isObject(value)) throw dataModelError(property, `${property}[${i}] must be an object`, { index: i });
    const type = value.type;
    if (type === undefined || !asList(type).every((t) => typeof t === 'string' && t.length > 0))
      throw dataModelError(property, `${property}[${i}] must have a type`, { index: i });
    if (needsId ? !isUrl(value.id) : 'id' in value && !isUrl(value.id))
      throw dataModelError(property, `${property}[${i}].id must be a URL`, { index: i });
  }
}

/** `relatedResource`: objects with a unique URL id and at least one digest. */
function checkRelatedResources(doc: JsonObject): void {
  if (!('relatedResource' in doc)) return;
  const ids = new Set<string>();
  for (const [i, value] of asList(doc.relatedResource).entries()) {
    if (!isObject(value) || !isUrl(value.id))
      throw dataModelError('relatedResource', `relatedResource[${i}] must be an object with a URL id`, {
        index: i,
      });
    if (ids.has(value.id))
      throw dataModelError('relatedResource', `relatedResource id ${value.id} appears twice`);
    ids.add(value.id);
    const sri = value.digestSRI;
    const multibase = value.digestMultibase;
    if (sri === undefined && multibase === undefined)
      throw dataModelError('relatedResource', `relatedResource[${i}] needs digestSRI or digestMultibase`, {
        index: i,
      });
    if (sri !== undefined && (typeof sri !== 'string' || !/^sha(256|384|512)-[A-Za-z0-9+/]+=*$/.test(sri)))
      throw dataModelError('relatedResource', `relatedResource[${i}].digestSRI is not an SRI digest`, {
        index: i,
      });
    if (
      multibase !== undefined &&
      (typeof multibase !== 'string' || !/^[uzm][A-Za-z0-9+/_=-]+$/.test(multibase))
    )
      throw dataModelError('relatedResource', `relatedResource[${i}].digestMultibase is not multibase`, {
        index: i,
      });
  }
}

function checkValidityDates(doc: JsonObject): { validFrom?: Date; validUntil?: Date } {
  const out: { validFrom?: Date; validUntil?: Date } = {};
  for (const property of ['validFrom', 'validUntil'] as const) {
    if (!(property in doc)) continue;
    const value = doc[property];
    if (typeof value !== 'string' || !DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value)))
      throw dataModelError(property, `${property} must be an XML dateTimeStamp (with a time zone)`);
    out[property] = new Date(value);
  }
  if (out.validFrom && out.validUntil && out.validFrom > out.validUntil)
    throw dataModelError('validUntil', 'validFrom must not be later than validUntil');
  return out;
}

function checkSubjects(doc: JsonObject): void {
  const subjects = asList(doc.credentialSubject);
  if (doc.credentialSubject === undefined || subjects.length === 0)
    throw dataModelError('credentialSubject', 'credentialSubject is required');
  for (const [i, subject] of subjects.entries()) {
    if (!isObject(subject))
      throw dataModelError('credentialSubject', `credentialSubject[${i}] must be an object`, { index: i });
    if ('id' in subject && !isUrl(subject.id))
      throw dataModelError('credentialSubject', `credentialSubject[${i}].id must be a URL`, { index: i });
    if (Object.keys(subject).filter((k) => k !== 'id').length === 0)
      throw dataModelError('credentialSubject', `credentialSubject[${i}] must make at least one claim`, {
        index: i,
      });
  }
}

/** Checks a credential's MUSTs (not its proof or its time window); returns its validity dates. */
export function checkCredentialDataModel(credential: unknown): { validFrom?: Date; validUntil?: Date } {
  if (!isObject(credential)) throw dataModelError('type', 'a credential must be a JSON object');
  checkContext(credential);
  checkOptionalId(credential, 'id', '');
  checkTypes(credential, 'VerifiableCredential');
  const issuer = idOf(credential.issuer);
  if (!isUrl(issuer) || (isObject(credential.issuer) && Array.isArray(credential.issuer)))
    throw dataModelError('issuer', 'issuer must be a URL or an object whose id is a URL');
  checkSubjects(credential);
  checkText(credential, 'name');
  checkText(credential, 'description');
  const dates = checkValidityDates(credential);
  checkTypedObjects(credential, 'credentialStatus', false);
  checkTypedObjects(credential, 'credentialSchema', true);
  checkTypedObjects(credential, 'refreshService', false);
  checkTypedObjects(credential, 'termsOfUse', false);
  checkTypedObjects(credential, 'evidence', false);
  checkRelatedResources(credential);
  return dates;
}

/** Checks a presentation's MUSTs and those of each credential it holds. */
export function checkPresentationDataModel(presentation: unknown): void {
  if (!isObject(presentation)) throw dataModelError('type', 'a presentation must be a JSON object');
  checkContext(presentation);
  checkOptionalId(presentation, 'id', '');
  checkTypes(presentation, 'VerifiablePresentation');
  if ('holder' in presentation && !isUrl(idOf(presentation.holder)))
    throw dataModelError('holder', 'holder must be a URL or an object whose id is a URL');
  if ('verifiableCredential' in presentation) {
    const held = asList(presentation.verifiableCredential);
    // Each credential is verified in full: a presentation may not make a verifier do unbounded work.
    if (held.length > MAX_PRESENTED_CREDENTIALS)
      throw new CredentialError(
        'VC_TOO_LARGE',
        'size',
        `a presentation holds at most ${MAX_PRESENTED_CREDENTIALS} credentials`,
      );
    for (const credential of held) checkCredentialDataModel(credential);
  }
  checkTypedObjects(presentation, 'termsOfUse', false);
}
