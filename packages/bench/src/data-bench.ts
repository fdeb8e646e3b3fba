import { join } from 'node:path';
import { encode } from '@pujiang/codec';
import {
  generateEphemeralKeyPair,
  type KeyPair,
  keyPairFromSecretKey,
  randomBytes,
  sealEnvelope,
} from '@pujiang/crypto';
import { Receipt } from '@pujiang/module-data';
import {
  DataService,
  DataServiceServer,
  DatasetRecords,
  DeliveryLog,
  StewardTransactions,
} from '@pujiang/module-data/service';
import {
  addAgreementKey,
  addressOf,
  createDid,
  didKeyOfChainKey,
  fetchData,
  issueConsent,
  PujiangClient,
  registerDataset,
  requestData,
  singleKeyDocument,
  verifyCredentialWithNode,
} from '@pujiang/sdk';
import { hexToBytes } from '@pujiang/types';
import { withBenchNode } from './node-home.js';
import { type BenchRecord, opsPerSecondAsync } from './record.js';

const round = (n: number) => Math.round(n * 100) / 100;
const ratio = (a: number, b: number) => Math.round((a / b) * 10_000) / 10_000;
const DAY = 86_400_000;

export interface DataBenchOptions {
  readonly quick: boolean;
}

/** A record as a customs declaration dataset holds it (about 200 bytes of JSON). */
const record = (enterprise: string, i: number) => ({
  enterprise,
  declarationNo: String(222920261000000000 + i),
  hsCode: '8504.40',
  valueCny: 1_000 + i,
  port: 'CNSHA',
});

/**
 * The data group, on one validator with the data service in this process: access checks per
 * second (the request, its signer, the sealed terms, the consent verified against the node,
 * a live grant, the records against the schema), held against consent credential
 * verifications alone; access receipts committed per second, batched, held against receipts
 * sent one at a time (one block each); deliveries per second over HTTP (a signed fetch, the
 * records sealed to the reply key, a receipt committed for each), held against the receipts
 * committed per second, beside envelopes sealed per second.
 */
