import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@pujiang/codec';
import { moduleError } from '@pujiang/module-kit';
import { testChain } from '@pujiang/module-kit/testing';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { checkAuditors } from '../src/chain/auditors.js';
import { data } from '../src/chain/index.js';
import { Auditors, type RegisterDataset, type RequestData } from '../src/formats.js';

/**
 * The data module's handlers over an in-memory state; who acts for which DID and who is a
 * member of which organization are played by small fakes. Real processes are exercised in
 * packages/cli/test/data-sharing.test.ts.
 */
const CUSTOMS = 'did:pujiang:test:Customs1111111111111111';
const TAX = 'did:pujiang:test:Tax111111111111111111111';
const addr = (n: number) => n.toString(16).padStart(42, '0');
const [customs, tax, maritime, stranger] = [1, 2, 3, 4].map(addr) as [string, string, string, string];
const ORGS: Record<string, string> = { [customs]: 'customs', [tax]: 'tax', [maritime]: 'maritime' };
const DAY = 86_400_000n;

function chain() {
  return testChain({
    module: data,
    call: (sender, module, name, args) => {
      if (module === 'did' && name === 'actsFor') {
        const mine = (args.did === CUSTOMS && sender === customs) || (args.did === TAX && sender === tax);
        if (!mine) throw moduleError('DID_NOT_AUTHORIZED', 'not a controller');
        return true;
      }
      if (module === 'governance' && name === 'identityOf')
        return ORGS[args.address as string]
          ? { org: ORGS[args.address as string], role: 'client', valid: true }
          : null;
      throw new Error(`unexpected call ${module}/${name}`);
    },
  });
}

const dataset = (over: Partial<RegisterDataset> = {}): RegisterDataset => ({
  id: 'customs.declarations',
  title: 'Export declarations',
  steward: CUSTOMS,
  classification: 'request',
  legalBases: ['Law-A', 'Law-B'],
  endpoint: 'https://customs.example/data',
  schema: JSON.stringify({ type: 'object', required: ['enterprise'] }),
  subjectField: 'enterprise',
  policy: { auto: true, orgs: ['tax'], legalBases: ['Law-A'], maxDurationMs: 30n * DAY },
  ...over,
});

const tag = (n: number) => new Uint8Array(32).fill(n);
const ask = (c: ReturnType<typeof chain>, over: Partial<RequestData> = {}): RequestData => ({
  dataset: 'customs.declarations',
  requesterDid: '',
  scope: 'record',
  legalBasis: 'Law-A',
  subjectTag: tag(1),
  purposeTag: tag(2),
  consent: false,
  validUntil: c.last.time + 7n * DAY,
  replyKey: tag(3),
  sealed: new Uint8Array(200),
  ...over,
});

const datasetOf = (c: ReturnType<typeof chain>, version?: number) =>
  data.queries!.dataset!.run(c.read, { id: 'customs.declarations', ...(version ? { version } : {}) }) as {
    dataset: { version: number; title: string; schema: string } | null;
  };
const requestOf = (c: ReturnType<typeof chain>, id: string) =>
  (
    data.queries!.request!.run(c.read, { id }) as {
      request: { status: string; receipts: number; decidedBy: string };
    }
  ).request;
const logOf = (c: ReturnType<typeof chain>) =>
  data.queries!.accessLog!.run(c.read, { dataset: 'customs.declarations' }) as {
    count: number;
    receipts: { seq: number }[];
  };

