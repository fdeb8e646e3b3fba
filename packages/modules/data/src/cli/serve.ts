import { dirname, resolve } from 'node:path';
import { type CommandContext, EXIT, required, usageError } from '@pujiang/cli-kit';
import { verifyCredentialWithNode } from '@pujiang/module-did/client';
import { getDataset } from '../client/catalog.js';
import { DataService } from '../service/data-service.js';
import { DeliveryLog } from '../service/delivery-log.js';
import { DataServiceServer } from '../service/http.js';
import { DatasetRecords } from '../service/records.js';
import { StewardTransactions } from '../service/steward-transactions.js';
import { readAgreementKey, readJson } from './files.js';

/**
 * `data serve --config FILE`: the agency's data service, beside the agency's own node (whose
 * answers it trusts, so a revoked consent counts from its block). The config (paths relative to it):
 *
 *     {"node": "http://127.0.0.1:26657", "listen": "127.0.0.1:7300",
 *      "key": "steward.json", "agreementKey": "steward-x25519.json",
 *      "datasets": {"customs.declarations": "declarations.jsonl"}, "log": "deliveries.jsonl"}
 */
export async function runServe(values: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const path = required(values, 'config');
  const config = readJson(path, 'config');
  const at = (p: unknown, field: string) => {
    if (typeof p !== 'string' || p === '')
      throw usageError(`the config names ${field}`, { option: 'config', field });
    return resolve(dirname(path), p);
  };
  const node = typeof config.node === 'string' ? config.node : undefined;
  const nodeValues = node ? { node } : {};
  const client = ctx.client(nodeValues);
  if (node && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(node))
    ctx.io.err(
      `warning: ${node} is not this machine: the service trusts its node's answers (consent status, DID keys); run it beside the agency's own node`,
    );
  const key = ctx.readKey(at(config.key, 'key'));
  const agreement = readAgreementKey(at(config.agreementKey, 'agreementKey'), 'config');
  const listen = typeof config.listen === 'string' ? config.listen : '127.0.0.1:0';
  const [host, port] = [
    listen.slice(0, listen.lastIndexOf(':')),
    Number(listen.slice(listen.lastIndexOf(':') + 1)),
  ];
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw usageError('listen is HOST:PORT', { option: 'config' });
  const files = (config.datasets ?? {}) as Record<string, unknown>;
  const datasets = new Map<string, DatasetRecords>();
  for (const [id, file] of Object.entries(files)) {
    const dataset = await getDataset(client, id);
    if (!dataset) throw usageError(`dataset ${id} is not in the catalog`, { option: 'config', dataset: id });
    datasets.set(id, DatasetRecords.fromFile(id, at(file, `datasets.${id}`), dataset.subjectField));
  }
  const { chainId, chainHash } = await client.getStatus();
  const service = new DataService({
    client,
    chain: { chainId, chainHash },
    transactions: new StewardTransactions(client, key),
    agreementSecret: agreement.secretKey,
    datasets,
    verifyConsent: async (credential) => {
      const report = await verifyCredentialWithNode(client, credential);
      return {
        verified: report.verified,
        ...(report.error ? { error: { code: report.error.code, message: report.error.message } } : {}),
      };
    },
    log: new DeliveryLog(at(config.log ?? 'deliveries.jsonl', 'log')),
  });
  const server = new DataServiceServer(service, client, [...datasets.keys()]);
  const url = await server.listen(port, host);
  // One line, so a supervisor can read it as it reads a node's "started" line.
  ctx.io.out(
    JSON.stringify({
      event: 'serving',
      url,
      datasets: [...datasets.keys()],
      records: [...datasets.values()].map((d) => d.all.length),
    }),
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}
