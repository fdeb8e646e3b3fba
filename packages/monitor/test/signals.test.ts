import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import type { GovernanceView } from '../src/governance-view.js';
import {
  AlertBook,
  certificateFields,
  type Finding,
  parseSamples,
  pemCertificates,
  riskHtml,
  riskReport,
} from '../src/index.js';
import type { NodeObservation, SignedHeight } from '../src/observe.js';
import { certificateFindings, proposalFindings } from '../src/watch/governance.js';
import { missedBlockFindings, missedBlocks, stallFindings } from '../src/watch/liveness.js';
import { abuseFinding, failedCheckFindings, peerFindings, refusalCounts } from '../src/watch/network.js';

/** An SM2 member certificate signed by an Ed25519 CA: a UTCTime notBefore, a GeneralizedTime notAfter (2051), a serial with a sign byte. */
const PEM = `-----BEGIN CERTIFICATE-----
MIIBVDCCAQagAwIBAgIEAI8SNDAFBgMrZXAwITENMAsGA1UECgwEb3JnMTEQMA4G
A1UEAwwHb3JnMSBDQTAgFw0yNjAxMDEwMDAwMDBaGA8yMDUxMDYzMDEyMDAwMFow
MDENMAsGA1UECgwEb3JnMTEPMA0GA1UECwwGY2xpZW50MQ4wDAYDVQQDDAVhbGlj
ZTBZMBMGByqGSM49AgEGCCqBHM9VAYItA0IABFtD0Sln0idxokGbBDYfA/O4RREh
fJv7EcGLNl6hnfVYVFs9BpZkULoaQRAPSdp0scoB03tKW26Qp61uBgaNQoijIDAe
MAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMAUGAytlcANBALxDJM7inQho
jHiM56SJjCtVmS86JkbLSa00miR6yZaNe9vR+neVg3eDNzJpSKwSmk6rEk0Qh8RN
HIBhknLSPQ8=
-----END CERTIFICATE-----`;

const finding = (over: Partial<Finding> = {}): Finding => ({
  kind: 'missed-blocks',
  severity: 'warning',
  subject: { type: 'validator', id: 'v1' },
  summary: 's',
  evidence: {},
  ...over,
});

