// `@pujiang/module-governance`: formats and query contracts (browser-safe). The chain module
// is `./chain`, client calls `./client`.

export * from './approvals.js';
export * from './evidence.js';
export * from './formats.js';
export * from './policies.js';
export { proposalJson } from './proposal-json.js';
export type { ProposalJson } from './schemas.js';
export {
  ConfigQuery,
  CrlQuery,
  IdentityQuery,
  IdentitySchema,
  OrganizationsQuery,
  PolicyQuery,
  PolicySchema,
  ProposalQuery,
  ProposalSchema,
  ProposalsQuery,
  ValidatorsQuery,
} from './schemas.js';
