import { defineMessage, defineModule } from '@pujiang/module-kit';
import { Accredit, TRUST_ROOTS_PARAM, WithdrawAccreditation } from '../accreditation-formats.js';
import { AnchorIssuance, CreateDid, DeactivateDid, DID_MODULE, UpdateDid } from '../formats.js';
import { CreateStatusList, SetStatus } from '../status-formats.js';
import {
  accredit,
  accreditationsQuery,
  checkTrustRoots,
  trustRootsQuery,
  withdrawAccreditation,
} from './accreditation.js';
import { didExports } from './exports.js';
import { anchorIssuance, createDid, deactivateDid, updateDid } from './operations.js';
import { issuanceQuery, resolveQuery } from './queries.js';
import { resolveRoute } from './resolve-route.js';
import { createStatusList, setStatus, statusEntryQuery, statusListQuery } from './status-lists.js';
import { statusRoutes } from './status-routes.js';
import { vcApiRoutes } from './vc-api.js';
import { parseVcNodeConfig } from './vc-config.js';

/**
 * Decentralized identifiers on chain: the `did:pujiang` method (docs/did-method.md). DIDs
 * are created, updated and deactivated by transactions of their controllers; every version
 * is kept, and resolution (W3C DID Resolution at `/1.0/identifiers/{did}`) can prove its
 * answer. Issuance anchors date credential proofs, so a rotated key cannot backdate one.
 */
export const did = defineModule({
  name: DID_MODULE,
  summary: 'Decentralized identifiers (did:pujiang): create, update, deactivate, resolve; issuance anchors',
  errors: {
    DID_ACCREDITATION_UNKNOWN: 'there is no such accreditation',
    DID_BAD_ACCREDITATION: 'an accreditation is malformed, or withdrawn already',
    DID_BAD_ANCHOR: 'an issuance anchor names no digest',
    DID_BAD_TRUST_ROOTS: 'the trustRoots parameter is malformed',
    DID_BAD_DID: 'not a did:pujiang DID of this chain',
    DID_BAD_DOCUMENT: 'a DID document is malformed',
    DID_BAD_KEY: 'a verification method key is malformed or of an unsupported type',
    DID_BAD_QUERY: 'a query parameter is malformed',
    DID_BAD_STATUS_LIST: 'a status list id, size or update is malformed',
    DID_DEACTIVATED: 'the DID is deactivated and cannot change',
    DID_EXISTS: 'the DID exists',
    DID_NOT_ACCREDITOR: 'the accreditor is neither a recognised root nor an accreditation body in force',
    DID_NOT_AUTHORIZED: 'the sender may not create or change this DID',
    DID_NOT_FOUND: 'there is no such DID',
    DID_STATUS_IRREVERSIBLE: 'a revocation cannot be undone',
    DID_STATUS_LIST_EXISTS: 'a status list with that id exists',
    DID_STATUS_LIST_UNKNOWN: 'there is no such status list',
    DID_STATUS_RANGE: "an index is past the list's end",
    DID_TOO_MANY_ACCREDITATIONS: 'a subject holds 64 accreditations at most',
    DID_VERSION_CONFLICT: 'the DID is not at the version the message names',
  },
  events: {
    created: ['did', 'registrar'],
    updated: ['did', 'version'],
    deactivated: ['did', 'version'],
    anchored: ['count', 'sender'],
    statusListCreated: ['list', 'issuer', 'purpose'],
    statusSet: ['list', 'count'],
    accredited: ['id', 'accreditor', 'subject', 'role'],
    accreditationWithdrawn: ['id', 'subject'],
  },
  imports: { governance: ['identityOf'] },
  exports: didExports,
  messages: {
    create: defineMessage(CreateDid, createDid),
    update: defineMessage(UpdateDid, updateDid),
    deactivate: defineMessage(DeactivateDid, deactivateDid),
    anchor: defineMessage(AnchorIssuance, anchorIssuance),
    createStatusList: defineMessage(CreateStatusList, createStatusList),
    setStatus: defineMessage(SetStatus, setStatus),
    accredit: defineMessage(Accredit, accredit),
    withdrawAccreditation: defineMessage(WithdrawAccreditation, withdrawAccreditation),
  },
  queries: {
    resolve: resolveQuery,
    issuance: issuanceQuery,
    statusEntry: statusEntryQuery,
    statusList: statusListQuery,
    accreditations: accreditationsQuery,
    trustRoots: trustRootsQuery,
  },
  // Governance recognises (and withdraws) jurisdictions' root authorities by proposal: setModuleParam did trustRoots.
  params: { [TRUST_ROOTS_PARAM]: checkTrustRoots },
  routes: [resolveRoute, ...vcApiRoutes, ...statusRoutes],
  nodeConfig: (section, node) => parseVcNodeConfig(section, node),
});