describe('monitor signals (unit)', () => {
  it("reads a certificate's serial, subject and validity as OpenSSL does", () => {
    const [der] = pemCertificates(`junk\n${PEM}\njunk`);
    const f = certificateFields(der!);
    const openssl = new X509Certificate(PEM);
    assert.equal(f.serial, openssl.serialNumber.toLowerCase().replace(/^0+/, ''));
    assert.equal(f.serial, '8f1234');
    assert.equal(f.notAfter, Date.parse(openssl.validTo));
    assert.equal(f.notBefore, Date.parse(openssl.validFrom));
    assert.deepEqual([f.organization, f.organizationalUnit, f.commonName], ['org1', 'client', 'alice']);
    assert.throws(() => certificateFields(der!.subarray(0, 40)), { code: 'MONITOR_BAD_CERTIFICATE' });
  });

  it('alerts: raised once per kind and subject, escalated, resolved when no longer seen, raised again', () => {
    let now = 1_000;
    const book = new AlertBook(() => now);
    assert.deepEqual(
      book.update('w', [finding(), finding()]).map((c) => c.change),
      ['raised'],
    );
    now = 2_000;
    const escalated = book.update('w', [finding({ severity: 'critical' })]);
    assert.deepEqual(
      escalated.map((c) => c.change),
      ['escalated'],
    );
    assert.equal(escalated[0]!.alert.firstSeen, 1_000);
    assert.equal(escalated[0]!.alert.lastSeen, 2_000);
    // Another watcher's update does not resolve this watcher's alerts.
    assert.deepEqual(book.update('other', []), []);
    now = 3_000;
    const resolved = book.update('w', []);
    assert.deepEqual(
      resolved.map((c) => [c.change, c.alert.resolved, c.alert.resolvedAt]),
      [['resolved', true, 3_000]],
    );
    assert.equal(book.active().length, 0);
    now = 4_000;
    const again = book.update('w', [finding()]);
    assert.deepEqual(
      again.map((c) => [c.change, c.alert.firstSeen]),
      [['raised', 4_000]],
    );
    assert.equal(book.raisedByKind.get('missed-blocks'), 2);
  });

  it('missed blocks: a validator absent from a full window of certificates raises, a live one does not', () => {
    const heights: SignedHeight[] = Array.from({ length: 12 }, (_, i) => ({
      height: i + 1,
      time: i,
      validators: ['a', 'b', 'c', 'd'],
      // d stops signing after height 2; c misses every third certificate (a slow but live validator).
      signers: ['a', 'b', ...(i % 3 === 0 ? [] : ['c']), ...(i < 2 ? ['d'] : [])],
    }));
    const names = new Map([['d', { address: 'd', name: 'node3', organization: 'org3' }]]);
    const findings = missedBlockFindings(heights, 10, names);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.subject.id, 'd');
    assert.equal(findings[0]!.subject.name, 'node3');
    assert.equal(findings[0]!.severity, 'critical');
    assert.deepEqual(findings[0]!.evidence.missedHeights, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(findings[0]!.evidence.lastSigned, 2);
    assert.equal(missedBlocks(heights, 10).find((m) => m.address === 'c')!.missed, 3);
    // Not a full window yet: nothing is said.
    assert.deepEqual(missedBlockFindings(heights.slice(0, 9), 10, names), []);
  });

  it("a stalled chain, API abuse from the node's refusal counters, time-locked proposals and expiring certificates", () => {
    assert.deepEqual(stallFindings(10, 0, 29_999, 30_000, 4), []);
    assert.equal(stallFindings(10, 0, 30_000, 30_000, 4)[0]!.kind, 'chain-stalled');
    const page = [
      '# TYPE pujiang_api_requests_total counter',
      'pujiang_api_requests_total{route="/v1/txs",method="POST",status="429"} 300',
      'pujiang_api_requests_total{route="/v1/status",method="GET",status="200"} 9000',
      'pujiang_txs_refused_total{code="MEMPOOL_FULL"} 50',
      'pujiang_txs_refused_total{code="TX_BAD_NONCE"} 7',
      'pujiang_api_requests_total{route="x" 1',
    ].join('\n');
    const counts = refusalCounts(parseSamples(page, ['pujiang_']));
    assert.deepEqual(counts, { 'api 429 /v1/txs': 300, 'mempool MEMPOOL_FULL': 50 });
    assert.equal(abuseFinding('n', counts, counts, 60_000, 10), undefined);
    const abuse = abuseFinding('n', counts, { 'api 429 /v1/txs': 100 }, 60_000, 120);
    assert.equal(abuse?.evidence.perMinute, 250);
    assert.deepEqual(abuse?.evidence.refusals, { 'api 429 /v1/txs': 200, 'mempool MEMPOOL_FULL': 50 });

    const now = Date.UTC(2030, 0, 1);
    const view: GovernanceView = {
      evidence: [],
      proposals: [
        {
          id: '4',
          title: 'add v5',
          kind: 'setValidator',
          status: 'queued',
          executableAt: '120',
          action: {},
          resource: 'r',
          proposer: 'p',
          policy: { rule: 'majority', roles: ['admin'] },
          submittedAt: '1',
          votingEnds: '50',
          votes: [],
          history: [],
        },
        {
          id: '5',
          title: 'voting',
          kind: 'setPolicy',
          status: 'voting',
          executableAt: '0',
          action: {},
          resource: 'r',
          proposer: 'p',
          policy: { rule: 'majority', roles: ['admin'] },
          submittedAt: '1',
          votingEnds: '50',
          votes: [],
          history: [],
        },
      ] as GovernanceView['proposals'],
      organizations: [{ id: 'org1', name: 'Org 1', cas: [], revoked: ['aa'] }],
      certificates: [
        { serial: '01', org: 'org1', notAfter: now + 2 * 86_400_000, source: 'genesis' },
        { serial: '02', org: 'org1', notAfter: now + 90 * 86_400_000, source: 'genesis' },
        { serial: '03', org: 'org1', notAfter: now - 1, source: 'registered', address: 'x' },
        { serial: 'aa', org: 'org1', role: 'validator', notAfter: now + 365 * 86_400_000, source: 'genesis' },
      ],
      validatorOrgs: new Map(),
      emptyBlockIntervalMs: 0,
    };
    const proposals = proposalFindings(view, 100);
    assert.deepEqual(
      proposals.map((p) => [p.subject.id, p.severity, p.evidence.blocksLeft]),
      [['4', 'warning', 20]],
    );
    const certs = certificateFindings(view, now, 30);
    assert.deepEqual(
      certs.map((c) => [c.kind, c.subject.id, c.severity]),
      [
        ['certificate-expiring', 'org1/01', 'warning'],
        ['certificate-expired', 'org1/03', 'critical'],
        ['certificate-revoked', 'org1/aa', 'warning'],
      ],
    );
  });

  it("peers banned or scoring high, and failed checks by source, over every node's /v1/peers", () => {
    const now = 1_000_000;
    const identity = {
      key: 'ed25519:aa',
      address: 'a1',
      organization: 'org2',
      validator: true,
      name: 'node2',
    };
    const peersOf = (url: string, over: Partial<NonNullable<NodeObservation['peers']>>): NodeObservation => ({
      url,
      reachable: true,
      peers: {
        nodeKey: 'ed25519:00',
        at: now,
        peers: [],
        banned: [],
        failedChecks: [],
        refusedConnections: {},
        totals: { bans: 0, drops: 0, signatureFailures: 0, membershipRefusals: 0 },
        ...over,
      },
    });
    const nodes = [
      peersOf('n0', {
        banned: [
          {
            ...identity,
            reason: 'invalid-signature',
            score: 100,
            since: now - 5,
            until: now + 60_000,
            bans: 1,
          },
        ],
        failedChecks: [
          {
            source: 'ed25519:aa',
            address: 'a1',
            check: 'signature',
            where: 'consensus',
            count: 4,
            lastAt: now - 10,
          },
          {
            source: '198.51.100.7',
            address: null,
            check: 'membership',
            where: 'handshake',
            count: 3,
            lastAt: now - 10,
          },
          {
            source: '198.51.100.8',
            address: null,
            check: 'membership',
            where: 'handshake',
            count: 99,
            lastAt: now - 3_600_000,
          },
        ],
      }),
      peersOf('n1', {
        peers: [
          {
            ...identity,
            endpoint: '127.0.0.1:1',
            initiator: true,
            connectedAt: 1,
            score: 75,
            drops: 9,
            offences: { flood: 1 },
          },
        ],
        banned: [{ ...identity, reason: 'flood', score: 110, since: now - 5, until: now + 60_000, bans: 2 }],
        failedChecks: [
          {
            source: '198.51.100.7',
            address: null,
            check: 'signature',
            where: 'handshake',
            count: 1,
            lastAt: now - 10,
          },
        ],
      }),
    ];
    const peers = peerFindings(nodes);
    assert.deepEqual(
      peers.map((f) => [
        f.kind,
        f.severity,
        f.subject.id,
        f.subject.organization,
        (f.evidence.reports as unknown[]).length,
      ]),
      [
        ['peer-banned', 'critical', 'a1', 'org2', 2],
        ['peer-score', 'warning', 'a1', 'org2', 1],
      ],
    );
    const checks = failedCheckFindings(nodes, now);
    assert.deepEqual(
      checks.map((f) => [
        f.subject.id,
        f.severity,
        f.evidence.signatureFailures,
        f.evidence.membershipRefusals,
        f.evidence.unproven ?? false,
      ]),
      [
        // A forged consensus signature on an authenticated link: the key's.
        ['a1', 'warning', 4, 0, false],
        // Handshake failures before any key was proven: the address's, over both nodes, unproven.
        ['address:198.51.100.7', 'warning', 1, 3, true],
      ],
    );
  });

  it('the risk report ranks by score, lists each reason with its evidence, and escapes what it prints', () => {
    let now = 10_000;
    const book = new AlertBook(() => now);
    book.update('liveness', [
      finding({ subject: { type: 'validator', id: 'v2', name: 'node2' }, severity: 'critical' }),
    ]);
    book.update('gov', [
      finding({
        kind: 'certificate-expiring',
        subject: { type: 'certificate', id: 'org1/01', organization: 'org1' },
        summary: '<b>soon</b>',
      }),
    ]);
    now = 20_000;
    const report = riskReport({
      now,
      chainId: 'c',
      height: 5,
      window: 10,
      validators: [
        { address: 'v1', name: 'node1', organization: 'org1' },
        { address: 'v2', name: 'node2', organization: 'org2' },
      ],
      organizations: ['org1', 'org2'],
      alerts: book.list(),
      missed: [{ address: 'v2', missed: 10, of: 10, lastSigned: 3, missedHeights: [] }],
    });
    assert.deepEqual(
      report.validators.map((v) => [v.subject.name, v.score, v.level]),
      [
        ['node2', 70, 'high'],
        ['node1', 0, 'low'],
      ],
    );
    assert.deepEqual(
      report.validators[0]!.reasons.map((r) => r.kind),
      ['missed-blocks', 'missed-blocks-share'],
    );
    const org2 = report.organizations.find((o) => o.subject.id === 'org2')!;
    assert.equal(org2.reasons[0]!.kind, 'validator-risk');
    const org1 = report.organizations.find((o) => o.subject.id === 'org1')!;
    assert.deepEqual(
      org1.reasons.map((r) => [r.kind, r.points]),
      [['certificate-expiring', 15]],
    );
    const html = riskHtml(report);
    assert.match(html, /&lt;b&gt;soon&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>soon/);
  });
});