describe('the data catalog', () => {
  it('publishes a dataset for a steward the sender acts for, once; checks schema and policy', () => {
    const c = chain();
    assert.equal(c.send(tax, 'registerDataset', dataset()), 'DATA_NOT_STEWARD');
    assert.equal(c.send(stranger, 'registerDataset', dataset()), 'DATA_NOT_MEMBER');
    assert.equal(c.send(customs, 'registerDataset', dataset({ schema: '{not json' })), 'DATA_BAD_SCHEMA');
    assert.equal(c.send(customs, 'registerDataset', dataset({ schema: '[1]' })), 'DATA_BAD_SCHEMA');
    assert.equal(c.send(customs, 'registerDataset', dataset({ id: 'Bad Id' })), 'DATA_BAD_DATASET');
    assert.equal(c.send(customs, 'registerDataset', dataset({ endpoint: 'ftp://x' })), 'DATA_BAD_DATASET');
    assert.equal(c.send(customs, 'registerDataset', dataset({ legalBases: [] })), 'DATA_BAD_DATASET');
    assert.equal(
      c.send(
        customs,
        'registerDataset',
        dataset({ policy: { auto: true, orgs: [], legalBases: ['Law-Z'], maxDurationMs: DAY } }),
      ),
      'DATA_BAD_POLICY',
    );
    assert.equal(
      c.send(
        customs,
        'registerDataset',
        dataset({ policy: { auto: true, orgs: [], legalBases: ['Law-A'], maxDurationMs: 0n } }),
      ),
      'DATA_BAD_POLICY',
    );
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'DATA_EXISTS');
    const catalog = data.queries!.catalog!.run(c.read, {}) as {
      count: number;
      datasets: { id: string; org: string }[];
    };
    assert.deepEqual(
      [catalog.count, catalog.datasets[0]!.id, catalog.datasets[0]!.org],
      [1, 'customs.declarations', 'customs'],
    );
  });

  it('versions a dataset: every version stays readable and a schema change is recorded', () => {
    const c = chain();
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    const next = {
      ...dataset({ schema: JSON.stringify({ type: 'object', required: ['enterprise', 'hsCode'] }) }),
      version: 1,
    };
    assert.equal(c.send(customs, 'updateDataset', { ...next, version: 2 }), 'DATA_VERSION_CONFLICT');
    assert.equal(c.send(tax, 'updateDataset', next), 'DATA_NOT_STEWARD');
    assert.equal(c.send(customs, 'updateDataset', { ...next, steward: TAX }), 'DATA_NOT_STEWARD');
    assert.equal(c.send(customs, 'updateDataset', next), 'OK');
    assert.equal(datasetOf(c)!.dataset!.version, 2);
    assert.match(datasetOf(c, 1).dataset!.schema, /"required":\["enterprise"\]/);
    assert.match(datasetOf(c, 2).dataset!.schema, /hsCode/);
    assert.deepEqual(c.events.at(-1), {
      type: 'datasetUpdated',
      attributes: { dataset: 'customs.declarations', version: '2', schemaChanged: 'true' },
    });
  });
});

