import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths, initLocalNetwork, readKeyFile } from '@pujiang/node';
import {
  addressOf,
  auditorsAction,
  finalizeProposal,
  getAccessLog,
  getDataRequest,
  type KeyPair,
  PujiangClient,
  submitProposal,
  TransactionFailedError,
  voteOnProposal,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { cliJson } from './cli-json.js';
import { FAST_CONFIG, MAIN, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { registerClient } from './run-in-process.js';
import { freeBase } from './up-harness.js';

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/** `pujiang data serve` as its own process; resolves once it prints where it listens. */
function startDataService(config: string): Promise<Service> {
  const child = spawn(process.execPath, [MAIN, 'data', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.includes('"serving"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url, exited });
    });
    void exited.then((code) => reject(new Error(`data serve exited (${code}): ${err}`)));
  });
}

async function codeOf(
  sent: Promise<{ result: { receipt?: { code: string } } }>,
): Promise<string | undefined> {
  try {
    return (await sent).result.receipt?.code;
  } catch (error) {
    if (error instanceof TransactionFailedError) return error.receipt.code;
    throw error;
  }
}

/** The typed code a failed command printed (`error CODE: ...` on stderr, exit 2). */
const errorCode = (r: { code: number; err: string }) => /error ([A-Z0-9_]+)/.exec(r.err)?.[1];

/**
 * Trusted data sharing on an SM2 chain of four agencies (customs, tax, maritime, foreign
 * exchange) with two enterprises: customs publishes its declarations as restricted data and
 * serves them with `pujiang data serve`; an enterprise consents; the tax agency asks, is
 * granted by customs' policy once the consent verifies, and fetches its record, leaving an
 * access receipt; a revoked consent, a third agency and a wrong key are refused; the request
 * on chain names neither the enterprise nor the purpose, which only customs, the auditor
 * (foreign exchange) and the enterprise can open.
 */
describe('data: sharing a declaration record among agencies with consent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-data-'));
  const path = (name: string) => join(dir, name);
  let nodes: NodeProcess[] = [];
  let apis: string[] = [];
  let clients: PujiangClient[] = [];
  let operators: string[] = [];
  let genesisPath: string;
  let service: Service | undefined;
  /** customs, tax, maritime, forex: each agency's DID (its operator's key). */
  const dids: string[] = [];
  const enterprises: { key: string; did: string }[] = [];
  let taxRequest: string;
  const purpose = 'verify declared export value for the 2026 VAT refund';
  const legalBasis = 'PRC-Tax-Administration-Law-Art-6';

  const cli = (node = 0) => cliJson(apis[node]);
  const operatorKey = (i: number): KeyPair => readKeyFile(operators[i]!);
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, checked field by field
  const ok = <R extends { code: number; err: string; out: string; json: any }>(r: R) => {
    assert.equal(r.code, EXIT.ok, `${r.err}\n${r.out}`);
    return r;
  };

  before(async () => {
    const base = await freeBase(4);
    const network = initLocalNetwork({
      dir,
      nodes: 4,
      basePort: base,
      suite: 'sm2',
      emptyBlockIntervalMs: 0,
    });
    const homes = network.nodes.map((n) => n.home);
    for (const home of homes) {
      const file = join(home, 'config.json');
      writeFileSync(
        file,
        JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), timeouts: FAST_CONFIG.timeouts }),
      );
    }
    nodes = await Promise.all(homes.map((home) => startNodeProcess(home)));
    apis = nodes.map((n) => n.api);
    clients = apis.map((api) => new PujiangClient(api));
    operators = homes.map((home) => homePaths(home).operatorKey);
    genesisPath = homePaths(homes[0]!).genesis;
    await until(async () => {
      const peers = await Promise.all(clients.map(async (c) => (await c.getStatus()).peers));
      return peers.every((p) => p === 3) ? true : undefined;
    });
    for (let i = 0; i < 4; i++) {
      const created = ok(await cli(i)('did', 'create', '--key', operators[i]!));
      dids.push(created.json.did);
    }
    // Two enterprises, members of the maritime agency's and the tax agency's organizations.
    for (const [i, name] of [
      [2, 'shipper'],
      [1, 'trader'],
    ] as const) {
      const key = await registerClient(homes[i]!, apis[i]!, dir, 'sm2', name);
      const created = ok(await cli(i)('did', 'create', '--key', key));
      enterprises.push({ key, did: created.json.did });
    }
    // Key-agreement keys: customs (steward), foreign exchange (auditor), the shipper (a subject).
    ok(
      await cli(0)(
        'data',
        'keygen',
        '--out',
        path('customs-x.json'),
        '--did',
        dids[0]!,
        '--key',
        operators[0]!,
      ),
    );
    ok(
      await cli(3)(
        'data',
        'keygen',
        '--out',
        path('forex-x.json'),
        '--did',
        dids[3]!,
        '--key',
        operators[3]!,
      ),
    );
    ok(
      await cli(2)(
        'data',
        'keygen',
        '--out',
        path('shipper-x.json'),
        '--did',
        enterprises[0]!.did,
        '--key',
        enterprises[0]!.key,
      ),
    );
    for (const name of ['tax', 'maritime'])
      ok(await cli()('data', 'keygen', '--out', path(`${name}-reply.json`)));
    // The consortium names the foreign-exchange agency auditor: three organizations of four vote.
    const proposed = await submitProposal(clients[0]!, {
      key: operatorKey(0),
      wait: true,
      title: 'forex audits data sharing',
      action: auditorsAction([dids[3]!]),
    });
    const id = proposed.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
    for (const i of [1, 2])
      assert.equal(
        await codeOf(voteOnProposal(clients[i]!, { key: operatorKey(i), wait: true, id, approve: true })),
        'OK',
      );
    await until(async () =>
      (await codeOf(finalizeProposal(clients[0]!, { key: operatorKey(0), wait: true, id }))) === 'OK'
        ? true
        : undefined,
    );
  });

  after(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    for (const node of nodes)
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
    rmSync(dir, { recursive: true, force: true });
  });

  it('customs publishes its declarations (restricted: consent, tax under its policy) and serves them', async () => {
    const schema = {
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
    writeFileSync(
      path('declarations.json'),
      JSON.stringify({
        id: 'customs.declarations',
        title: 'Export declarations',
        steward: dids[0],
        classification: 'restricted',
        legalBases: [legalBasis, 'PRC-Customs-Law-Art-45'],
        endpoint: 'http://127.0.0.1:1/',
        schema,
        subjectField: 'enterprise',
        policy: { auto: true, orgs: ['org1'], legalBases: [legalBasis], maxDurationMs: 30 * 86_400_000 },
      }),
    );
    ok(await cli(0)('data', 'catalog', 'publish', path('declarations.json'), '--key', operators[0]!));
    const [shipper, trader] = enterprises.map((e) => e.did);
    writeFileSync(
      path('declarations.jsonl'),
      [
        { enterprise: shipper, declarationNo: '222920261000123456', hsCode: '8504.40', valueCny: 1_250_000 },
        { enterprise: shipper, declarationNo: '222920261000123457', hsCode: '8541.43', valueCny: 380_500.5 },
        { enterprise: trader, declarationNo: '222920261000999999', hsCode: '0901.21', valueCny: 77_000 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    writeFileSync(
      path('customs-service.json'),
      JSON.stringify({
        node: apis[0],
        listen: '127.0.0.1:0',
        key: operators[0],
        agreementKey: 'customs-x.json',
        datasets: { 'customs.declarations': 'declarations.jsonl' },
        log: 'deliveries.jsonl',
      }),
    );
    service = await startDataService(path('customs-service.json'));
    const catalog = ok(await cli(1)('data', 'catalog'));
    assert.equal(catalog.json.count, 1);
    assert.deepEqual(
      [
        catalog.json.datasets[0].org,
        catalog.json.datasets[0].classification,
        catalog.json.datasets[0].version,
      ],
      ['org0', 'restricted', 1],
    );
  });

  it('the shipper consents; tax asks, is granted by policy and fetches the record; the receipt is on chain', async () => {
    ok(
      await cli(2)(
        'data',
        'consent',
        'issue',
        '--subject-did',
        enterprises[0]!.did,
        '--requester',
        dids[1]!,
        '--dataset',
        'customs.declarations',
        '--purpose',
        purpose,
        '--until',
        '30d',
        '--list',
        'shipper-consents',
        '--index',
        '0',
        '--key',
        enterprises[0]!.key,
        '--out',
        path('consent.json'),
      ),
    );
    const requested = ok(
      await cli(1)(
        'data',
        'request',
        '--dataset',
        'customs.declarations',
        '--subject',
        enterprises[0]!.did,
        '--subject-did',
        enterprises[0]!.did,
        '--requester-did',
        dids[1]!,
        '--purpose',
        purpose,
        '--legal-basis',
        legalBasis,
        '--until',
        '7d',
        '--consent',
        path('consent.json'),
        '--reply-key',
        path('tax-reply.json'),
        '--key',
        operators[1]!,
      ),
    );
    taxRequest = requested.json.request;
    assert.equal(requested.json.granted, false, 'restricted data waits for the steward’s consent check');
    const fetched = ok(
      await cli(1)(
        'data',
        'fetch',
        taxRequest,
        '--service',
        service!.url,
        '--reply-key',
        path('tax-reply.json'),
        '--key',
        operators[1]!,
      ),
    );
    assert.deepEqual(
      fetched.json.delivery.records.map((r: { declarationNo: string }) => r.declarationNo),
      ['222920261000123456', '222920261000123457'],
    );
    const request = await getDataRequest(clients[3]!, taxRequest);
    assert.deepEqual(
      [request!.status, request!.decidedBy, request!.receipts],
      ['granted', addressOf('sm3', operatorKey(0)), 1],
    );
    const log = await getAccessLog(clients[2]!, 'customs.declarations');
    assert.equal(log.count, 1);
    assert.deepEqual(
      [log.receipts[0]!.request, log.receipts[0]!.digest, log.receipts[0]!.requester],
      [taxRequest, fetched.json.digest, addressOf('sm3', operatorKey(1))],
    );
  });

  it('the request on chain names neither subject nor purpose; customs, the auditor and the subject open it', async () => {
    const shown = ok(await cli(3)('data', 'show', taxRequest));
    const text = JSON.stringify(shown.json);
    for (const secret of [enterprises[0]!.did, purpose, 'shipper-consents'])
      assert.ok(!text.includes(secret), secret);
    for (const [node, key] of [
      [0, 'customs-x.json'],
      [3, 'forex-x.json'],
      [2, 'shipper-x.json'],
    ] as const) {
      const opened = ok(await cli(node)('data', 'show', taxRequest, '--open', path(key)));
      assert.deepEqual(
        [opened.json.sealed.subject, opened.json.sealed.purpose],
        [enterprises[0]!.did, purpose],
      );
    }
    const outsider = await cli(2)('data', 'show', taxRequest, '--open', path('maritime-reply.json'));
    assert.equal(errorCode(outsider), 'DATA_SEAL_MISMATCH');
  });

  it('a third agency is refused: with the tax request, and with a consent not given to it', async () => {
    const stolen = await cli(2)(
      'data',
      'fetch',
      taxRequest,
      '--service',
      service!.url,
      '--reply-key',
      path('maritime-reply.json'),
      '--key',
      operators[2]!,
    );
    assert.equal(errorCode(stolen), 'DATA_WRONG_SIGNER', stolen.err);
    const own = ok(
      await cli(2)(
        'data',
        'request',
        '--dataset',
        'customs.declarations',
        '--subject',
        enterprises[0]!.did,
        '--requester-did',
        dids[2]!,
        '--purpose',
        purpose,
        '--legal-basis',
        legalBasis,
        '--until',
        '7d',
        '--consent',
        path('consent.json'),
        '--reply-key',
        path('maritime-reply.json'),
        '--key',
        operators[2]!,
      ),
    );
    const refused = await cli(2)(
      'data',
      'fetch',
      own.json.request,
      '--service',
      service!.url,
      '--reply-key',
      path('maritime-reply.json'),
      '--key',
      operators[2]!,
    );
    assert.equal(errorCode(refused), 'DATA_CONSENT_INVALID', refused.err);
    assert.equal((await getDataRequest(clients[0]!, own.json.request))!.status, 'pending');
    // Restricted data is never asked for whole, nor without consent.
    const whole = await cli(2)(
      'data',
      'request',
      '--dataset',
      'customs.declarations',
      '--purpose',
      purpose,
      '--legal-basis',
      legalBasis,
      '--until',
      '7d',
      '--reply-key',
      path('maritime-reply.json'),
      '--key',
      operators[2]!,
    );
    assert.equal(whole.code, EXIT.invalid);
    assert.equal(whole.json.receipt.code, 'DATA_CONSENT_REQUIRED');
  });

  it('after the shipper revokes its consent, the same fetch is refused and the grant ends', async () => {
    ok(await cli(2)('data', 'consent', 'revoke', path('consent.json'), '--key', enterprises[0]!.key));
    const fetchAgain = () =>
      cli(1)(
        'data',
        'fetch',
        taxRequest,
        '--service',
        service!.url,
        '--reply-key',
        path('tax-reply.json'),
        '--key',
        operators[1]!,
      );
    const refused = await until(async () => {
      const r = await fetchAgain();
      return r.code === EXIT.ok ? undefined : r;
    });
    assert.equal(errorCode(refused), 'DATA_CONSENT_REVOKED', refused.err);
    await until(async () =>
      (await getDataRequest(clients[0]!, taxRequest))!.status === 'revoked' ? true : undefined,
    );
    const request = await getDataRequest(clients[0]!, taxRequest);
    assert.deepEqual([request!.reason, request!.receipts], ['consent-revoked', 1]);
    const after = await fetchAgain();
    assert.ok(['DATA_CONSENT_REVOKED', 'DATA_GRANT_REVOKED'].includes(errorCode(after)!), after.err);
  });

  it('the auditor proves every access offline; a removed receipt or a changed record breaks it', async () => {
    // Proofs commit to the block before their header: wait until the revocation is provable.
    const seen = (await clients[0]!.getStatus()).height;
    await until(async () => ((await clients[0]!.getStatus()).height > seen + 1 ? true : undefined));
    const bundle = path('audit.json');
    const built = ok(
      await cli(3)(
        'data',
        'audit',
        '--dataset',
        'customs.declarations',
        '--genesis',
        genesisPath,
        '--open',
        path('forex-x.json'),
        '--deliveries',
        path('deliveries.jsonl'),
        '--out',
        bundle,
      ),
    );
    assert.equal(built.json.count, 1);
    const [access] = built.json.accesses;
    // Revoked since, the consent stood when the record was delivered.
    assert.deepEqual(
      [access.subject, access.purpose, access.consent, access.delivery.records, access.request.status],
      [enterprises[0]!.did, purpose, { issuer: enterprises[0]!.did, verified: true }, 2, 'revoked'],
    );
    assert.deepEqual(
      [...new Set(built.json.checks.map((c: { check: string }) => c.check))],
      ['access-log', 'grant', 'sealed', 'consent', 'delivery'],
    );
    const verify = (file: string, ...more: string[]) =>
      cli()('data', 'audit', 'verify', file, '--genesis', genesisPath, ...more);
    const offline = ok(await verify(bundle, '--open', path('forex-x.json')));
    assert.deepEqual(offline.json.accesses, built.json.accesses);
    // The subject audits its own record with its key; another subject's audit lists nothing.
    assert.equal(ok(await verify(bundle, '--open', path('shipper-x.json'))).json.accesses.length, 1);
    const other = ok(await verify(bundle, '--open', path('forex-x.json'), '--subject', enterprises[1]!.did));
    assert.deepEqual([other.json.count, other.json.accesses.length], [1, 0]);

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
    assert.equal(removed.json.checks.find((c: { verified: boolean }) => !c.verified).check, 'access-log');
    const changed = await verify(
      tampered('changed-record.json', (b) => {
        b.deliveries[0].delivery.records[0].valueCny = 1;
      }),
    );
    assert.equal(changed.code, EXIT.invalid);
    assert.deepEqual(
      changed.json.checks
        .filter((c: { verified: boolean }) => !c.verified)
        .map((c: { check: string }) => c.check),
      ['delivery'],
    );
  });
});