export async function runDataBench(o: DataBenchOptions): Promise<BenchRecord[]> {
  const ms = o.quick ? 2000 : 6000;
  const records: BenchRecord[] = [];
  await withBenchNode({ label: 'data', suite: 'ed25519', senders: 4 }, async (node) => {
    const client = new PujiangClient(node.apiUrl);
    const [steward, requester, subject] = node.chain.senders.map((s) =>
      keyPairFromSecretKey({ suite: 'ed25519', bytes: hexToBytes(s) }),
    ) as [KeyPair, KeyPair, KeyPair, KeyPair];
    const { chainId, chainHash } = await client.getStatus();
    const didOf = async (key: KeyPair) =>
      (
        await createDid(client, {
          key,
          wait: true,
          document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
        })
      ).did;
    const [stewardDid, requesterDid, subjectDid] = [
      await didOf(steward),
      await didOf(requester),
      await didOf(subject),
    ];
    const agreement = generateEphemeralKeyPair();
    await addAgreementKey(client, {
      key: steward,
      did: stewardDid,
      publicKey: agreement.publicKey,
      wait: true,
    });
    const reply = generateEphemeralKeyPair();
    for (const [id, classification] of [
      ['bench.restricted', 'restricted'],
      ['bench.shared', 'request'],
    ] as const)
      await registerDataset(client, {
        key: steward,
        wait: true,
        id,
        title: id,
        steward: stewardDid,
        classification,
        legalBases: ['Law-A'],
        endpoint: 'http://127.0.0.1:1/',
        schema: { type: 'object', required: ['enterprise', 'declarationNo'] },
        subjectField: 'enterprise',
        policy: { auto: true, orgs: [], legalBases: ['Law-A'], maxDurationMs: 30 * DAY },
      });
    const consent = await issueConsent(client, {
      key: subject,
      subjectDid,
      requester: requesterDid,
      dataset: 'bench.restricted',
      purpose: 'bench',
      validUntil: new Date(Date.now() + DAY),
      statusList: {
        list: 'bench-consents',
        url: `${node.apiUrl}/credentials/status/bench-consents`,
        index: 0,
      },
    });
    const ask = async (dataset: string, withConsent: boolean) =>
      (
        await requestData(client, {
          key: requester,
          wait: true,
          dataset,
          requesterDid,
          subject: subjectDid,
          purpose: 'bench',
          legalBasis: 'Law-A',
          validUntil: new Date(Date.now() + DAY),
          replyKey: reply.publicKey,
          ...(withConsent ? { consent } : {}),
        })
      ).request;
    const restricted = await ask('bench.restricted', true);
    const shared = await ask('bench.shared', false);
    const rows = Array.from({ length: 20 }, (_, i) => record(subjectDid, i));
    const transactions = new StewardTransactions(client, steward);
    const service = new DataService({
      client,
      chain: { chainId, chainHash },
      transactions,
      agreementSecret: agreement.secretKey,
      datasets: new Map(
        ['bench.restricted', 'bench.shared'].map((id) => [id, new DatasetRecords(id, rows, 'enterprise')]),
      ),
      verifyConsent: async (c) => {
        const r = await verifyCredentialWithNode(client, c);
        return {
          verified: r.verified,
          ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
        };
      },
      log: new DeliveryLog(join(node.dir, 'deliveries.jsonl')),
    });
    const signer = addressOf(chainHash, requester);

    // Access checks: everything a delivery passes before it delivers.
    await service.checkAccess(signer, restricted); // grants by policy once the consent verifies
    const consentChecks = await opsPerSecondAsync(async () => {
      await Promise.all(Array.from({ length: 4 }, () => service.checkAccess(signer, restricted)));
      return 4;
    }, ms);
    const verifications = await opsPerSecondAsync(async () => {
      await Promise.all(Array.from({ length: 4 }, () => verifyCredentialWithNode(client, consent)));
      return 4;
    }, ms);
    const plainChecks = await opsPerSecondAsync(async () => {
      await Promise.all(Array.from({ length: 8 }, () => service.checkAccess(signer, shared)));
      return 8;
    }, ms);
    const queries = await opsPerSecondAsync(async () => {
      await Promise.all(Array.from({ length: 8 }, () => client.query('data', 'request', { id: shared })));
      return 8;
    }, ms);
    records.push(
      {
        group: 'data',
        name: 'access checks/s, restricted data with consent',
        value: round(consentChecks),
        unit: 'check/s',
        configuration: { validators: 1, concurrency: 4, consent: 'eddsa-rdfc-2022, status list on chain' },
        limit: {
          name: 'consent credential verifications/s (same node)',
          value: round(verifications),
          ratio: ratio(consentChecks, verifications),
        },
      },
      {
        group: 'data',
        name: 'access checks/s, shared data',
        value: round(plainChecks),
        unit: 'check/s',
        configuration: { validators: 1, concurrency: 8 },
        limit: {
          name: 'request queries/s (same node)',
          value: round(queries),
          ratio: ratio(plainChecks, queries),
        },
      },
    );

    // Access receipts: many at once, batched by the steward's transactions.
    const receiptCount = o.quick ? 500 : 2000;
    const digest = randomBytes(32);
    let start = performance.now();
    await Promise.all(
      Array.from({ length: receiptCount }, () =>
        transactions.submit('receipt', encode(Receipt, { request: hexToBytes(shared), digest, bytes: 200 })),
      ),
    );
    const receipts = (receiptCount * 1000) / (performance.now() - start);
    // The same receipts one at a time, each waiting for its block: what a service without batching gets.
    const serial = o.quick ? 3 : 8;
    start = performance.now();
    for (let i = 0; i < serial; i++)
      await transactions.submit(
        'receipt',
        encode(Receipt, { request: hexToBytes(shared), digest, bytes: 200 }),
      );
    const oneByOne = (serial * 1000) / (performance.now() - start);
    records.push({
      group: 'data',
      name: 'access receipts committed/s (batched)',
      value: round(receipts),
      unit: 'receipt/s',
      configuration: { receipts: receiptCount, validators: 1, maxUncommitted: 64, note: 'one steward key' },
      limit: {
        name: 'receipts committed/s one at a time',
        value: round(oneByOne),
        ratio: ratio(receipts, oneByOne),
      },
    });

    // Deliveries over HTTP: signed fetches, records sealed to the reply key, a receipt committed each.
    const server = new DataServiceServer(service, client, ['bench.restricted', 'bench.shared']);
    const url = await server.listen(0);
    try {
      const seal = await opsPerSecondAsync(async () => {
        sealEnvelope([reply.publicKey], new TextEncoder().encode(JSON.stringify(rows)));
        return 1;
      }, ms);
      const fetches = o.quick ? 100 : 400;
      const concurrency = 64;
      start = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, k) => {
          for (let i = k; i < fetches; i += concurrency)
            await fetchData(client, {
              service: url,
              request: shared,
              key: requester,
              replySecret: reply.secretKey,
            });
        }),
      );
      const deliveries = (fetches * 1000) / (performance.now() - start);
      records.push({
        group: 'data',
        name: 'deliveries/s (HTTP, sealed, receipt committed)',
        value: round(deliveries),
        unit: 'delivery/s',
        configuration: {
          fetches,
          concurrency,
          records: rows.length,
          validators: 1,
          sealedWith: 'X25519 + AES-256-GCM',
        },
        limit: {
          name: 'access receipts committed/s (batched)',
          value: round(receipts),
          ratio: ratio(deliveries, receipts),
        },
        comparedWith: {
          name: 'envelopes sealed/s (same records)',
          value: round(seal),
          ratio: ratio(deliveries, seal),
        },
      });
    } finally {
      await server.close();
    }
  });
  return records;
}
