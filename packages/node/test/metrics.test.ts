import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { type RunningNode, startNode } from '../src/index.js';
import { addressOf, postJson, testHome, transferWire, until } from './helpers.js';

/**
 * `/metrics` as a Prometheus server reads it: parsed by a text-format parser, with prom-client's
 * default collectors and the node's families labelled by code, module, route and status.
 */
describe('the node’s Prometheus metrics', () => {
  const setup = testHome('ed25519');
  const { genesis, operatorKey } = setup;
  let running: RunningNode;
  let url: string;
  before(async () => {
    running = await startNode({ home: setup.home });
    url = running.apiUrl;
    await until(() => running.node.chain.height >= 1n || undefined);
  });
  after(() => running.stop());

  const scrape = async () => {
    const res = await fetch(`${url}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = parsePrometheusTextFormat(text);
    return Object.assign(new Map<string, ParsedFamily>(families.map((f) => [f.name, f])), { text });
  };
  const sample = (f: ParsedFamily | undefined, labels: Record<string, string>) =>
    f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

  it('parse, with the default collectors and build info', async () => {
    const m = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'pujiang_height',
      'pujiang_consensus_round',
      'pujiang_mempool_size',
      'pujiang_peers',
      'pujiang_txs_per_second',
      'pujiang_commit_latency_seconds',
    ])
      assert.ok(m.has(name), `${name} missing`);
    const info = m.get('pujiang_build_info')!.metrics[0]!;
    assert.equal(info.value, '1');
    assert.equal(info.labels?.chain_id, genesis.chainId);
    assert.equal(info.labels?.suite, 'ed25519');
    assert.match(info.labels?.version ?? '', /^\d+\.\d+\.\d+/);
    assert.ok(Number(m.get('pujiang_height')!.metrics[0]!.value) >= 1);
  });

  it('count by code, module, route and status', async () => {
    const bob = addressOf(genesis, generateKeyPair('ed25519'));
    const ok = await postJson(`${url}/v1/txs`, {
      tx: bytesToHex(transferWire(genesis, operatorKey, 0n, bob, 1n)),
      wait: true,
    });
    assert.equal(ok.body.status, 'committed');
    // A transfer beyond the balance fails in its block; a stale nonce is refused at admission.
    const broke = await postJson(`${url}/v1/txs`, {
      tx: bytesToHex(transferWire(genesis, operatorKey, 1n, bob, 10n ** 18n)),
      wait: true,
    });
    assert.equal(broke.body.receipt.code, 'BANK_INSUFFICIENT_FUNDS');
    const stale = await postJson(`${url}/v1/txs`, {
      tx: bytesToHex(transferWire(genesis, operatorKey, 0n, bob, 1n)),
    });
    assert.equal(stale.status, 400);
    await fetch(`${url}/v1/blocks/99999`);
    const m = await scrape();
    assert.ok(Number(sample(m.get('pujiang_txs_committed_total'), { module: 'bank' })?.value) >= 2);
    assert.equal(
      sample(m.get('pujiang_txs_failed_total'), { module: 'bank', code: 'BANK_INSUFFICIENT_FUNDS' })?.value,
      '1',
    );
    assert.equal(sample(m.get('pujiang_txs_refused_total'), { code: stale.body.error.code })?.value, '1');
    const requests = m.get('pujiang_api_requests_total');
    assert.ok(Number(sample(requests, { route: '/v1/txs', method: 'POST', status: '200' })?.value) >= 2);
    assert.equal(
      sample(requests, { route: '/v1/blocks/{height}', method: 'GET', status: '404' })?.value,
      '1',
    );
    const durations = m.get('pujiang_api_request_duration_seconds')!;
    assert.equal(durations.type, 'HISTOGRAM');
    assert.ok(durations.metrics.every((series) => series.buckets?.['+Inf'] !== undefined));
    // The parser keeps a histogram's buckets but not its labels: read those from the text.
    assert.match(
      m.text,
      /^pujiang_api_request_duration_seconds_count\{route="\/v1\/txs",method="POST",status="200"\} [1-9]/m,
    );
  });
});
