import { defineMessage, defineModule } from '@pujiang/module-kit';
import { DATA_ERRORS } from '../errors.js';
import {
  AUDITORS_PARAM,
  DATA_MODULE,
  Grant,
  Receipt,
  Refuse,
  RegisterDataset,
  RequestData,
  RevokeGrant,
  UpdateDataset,
} from '../formats.js';
import { checkAuditors } from './auditors.js';
import { registerDataset, updateDataset } from './catalog.js';
import { accessLogQuery, auditorsQuery, catalogQuery, datasetQuery, requestQuery } from './queries.js';
import { receipt } from './receipts.js';
import { grant, refuse, requestData, revokeGrant } from './requests.js';

/**
 * The government trusted data service center's chain side: the data catalog (every version
 * kept), requests with their grants (by a policy on chain, or by the steward), and access
 * receipts numbered per dataset. The data itself is served off chain by each agency's data
 * service (`pujiang data serve`), encrypted to the requester.
 */
export const data = defineModule({
  name: DATA_MODULE,
  summary: 'Trusted data sharing: a catalog of datasets, requests and grants, access receipts',
  errors: DATA_ERRORS,
  events: {
    datasetRegistered: ['dataset', 'org', 'steward', 'classification'],
    datasetUpdated: ['dataset', 'version', 'schemaChanged'],
    requested: ['request', 'dataset', 'requester', 'scope'],
    granted: ['request', 'dataset', 'by', 'until'],
    refused: ['request', 'dataset', 'reason'],
    revoked: ['request', 'dataset', 'reason'],
    accessed: ['dataset', 'request', 'seq', 'requester'],
  },
  messages: {
    registerDataset: defineMessage(RegisterDataset, registerDataset),
    updateDataset: defineMessage(UpdateDataset, updateDataset),
    request: defineMessage(RequestData, requestData),
    grant: defineMessage(Grant, grant),
    refuse: defineMessage(Refuse, refuse),
    revokeGrant: defineMessage(RevokeGrant, revokeGrant),
    receipt: defineMessage(Receipt, receipt),
  },
  imports: { governance: ['identityOf'], did: ['actsFor'] },
  queries: {
    dataset: datasetQuery,
    catalog: catalogQuery,
    request: requestQuery,
    accessLog: accessLogQuery,
    auditors: auditorsQuery,
  },
  // Governance names the auditors every request is sealed to: setModuleParam data auditors.
  params: { [AUDITORS_PARAM]: checkAuditors },
});
