import { decode, u32 } from '@pujiang/codec';
import { defineQuery } from '@pujiang/module-kit';
import { datasetCountKey, datasetIndexKey } from '../formats.js';
import { datasetJson, receiptJson, requestJson } from '../records-json.js';
import { AccessLogQuery, AuditorsQuery, CatalogQuery, DatasetQuery, RequestQuery } from '../schemas.js';
import { readAuditors } from './auditors.js';
import { readDataset, readDatasetVersion } from './catalog.js';
import { readReceipt, readReceiptCount } from './receipts.js';
import { readRequest } from './requests.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export const datasetQuery = defineQuery({
  ...DatasetQuery,
  run: (read, { id, version }) => {
    const d = version === undefined ? readDataset(read, id) : readDatasetVersion(read, id, version);
    return { dataset: d ? datasetJson(d) : null };
  },
});

export const catalogQuery = defineQuery({
  ...CatalogQuery,
  run: (read, { from = 0, limit = 100 }) => {
    const countBytes = read(datasetCountKey);
    const count = countBytes ? decode(u32, countBytes) : 0;
    const datasets = [];
    for (let seq = from; seq < Math.min(count, from + limit); seq++) {
      const id = read(datasetIndexKey(seq));
      const d = id && readDataset(read, text(id));
      if (d) datasets.push(datasetJson(d));
    }
    return { count, datasets };
  },
});

export const requestQuery = defineQuery({
  ...RequestQuery,
  run: (read, { id }) => {
    const r = readRequest(read, id);
    return { request: r ? requestJson(id, r) : null };
  },
});

export const accessLogQuery = defineQuery({
  ...AccessLogQuery,
  run: (read, { dataset, from = 0, limit = 100 }) => {
    const count = readReceiptCount(read, dataset);
    const receipts = [];
    for (let seq = from; seq < Math.min(count, from + limit); seq++) {
      const r = readReceipt(read, dataset, seq);
      if (r) receipts.push(receiptJson(dataset, r));
    }
    return { count, receipts };
  },
});

export const auditorsQuery = defineQuery({
  ...AuditorsQuery,
  run: (read) => ({ auditors: readAuditors(read) }),
});