describe('requests and grants', () => {
  it('grants on chain what the policy covers; leaves the rest to the steward', () => {
    const c = chain();
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    assert.equal(c.send(tax, 'request', ask(c)), 'OK');
    const byPolicy = c.last.txHash;
    assert.deepEqual(
      [requestOf(c, byPolicy).status, requestOf(c, byPolicy).decidedBy],
      ['granted', 'policy'],
    );
    // Another organization, another legal basis, or longer than the policy grants: pending.
    assert.equal(c.send(maritime, 'request', ask(c)), 'OK');
    assert.equal(requestOf(c, c.last.txHash).status, 'pending');
    assert.equal(c.send(tax, 'request', ask(c, { legalBasis: 'Law-B' })), 'OK');
    assert.equal(requestOf(c, c.last.txHash).status, 'pending');
    assert.equal(c.send(tax, 'request', ask(c, { validUntil: c.last.time + 60n * DAY })), 'OK');
    assert.equal(requestOf(c, c.last.txHash).status, 'pending');
    // Refused outright: an unlisted legal basis, a bad shape, a period past two years, a DID not the sender's.
    assert.equal(c.send(tax, 'request', ask(c, { legalBasis: 'Law-Z' })), 'DATA_LEGAL_BASIS');
    assert.equal(c.send(tax, 'request', ask(c, { subjectTag: tag(0) })), 'DATA_BAD_REQUEST');
    assert.equal(c.send(tax, 'request', ask(c, { scope: 'dataset' })), 'DATA_BAD_REQUEST');
    assert.equal(c.send(tax, 'request', ask(c, { purposeTag: tag(0) })), 'DATA_BAD_REQUEST');
    assert.equal(c.send(tax, 'request', ask(c, { sealed: new Uint8Array(10) })), 'DATA_BAD_REQUEST');
    assert.equal(c.send(tax, 'request', ask(c, { validUntil: c.last.time + 800n * DAY })), 'DATA_BAD_PERIOD');
    assert.equal(c.send(tax, 'request', ask(c, { validUntil: 1n })), 'DATA_BAD_PERIOD');
    assert.equal(c.send(tax, 'request', ask(c, { requesterDid: CUSTOMS })), 'DATA_NOT_AUTHORIZED');
    assert.equal(c.send(tax, 'request', ask(c, { requesterDid: TAX })), 'OK');
    assert.equal(c.send(stranger, 'request', ask(c)), 'DATA_NOT_MEMBER');
    assert.equal(c.send(tax, 'request', ask(c, { dataset: 'nope' })), 'DATA_UNKNOWN');
  });

  it('public data is granted to any member; restricted data needs consent, one subject at a time', () => {
    const c = chain();
    assert.equal(
      c.send(customs, 'registerDataset', dataset({ id: 'customs.tariffs', classification: 'public' })),
      'OK',
    );
    assert.equal(
      c.send(
        maritime,
        'request',
        ask(c, { dataset: 'customs.tariffs', scope: 'dataset', subjectTag: tag(0) }),
      ),
      'OK',
    );
    assert.equal(requestOf(c, c.last.txHash).status, 'granted');
    assert.equal(c.send(customs, 'registerDataset', dataset({ classification: 'restricted' })), 'OK');
    assert.equal(c.send(tax, 'request', ask(c)), 'DATA_CONSENT_REQUIRED');
    assert.equal(
      c.send(tax, 'request', ask(c, { scope: 'dataset', subjectTag: tag(0), consent: true })),
      'DATA_CONSENT_REQUIRED',
    );
    assert.equal(c.send(tax, 'request', ask(c, { consent: true })), 'OK');
    // The chain cannot check a credential: the steward's data service grants once it verified.
    assert.equal(requestOf(c, c.last.txHash).status, 'pending');
  });

  it('the steward grants, refuses and revokes; the requester may give a grant up', () => {
    const c = chain();
    assert.equal(
      c.send(
        customs,
        'registerDataset',
        dataset({ policy: { auto: false, orgs: [], legalBases: [], maxDurationMs: 0n } }),
      ),
      'OK',
    );
    assert.equal(c.send(tax, 'request', ask(c)), 'OK');
    const id = c.last.txHash;
    const request = hexToBytes(id);
    assert.equal(requestOf(c, id).status, 'pending');
    assert.equal(c.send(tax, 'grant', { request, validUntil: c.last.time + DAY }), 'DATA_NOT_STEWARD');
    assert.equal(
      c.send(customs, 'grant', { request, validUntil: c.last.time + 8n * DAY }),
      'DATA_BAD_PERIOD',
    );
    assert.equal(c.send(customs, 'grant', { request, validUntil: c.last.time + DAY }), 'OK');
    assert.equal(c.send(customs, 'grant', { request, validUntil: c.last.time + DAY }), 'DATA_NOT_PENDING');
    assert.equal(c.send(customs, 'refuse', { request, reason: 'late' }), 'DATA_NOT_PENDING');
    assert.equal(c.send(maritime, 'revokeGrant', { request, reason: 'mine' }), 'DATA_NOT_STEWARD');
    assert.equal(c.send(tax, 'revokeGrant', { request, reason: 'no-longer-needed' }), 'OK');
    assert.equal(c.send(customs, 'revokeGrant', { request, reason: 'again' }), 'DATA_NOT_GRANTED');
    assert.equal(c.send(tax, 'request', ask(c)), 'OK');
    const refused = c.last.txHash;
    assert.equal(
      c.send(customs, 'refuse', { request: hexToBytes(refused), reason: 'no legal ground' }),
      'OK',
    );
    assert.equal(requestOf(c, refused).status, 'refused');
    assert.equal(
      c.send(customs, 'grant', { request: tag(9), validUntil: c.last.time + DAY }),
      'DATA_UNKNOWN',
    );
  });
});

