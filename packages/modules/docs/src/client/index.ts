// `@pujiang/module-docs/client`: electronic documents and licences from an application (the SDK re-exports it).
export type { IssueDocumentParameters, IssueDocumentReturnType } from './issue.js';
export { issueDocument } from './issue.js';
export type { DocsSendParameters } from './registry.js';
export {
  amendDocument,
  getDocument,
  getDocumentHolders,
  registerDocument,
  setDocumentStatus,
  surrenderDocument,
  transferDocument,
} from './registry.js';
export { verifiedDocsLookup, verifyDocument } from './verify.js';
