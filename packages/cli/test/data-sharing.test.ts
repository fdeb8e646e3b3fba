import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readKeyFile } from '@pujiang/node';
import { addressOf, getAccessLog, getDataRequest, requestSigner, signatureHeaders } from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import {
  type Agencies,
  type DataService,
  errorCode,
  ok,
  startAgencies,
  startDataService,
} from './data-harness.js';
import { until } from './node-harness.js';

const DECLARATION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['enterprise', 'declarationNo', 'hsCode', 'valueCny'],
  properties: {
    enterprise: { type: 'string' },
    declarationNo: { type: 'string', pattern: '^[0-9]{18}$' },
    hsCode: { type: 'string' },
    valueCny: { type: 'number', minimum: 0 },
  },
};

/**
 * Trusted data sharing on an SM2 chain of four agencies (customs, tax, maritime, foreign
 * exchange) with two enterprises: customs publishes its declarations as restricted data and
 * its manifests on request, and serves them with `pujiang data serve` in its own process; the
 * shipper consents; tax asks, is granted by customs' policy once the consent verifies, and
 * fetches its record, leaving an access receipt. Refused: another signer, a consent not given
 * to the asker, whole restricted data, a request not granted, a revoked grant, a replayed
 * fetch, a revoked consent. The request on chain names neither the shipper nor the purpose;
 * customs, the auditor (foreign exchange) and the shipper open it. The audit proves it all
 * offline; a removed receipt or a changed record breaks it.
 */