describe('access receipts', () => {
  it('numbers deliveries per dataset under a live grant only: not pending, expired or revoked', () => {
    const c = chain();
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    assert.equal(c.send(maritime, 'request', ask(c)), 'OK');
    const pending = hexToBytes(c.last.txHash);
    assert.equal(c.send(tax, 'request', ask(c, { validUntil: c.last.time + DAY })), 'OK');
    const id = c.last.txHash;
    const receipt = (request: Uint8Array) => ({ request, digest: tag(7), bytes: 100 });
    assert.equal(c.send(customs, 'receipt', receipt(pending)), 'DATA_NOT_GRANTED');
    assert.equal(c.send(tax, 'receipt', receipt(hexToBytes(id))), 'DATA_NOT_STEWARD');
    assert.equal(c.send(customs, 'receipt', receipt(hexToBytes(id))), 'OK');
    assert.equal(c.send(customs, 'receipt', receipt(hexToBytes(id))), 'OK');
    assert.deepEqual(
      logOf(c).receipts.map((r) => r.seq),
      [0, 1],
    );
    assert.equal(requestOf(c, id).receipts, 2);
    c.advance(DAY);
    assert.equal(c.send(customs, 'receipt', receipt(hexToBytes(id))), 'DATA_GRANT_EXPIRED');
    assert.equal(c.send(tax, 'request', ask(c)), 'OK');
    const second = hexToBytes(c.last.txHash);
    assert.equal(c.send(customs, 'revokeGrant', { request: second, reason: 'consent-revoked' }), 'OK');
    assert.equal(c.send(customs, 'receipt', receipt(second)), 'DATA_GRANT_REVOKED');
    assert.equal(logOf(c).count, 2);
    assert.equal(bytesToHex(tag(7)), (logOf(c).receipts[1] as unknown as { digest: string }).digest);
  });
});

describe('reclassification', () => {
  it('a dataset made restricted stops serving grants made before without consent', () => {
    const c = chain();
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    assert.equal(c.send(tax, 'request', ask(c, { scope: 'dataset', subjectTag: tag(0) })), 'OK');
    const whole = hexToBytes(c.last.txHash);
    assert.equal(c.send(customs, 'receipt', { request: whole, digest: tag(7), bytes: 1 }), 'OK');
    assert.equal(
      c.send(customs, 'updateDataset', { ...dataset({ classification: 'restricted' }), version: 1 }),
      'OK',
    );
    assert.equal(
      c.send(customs, 'receipt', { request: whole, digest: tag(7), bytes: 1 }),
      'DATA_CONSENT_REQUIRED',
    );
  });

  it('a revocation keeps who granted and when, and says who revoked', () => {
    const c = chain();
    assert.equal(c.send(customs, 'registerDataset', dataset()), 'OK');
    assert.equal(c.send(tax, 'request', ask(c)), 'OK');
    const id = c.last.txHash;
    assert.equal(c.send(customs, 'revokeGrant', { request: hexToBytes(id), reason: 'closed' }), 'OK');
    const r = data.queries!.request!.run(c.read, { id }) as {
      request: { decidedBy: string; revokedBy: string; revokedAt: string; reason: string };
    };
    assert.deepEqual(
      [r.request.decidedBy, r.request.revokedBy, r.request.revokedAt, r.request.reason],
      ['policy', customs, String(c.last.time), 'closed'],
    );
  });
});

describe('the auditors parameter', () => {
  it('takes distinct DIDs only', () => {
    checkAuditors(encode(Auditors, [CUSTOMS, TAX]));
    for (const bad of [
      encode(Auditors, [CUSTOMS, CUSTOMS]),
      encode(Auditors, ['not a did']),
      new Uint8Array([9, 9]),
    ])
      assert.throws(
        () => checkAuditors(bad),
        (e: { code?: string }) => e.code === 'DATA_BAD_AUDITORS',
      );
  });
});
