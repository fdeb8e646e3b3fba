import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { type Vote, voteSignBytes } from '@pujiang/consensus';
import { generateKeyPair, sign } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import {
  AlertBook,
  type AlertChange,
  checkEvidence,
  type EvidenceJson,
  type Finding,
  MAX_SUBJECTS_PER_KIND,
  Monitor,
  MonitorServer,
  medianNode,
  riskReport,
  SIGNATURE_HEADER,
  Webhook,
  webhookSignature,
} from '../src/index.js';
import type { NodeObservation } from '../src/observe.js';
import { evidenceFindings } from '../src/watch/governance.js';

const CHAIN = 'hardening-test';
const key = generateKeyPair('ed25519');
const publicKey = bytesToHex(key.publicKey.bytes);

const voteJson = (value: string | null, chainId = CHAIN) => {
  const vote: Vote = { type: 'precommit', height: 9, round: 1, value, validator: 2 };
  return {
    type: vote.type,
    height: '9',
    round: 1,
    value,
    validator: 2,
    signature: bytesToHex(sign(key.secretKey, voteSignBytes(chainId, vote)).bytes),
  };
};

const record = (over: Partial<EvidenceJson> = {}): EvidenceJson => ({
  id: '1',
  voteType: 'precommit',
  height: '9',
  round: 1,
  validator: { index: 2, name: 'v2', suite: 'ed25519', publicKey, address: 'addr-v2' },
  first: voteJson('aa'.repeat(32)),
  second: voteJson(null),
  reporter: 'addr-v0',
  txHash: 'ff'.repeat(32),
  committedAt: '11',
  ...over,
});

const node = (url: string, height: number): NodeObservation =>
  ({ url, reachable: true, status: { height, chainId: CHAIN, nodeId: url } }) as unknown as NodeObservation;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const change = (id: string, severity: 'info' | 'warning' | 'critical'): AlertChange => ({
  change: 'raised',
  alert: {
    id,
    kind: 'failed-checks',
    severity,
    subject: { type: 'peer', id },
    summary: id,
    evidence: {},
    firstSeen: 1,
    lastSeen: 1,
    resolved: false,
  },
});