describe('data: sharing a declaration record among agencies with consent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-data-'));
  const path = (name: string) => join(dir, name);
  let a: Agencies;
  let service: DataService | undefined;
  let taxRequest: string;
  const purpose = 'verify declared export value for the 2026 VAT refund';
  const legalBasis = 'PRC-Tax-Administration-Law-Art-6';
  /** An opaque list id: a status list names its issuer, so its id should not name it again. */
  const consentList = 'c7f3a1d2';

  const fetchAs = (node: number, request: string, reply: string, key: string) =>
    a.cli(node)(
      'data',
      'fetch',
      request,
      '--service',
      service!.url,
      '--reply-key',
      path(reply),
      '--key',
      key,
    );
  const ask = (node: number, dataset: string, reply: string, ...more: string[]) =>
    a.cli(node)(
      'data',
      'request',
      '--dataset',
      dataset,
      '--purpose',
      purpose,
      '--legal-basis',
      legalBasis,
      '--until',
      '7d',
      '--reply-key',
      path(reply),
      '--key',
      a.operators[node]!,
      ...more,
    );

  before(async () => {
    a = await startAgencies(dir);
  });
  after(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await a?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('customs publishes its declarations (restricted) and manifests (on request, by hand) and serves them', async () => {
    const [shipper, trader] = a.enterprises.map((e) => e.did);
    const publish = (file: string, fields: Record<string, unknown>) => {
      writeFileSync(
        path(file),
        JSON.stringify({
          steward: a.dids[0],
          legalBases: [legalBasis, 'PRC-Customs-Law-Art-45'],
          endpoint: 'http://127.0.0.1:1/',
          subjectField: 'enterprise',
          ...fields,
        }),
      );
      return a.cli(0)('data', 'catalog', 'publish', path(file), '--key', a.operators[0]!);
    };
    ok(
      await publish('declarations.json', {
        id: 'customs.declarations',
        title: 'Export declarations',
        classification: 'restricted',
        schema: DECLARATION_SCHEMA,
        policy: { auto: true, orgs: ['org1'], legalBases: [legalBasis], maxDurationMs: 30 * 86_400_000 },
      }),
    );
    ok(
      await publish('manifests.json', {
        id: 'customs.manifests',
        title: 'Vessel manifests',
        classification: 'request',
        schema: { type: 'object', required: ['enterprise', 'vessel'] },
      }),
    );
    const lines = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
    writeFileSync(
      path('declarations.jsonl'),
      lines([
        { enterprise: shipper, declarationNo: '222920261000123456', hsCode: '8504.40', valueCny: 1_250_000 },
        { enterprise: shipper, declarationNo: '222920261000123457', hsCode: '8541.43', valueCny: 380_500.5 },
        { enterprise: trader, declarationNo: '222920261000999999', hsCode: '0901.21', valueCny: 77_000 },
      ]),
    );
    writeFileSync(path('manifests.jsonl'), lines([{ enterprise: shipper, vessel: 'COSCO SHIPPING ARIES' }]));
    writeFileSync(
      path('customs-service.json'),
      JSON.stringify({
        node: a.apis[0],
        listen: '127.0.0.1:0',
        key: a.operators[0],
        agreementKey: 'customs-x.json',
        datasets: { 'customs.declarations': 'declarations.jsonl', 'customs.manifests': 'manifests.jsonl' },
        log: 'deliveries.jsonl',
      }),
    );
    service = await startDataService(path('customs-service.json'));
    const catalog = ok(await a.cli(1)('data', 'catalog'));
    assert.deepEqual(
      catalog.json.datasets.map((d: { id: string; org: string; classification: string }) => [
        d.id,
        d.org,
        d.classification,
      ]),
      [
        ['customs.declarations', 'org0', 'restricted'],
        ['customs.manifests', 'org0', 'request'],
      ],
    );
  });

  it('the shipper consents; tax asks, is granted by policy and fetches the record; the receipt is on chain', async () => {
    const shipper = a.enterprises[0]!;
    ok(
      await a.cli(2)(
        'data',
        'consent',
        'issue',
        '--subject-did',
        shipper.did,
        '--requester',
        a.dids[1]!,
        '--dataset',
        'customs.declarations',
        '--purpose',
        purpose,
        '--until',
        '30d',
        '--list',
        consentList,
        '--index',
        '0',
        '--key',
        shipper.key,
        '--out',
        path('consent.json'),
      ),
    );
    const requested = ok(
      await ask(
        1,
        'customs.declarations',
        'tax-reply.json',
        '--subject',
        shipper.did,
        '--requester-did',
        a.dids[1]!,
        '--consent',
        path('consent.json'),
      ),
    );
    taxRequest = requested.json.request;
    assert.equal(requested.json.granted, false, 'restricted data waits for the steward’s consent check');
    await until(() => getDataRequest(a.clients[0]!, taxRequest)); // on customs' node too
    const fetched = ok(await fetchAs(1, taxRequest, 'tax-reply.json', a.operators[1]!));
    assert.deepEqual(
      fetched.json.delivery.records.map((r: { declarationNo: string }) => r.declarationNo),
      ['222920261000123456', '222920261000123457'],
    );
    // Another agency's node has it once that node has the receipt's block.
    const request = await until(async () => {
      const r = await getDataRequest(a.clients[3]!, taxRequest);
      return r?.receipts === 1 ? r : undefined;
    });
    assert.deepEqual(
      [request!.status, request!.decidedBy, request!.receipts],
      ['granted', addressOf('sm3', readKeyFile(a.operators[0]!)), 1],
    );
    const log = await until(async () => {
      const l = await getAccessLog(a.clients[2]!, 'customs.declarations');
      return l.count === 1 ? l : undefined;
    });
    assert.equal(log.count, 1);
    assert.deepEqual(
      [log.receipts[0]!.request, log.receipts[0]!.digest, log.receipts[0]!.requester],
      [taxRequest, fetched.json.digest, addressOf('sm3', readKeyFile(a.operators[1]!))],
    );
  });

  it('the request on chain names neither subject nor purpose; customs, the auditor and the subject open it', async () => {
    const shown = ok(await a.cli(3)('data', 'show', taxRequest));
    const text = JSON.stringify(shown.json);
    for (const secret of [a.enterprises[0]!.did, purpose]) assert.ok(!text.includes(secret), secret);
    for (const [node, key] of [
      [0, 'customs-x.json'],
      [3, 'forex-x.json'],
      [2, 'shipper-x.json'],
    ] as const) {
      const opened = ok(await a.cli(node)('data', 'show', taxRequest, '--open', path(key)));
      assert.deepEqual(
        [opened.json.sealed.subject, opened.json.sealed.purpose],
        [a.enterprises[0]!.did, purpose],
      );
    }
    const outsider = await a.cli(2)('data', 'show', taxRequest, '--open', path('maritime-reply.json'));
    assert.equal(errorCode(outsider), 'DATA_NOT_RECIPIENT');
  });

  it('maritime is refused: with the tax request, with a consent not given to it, and for whole restricted data', async () => {
    const stolen = await fetchAs(2, taxRequest, 'maritime-reply.json', a.operators[2]!);
    assert.equal(errorCode(stolen), 'DATA_WRONG_SIGNER', stolen.err);
    const own = ok(
      await ask(
        2,
        'customs.declarations',
        'maritime-reply.json',
        '--subject',
        a.enterprises[0]!.did,
        '--requester-did',
        a.dids[2]!,
        '--consent',
        path('consent.json'),
      ),
    );
    // The request is committed on maritime's node; customs' service reads customs' node.
    const pendingOnCustoms = await until(() => getDataRequest(a.clients[0]!, own.json.request));
    assert.equal(pendingOnCustoms.status, 'pending');
    const refused = await fetchAs(2, own.json.request, 'maritime-reply.json', a.operators[2]!);
    assert.equal(errorCode(refused), 'DATA_CONSENT_INVALID', refused.err);
    const whole = await ask(2, 'customs.declarations', 'maritime-reply.json');
    assert.equal(whole.code, EXIT.invalid);
    assert.equal(whole.json.receipt.code, 'DATA_CONSENT_REQUIRED');
  });

  it('a request not granted is refused; granted by hand it is served once per signature; revoked, refused again', async () => {
    const asked = ok(await ask(2, 'customs.manifests', 'maritime-reply.json'));
    const request = asked.json.request;
    await until(() => getDataRequest(a.clients[0]!, request)); // on customs' node too
    const pending = await fetchAs(2, request, 'maritime-reply.json', a.operators[2]!);
    assert.equal(errorCode(pending), 'DATA_NOT_GRANTED', pending.err);
    ok(await a.cli(0)('data', 'grant', request, '--key', a.operators[0]!));
    // One signed fetch, sent twice: the second is a replay.
    const url = new URL('/v1/data/fetch', service!.url).toString();
    const body = JSON.stringify({ request });
    const signer = requestSigner(readKeyFile(a.operators[2]!), async () => 'sm3');
    const headers = {
      ...(await signatureHeaders(signer, 'POST', url, body)),
      'content-type': 'application/json',
    };
    const first = await fetch(url, { method: 'POST', headers, body });
    assert.equal(first.status, 200, await first.clone().text());
    const replay = await fetch(url, { method: 'POST', headers, body });
    assert.deepEqual(
      [replay.status, ((await replay.json()) as { error: { code: string } }).error.code],
      [401, 'API_SIGNATURE_REPLAYED'],
    );
    ok(
      await a.cli(0)('data', 'revoke', request, '--reason', 'investigation-closed', '--key', a.operators[0]!),
    );
    const revoked = await fetchAs(2, request, 'maritime-reply.json', a.operators[2]!);
    assert.equal(errorCode(revoked), 'DATA_GRANT_REVOKED', revoked.err);
    const record = await until(async () => {
      const r = await getDataRequest(a.clients[1]!, request);
      return r?.status === 'revoked' ? r : undefined;
    });
    assert.deepEqual(
      [record!.status, record!.receipts, record!.decidedBy === record!.revokedBy],
      ['revoked', 1, true],
    );
  });

  it('after the shipper revokes its consent, the same fetch is refused; nothing on chain ties the two', async () => {
    ok(await a.cli(2)('data', 'consent', 'revoke', path('consent.json'), '--key', a.enterprises[0]!.key));
    // The service reads customs' node: wait until it has the revocation, then fetch once.
    await until(async () => {
      const { result } = await a.clients[0]!.query('did', 'statusEntry', { list: consentList, index: '0' });
      return (result as { entry: { value: boolean } }).entry.value ? true : undefined;
    });
    const refused = await fetchAs(1, taxRequest, 'tax-reply.json', a.operators[1]!);
    assert.equal(errorCode(refused), 'DATA_CONSENT_REVOKED', refused.err);
    const request = await getDataRequest(a.clients[0]!, taxRequest);
    assert.deepEqual([request!.status, request!.receipts], ['granted', 1]);
  });

  it('the auditor proves every access offline; a removed receipt or a changed record breaks it', async () => {
    // Proofs commit to the block before their header: wait until the last change is provable.
    const seen = (await a.clients[0]!.getStatus()).height;
    await until(async () => ((await a.clients[0]!.getStatus()).height > seen + 1 ? true : undefined));
    const bundle = path('audit.json');
    const built = ok(
      await a.cli(3)(
        'data',
        'audit',
        '--dataset',
        'customs.declarations',
        '--genesis',
        a.genesisPath,
        '--open',
        path('forex-x.json'),
        '--auditor',
        a.dids[3]!,
        '--deliveries',
        path('deliveries.jsonl'),
        '--out',
        bundle,
      ),
    );
    const [declarations] = built.json.datasets;
    assert.deepEqual([built.json.scope, declarations.count, declarations.unchecked], ['datasets', 1, []]);
    const [access] = declarations.accesses;
    // Revoked since, the consent stood when the record was delivered.
    assert.deepEqual(
      [access.subject, access.purpose, access.consent, access.delivery.records],
      [a.enterprises[0]!.did, purpose, { issuer: a.enterprises[0]!.did, verified: true }, 2],
    );
    assert.deepEqual(
      [...new Set(declarations.checks.map((c: { check: string }) => c.check))],
      ['access-log', 'grant', 'sealed', 'consent', 'delivery'],
    );
    const verify = (file: string, ...more: string[]) =>
      a.cli()('data', 'audit', 'verify', file, '--genesis', a.genesisPath, ...more);
    const offline = ok(await verify(bundle, '--open', path('forex-x.json'), '--auditor', a.dids[3]!));
    assert.deepEqual(offline.json.datasets[0].accesses, declarations.accesses);
    const other = ok(
      await verify(bundle, '--open', path('forex-x.json'), '--subject', a.enterprises[1]!.did),
    );
    assert.deepEqual([other.json.datasets[0].count, other.json.datasets[0].accesses.length], [1, 0]);
    // The shipper audits every dataset of the catalog with its own key: its declaration record is
    // found; maritime's request for all manifests is not the shipper's to read (unopened, not failed).
    const subject = ok(
      await a.cli(2)(
        'data',
        'audit',
        '--genesis',
        a.genesisPath,
        '--open',
        path('shipper-x.json'),
        '--subject',
        a.enterprises[0]!.did,
        '--out',
        path('shipper-audit.json'),
      ),
    );
    assert.equal(subject.json.scope, 'catalog');
    assert.deepEqual(
      subject.json.datasets.map((d: { dataset: string; count: number; accesses: unknown[] }) => [
        d.dataset,
        d.count,
        d.accesses.length,
      ]),
      [
        ['customs.declarations', 1, 1],
        ['customs.manifests', 1, 0],
      ],
    );
    ok(
      await verify(
        path('shipper-audit.json'),
        '--open',
        path('shipper-x.json'),
        '--subject',
        a.enterprises[0]!.did,
      ),
    );

    const original = JSON.parse(readFileSync(bundle, 'utf8'));
    const tampered = (name: string, change: (b: any) => void) => {
      const copy = structuredClone(original);
      change(copy);
      writeFileSync(path(name), JSON.stringify(copy));
      return path(name);
    };
    const receiptHex = Buffer.from('rcpt/').toString('hex');
    const removed = await verify(
      tampered('no-receipt.json', (b) => {
        for (const q of b.queries)
          if (q.name === 'accessLog')
            q.response.reads = q.response.reads.filter((r: { key: string }) => !r.key.includes(receiptHex));
      }),
    );
    assert.equal(removed.code, EXIT.invalid);
    assert.equal(
      removed.json.datasets[0].checks.find((c: { verified: boolean }) => !c.verified).check,
      'access-log',
    );
    const changed = await verify(
      tampered('changed-record.json', (b) => {
        b.deliveries[0].delivery.records[0].valueCny = 1;
      }),
    );
    assert.equal(changed.code, EXIT.invalid);
    assert.deepEqual(
      changed.json.datasets[0].checks
        .filter((c: { verified: boolean }) => !c.verified)
        .map((c: { check: string }) => c.check),
      ['delivery'],
    );
  });
});
