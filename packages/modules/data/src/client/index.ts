// `@pujiang/module-data/client`: the data service center from an application (the SDK
// re-exports it): the catalog, requests with sealed terms, consent, grants, fetching a
// delivery, and the offline audit.
export type { ConsentTerms } from '../consent.js';
export { CONSENT_TYPE, checkConsentScope, consentCredential, memberUrn } from '../consent.js';
export type { RequestSecrets } from '../sealed-request.js';
export { openRequest } from '../sealed-request.js';
export { addAgreementKey, agreementKeyOf, agreementKeyOfDocument } from './agreement-keys.js';
export type { BuildAuditBundleParameters } from './audit.js';
export { buildAuditBundle, requestOpener } from './audit.js';
export type { DataSendParameters, DatasetFields } from './catalog.js';
export {
  compileRecordSchema,
  getAuditors,
  getCatalog,
  getDataset,
  registerDataset,
  updateDataset,
} from './catalog.js';
export type { IssueConsentParameters } from './consent.js';
export { issueConsent, revokeConsent } from './consent.js';
export type { FetchDataParameters, FetchDataReturnType } from './fetch.js';
export { fetchData } from './fetch.js';
export type { RequestDataParameters } from './requests.js';
export {
  auditorsAction,
  getAccessLog,
  getDataRequest,
  grantRequest,
  refuseRequest,
  requestData,
  revokeGrant,
} from './requests.js';