describe('monitor hardening (unit)', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('the chain height is the median of the nodes that answer: one node lying high or low does not move it', () => {
    assert.equal(medianNode([node('a', 10), node('b', 1_000_000), node('c', 11)])?.url, 'c');
    assert.equal(
      medianNode([node('a', 10), node('b', 10), node('c', 11), node('d', 1_000_000)])?.status?.height,
      10,
    );
    assert.equal(medianNode([node('a', 0), node('b', 20), node('c', 21)])?.status?.height, 20);
    assert.equal(medianNode([]), undefined);
  });

  it('believes evidence only when both signatures verify over this chain, and says so', () => {
    const ok = checkEvidence(record(), CHAIN);
    assert.deepEqual(
      [ok.valid, ok.checked],
      [true, 'both signatures verified by the monitor over the consensus sign bytes'],
    );
    assert.equal(checkEvidence(record(), 'another-chain').valid, false);
    const forged = record({ second: { ...voteJson(null), signature: '00'.repeat(64) } });
    assert.match(checkEvidence(forged, CHAIN).problem ?? '', /second vote's signature/);
    assert.match(
      checkEvidence(record({ second: voteJson('aa'.repeat(32)) }), CHAIN).problem ?? '',
      /same value/,
    );
    assert.match(checkEvidence(record({ first: { junk: true } }), CHAIN).problem ?? '', /unreadable/);

    const names = new Map([['addr-v2', { address: 'addr-v2', name: 'v2', organization: 'org2', publicKey }]]);
    const [alert] = evidenceFindings([record()], new Map(), names, new Map(), CHAIN);
    assert.deepEqual(
      [alert?.kind, alert?.severity, alert?.subject.organization],
      ['equivocation', 'critical', 'org2'],
    );
    assert.equal(alert?.evidence.valid, true);
    // A node lying with a forged record, or a record naming another key for the validator: no accusation.
    assert.deepEqual(evidenceFindings([forged], new Map(), names, new Map(), CHAIN), []);
    const other = generateKeyPair('ed25519');
    const wrongKey = new Map([
      ['addr-v2', { address: 'addr-v2', name: 'v2', publicKey: bytesToHex(other.publicKey.bytes) }],
    ]);
    assert.deepEqual(evidenceFindings([record()], new Map(), wrongKey, new Map(), CHAIN), []);
    // Seen only as an event, older than the records read (the query answers the newest 100):
    // a warning, unproven, not risk. An event newer than every record read is only not read yet.
    const events = new Map([
      ['7', { id: '7', validator: 'addr-v3', name: 'v3', height: '4' }],
      ['300', { id: '300', validator: 'addr-v4', name: 'v4', height: '40' }],
    ]);
    const found = evidenceFindings([record({ id: '200' })], events, names, new Map(), CHAIN);
    const eventOnly = found.find((f) => f.subject.id === 'addr-v3');
    assert.deepEqual([eventOnly?.severity, eventOnly?.evidence.unproven], ['warning', true]);
    assert.ok(!found.some((f) => f.subject.id === 'addr-v4'));
  });

  it('an equivocation alert never resolves; a flood of subjects of one kind is capped and summarized; unproven alerts carry no risk', () => {
    const book = new AlertBook(() => 1_000);
    const equivocation: Finding = {
      kind: 'equivocation',
      severity: 'critical',
      subject: { type: 'validator', id: 'addr-v2', organization: 'org2' },
      summary: 'v2 equivocated',
      evidence: {},
    };
    book.update('governance', [equivocation]);
    assert.deepEqual(book.update('governance', []), []);
    assert.equal(book.active()[0]?.kind, 'equivocation');

    const flood = Array.from(
      { length: 200 },
      (_, i): Finding => ({
        kind: 'failed-checks',
        severity: i === 150 ? 'warning' : 'info',
        subject: { type: 'peer', id: `address:10.0.0.${i}` },
        summary: `source ${i}`,
        evidence: { unproven: true },
      }),
    );
    const raised = book.update('network', flood);
    assert.equal(raised.length, MAX_SUBJECTS_PER_KIND);
    const summary = raised.find((c) => c.alert.subject.id === 'more-failed-checks')!.alert;
    assert.equal(summary.evidence.omitted, 200 - (MAX_SUBJECTS_PER_KIND - 1));
    // The most severe is kept one by one; the next poll keeps the same subjects (no churn).
    assert.ok(raised.some((c) => c.alert.subject.id === 'address:10.0.0.150'));
    assert.deepEqual(book.update('network', flood), []);
    // Validators are not capped: the set bounds them, and each needs its own risk.
    const missed = Array.from(
      { length: 40 },
      (_, i): Finding => ({
        kind: 'missed-blocks',
        severity: 'warning',
        subject: { type: 'validator', id: `v${i}` },
        summary: `v${i} missed blocks`,
        evidence: {},
      }),
    );
    assert.equal(book.update('liveness', missed).length, 40);

    const report = riskReport({
      now: 1_000,
      chainId: CHAIN,
      height: 10,
      window: 10,
      validators: [{ address: 'addr-v2', name: 'v2', organization: 'org2' }],
      organizations: ['org2'],
      alerts: [
        ...book.list(),
        {
          ...equivocation,
          id: 'failed-checks:peer:address:1.2.3.4',
          kind: 'failed-checks',
          severity: 'warning',
          subject: { type: 'peer', id: 'addr-v2' },
          evidence: { unproven: true, validatorAddress: 'addr-v2' },
          firstSeen: 1,
          lastSeen: 1,
          resolved: false,
        },
      ],
      missed: [],
    });
    const v2 = report.validators[0]!;
    assert.deepEqual(
      v2.reasons.map((r) => r.kind),
      ['equivocation'],
    );
  });

  it('the webhook signs each body, and a full queue drops info and warning changes before any critical one', async () => {
    const secret = 'a webhook secret of some length';
    const received: string[] = [];
    let hold: (() => void) | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        assert.equal(req.headers[SIGNATURE_HEADER], webhookSignature(secret, body));
        const id = JSON.parse(body).alert.id as string;
        received.push(id);
        if (id === 'a') hold = () => res.writeHead(204).end();
        else res.writeHead(204).end();
      });
    });
    servers.push(server);
    const port = await listen(server);
    const hook = new Webhook(`http://127.0.0.1:${port}/`, { secret, maxQueue: 3, retryDelaysMs: [] });
    try {
      hook.send(change('a', 'info')); // in flight, held by the receiver
      await until(() => hold);
      for (const [id, severity] of [
        ['b', 'info'],
        ['c', 'critical'],
        ['d', 'critical'],
        ['e', 'critical'], // full: drops b (info), not a critical one
        ['f', 'warning'], // full of critical ones: f itself is dropped
        ['g', 'critical'], // full of critical ones: the oldest critical (c) goes
      ] as const)
        hook.send(change(id, severity));
      hold!();
      // The client counts a delivery once it has read the answer, after the receiver has it.
      await until(() => (hook.stats.delivered === 4 ? true : undefined));
      assert.deepEqual(received, ['a', 'd', 'e', 'g']);
      assert.deepEqual(hook.stats, { delivered: 4, failed: 0, dropped: 3 });
    } finally {
      hook.stop();
    }
  });

  it('answers CORS only to the origins it was given', async () => {
    const monitor = new Monitor({ nodes: ['http://127.0.0.1:1'], intervalMs: 1_000 });
    const server = new MonitorServer(monitor, { corsOrigins: ['http://console.test:8080'] });
    const base = `http://127.0.0.1:${await server.listen(0)}`;
    try {
      const allowed = await fetch(`${base}/healthz`, { headers: { origin: 'http://console.test:8080' } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://console.test:8080');
      await allowed.arrayBuffer();
      const other = await fetch(`${base}/healthz`, { headers: { origin: 'http://evil.test' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      await other.arrayBuffer();
      const preflight = await fetch(`${base}/alerts`, {
        method: 'OPTIONS',
        headers: { origin: 'http://console.test:8080' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://console.test:8080');
    } finally {
      await server.close();
      await monitor.stop();
    }
  });
});
