import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { p256 } from '@noble/curves/nist.js';
import { secretKeyToPem } from '@pujiang/crypto';
import { readKeyFile } from '@pujiang/node';
import {
  accredit,
  anchorIssuance,
  BUNDLED_CONTEXTS,
  createDid,
  createStatusList,
  didKeyOfChainKey,
  didResolver,
  documentLoader,
  finalizeProposal,
  generateKeyPair,
  getProposal,
  type IssuerKey,
  issueCredential,
  issueSdJwtVc,
  type KeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  presentCredentials,
  presentSdJwtVc,
  proofDigest,
  publicJwk,
  sdJwtDigest,
  singleKeyDocument,
  submitProposal,
  TransactionFailedError,
  toMultibase,
  trustRootsAction,
  updateDid,
  verifiedChainLookup,
  verifyCredentialVerified,
  verifySdJwtVc,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess, until } from './node-harness.js';
import { run } from './run-in-process.js';

/** The shared checker of answers against the OpenAPI document (scripts/openapi-check.mjs, plain JS). */
interface OpenApiChecker {
  check(method: string, documented: string, status: number, media: string, body: unknown): string | undefined;
}
const { openApiChecker } = (await import(
  new URL('../../../../scripts/openapi-check.mjs', import.meta.url).href
)) as { openApiChecker: (document: unknown) => OpenApiChecker };

const TOKEN = 'customs-issuer-token-0123456789';
const P256_TOKEN = 'p256-issuer-token-0123456789';
// The node's TLS certificate is its own (issued by its organization, not for 127.0.0.1): this
// client does not check it, as a test on loopback may not.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

async function stopNode(node: NodeProcess): Promise<void> {
  if (node.child.exitCode !== null) return;
  node.child.kill('SIGTERM');
  await node.exited;
}

/**
 * Credentials through the W3C VC-API of one real validator process over HTTPS: an agency's
 * did:pujiang DID whose key the node holds issues (bearer token required), every proof is
 * anchored, a credential signed before a key rotation keeps verifying and one signed after
 * with the old key does not; presentations with challenge and domain; every refusal a 4xx
 * problem naming its check, and a fuzz of the bodies never a 5xx.
 */
describe('the VC-API on a running validator, over HTTPS', () => {
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  let light: LightClient;
  let operator: KeyPair;
  let agency: string;
  const suiteIssuers: Record<string, string> = {};
  let issued: any;

  const post = async (path: string, body: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${node.api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as any,
    };
    // Every answer, success or refusal, is what the node's OpenAPI document says (strict).
    const problem = checker.check('POST', path, res.status, answer.type.split(';')[0]!.trim(), answer.body);
    assert.equal(problem, undefined, `${problem}\n${JSON.stringify(answer.body).slice(0, 400)}`);
    checked++;
    return answer;
  };
  let checker: OpenApiChecker;
  let checked = 0;
  // The issuer's own terms, defined inline (a verifier anywhere needs nothing fetched).
  const TERMS = { '@vocab': 'https://customs.example/terms#' };
  const credential = (extra: Record<string, unknown> = {}) => ({
    '@context': ['https://www.w3.org/ns/credentials/v2', TERMS],
    type: ['VerifiableCredential', 'CertificateOfOrigin'],
    issuer: agency,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:exporter', originCountry: 'CN', hsCode: '8471.30' },
    ...extra,
  });

  before(async () => {
    init = initHome('ed25519');
    operator = readKeyFile(init.operatorKey);
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
    checker = openApiChecker(await (await fetch(`${node.api}/v1/openapi.json`)).json());
    const created = await createDid(client, {
      key: operator,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(operator.publicKey)!),
    });
    assert.equal(created.result.receipt?.code, 'OK');
    agency = created.did;
    // Two more issuers the node signs for: a P-256 key (ecdsa-rdfc-2019) and an SM2 key
    // (sm2-rdfc-2025), each an assertion method of its DID; the operator anchors for both.
    const p256Secret = p256.utils.randomSecretKey();
    writeFileSync(
      join(init.home, 'p256.json'),
      JSON.stringify({ algorithm: 'P-256', secretKey: Buffer.from(p256Secret).toString('hex') }),
    );
    const sm2 = generateKeyPair('sm2');
    writeFileSync(
      join(init.home, 'sm2.json'),
      JSON.stringify({ suite: 'sm2', secretKey: Buffer.from(sm2.secretKey.bytes).toString('hex') }),
    );
    const withSigner = (fragment: string, key: { algorithm: 'P-256' | 'SM2'; bytes: Uint8Array }) => {
      const base = singleKeyDocument(didKeyOfChainKey(operator.publicKey)!);
      return {
        ...base,
        methods: [
          ...base.methods,
          { fragment, type: 'Multikey' as const, controller: '', algorithm: key.algorithm, key: key.bytes },
        ],
        assertionMethod: [fragment],
      };
    };
    for (const [fragment, key] of [
      ['p256', { algorithm: 'P-256' as const, bytes: p256.getPublicKey(p256Secret, true) }],
      ['sm2', didKeyOfChainKey(sm2.publicKey) as { algorithm: 'SM2'; bytes: Uint8Array }],
    ] as const) {
      const made = await createDid(client, {
        key: operator,
        wait: true,
        document: withSigner(fragment, key),
      });
      assert.equal(made.result.receipt?.code, 'OK');
      suiteIssuers[fragment] = `${made.did}#${fragment}`;
    }
    await stopNode(node);
    // The node holds the agency's key for the VC-API, and serves HTTPS with its own certificate.
    const nodeKey = readKeyFile(join(init.home, 'node_key.json'));
    writeFileSync(join(init.home, 'api-key.pem'), secretKeyToPem(nodeKey.secretKey));
    const configPath = join(init.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.api.tls = { cert: 'node_cert.pem', key: 'api-key.pem' };
    config.modules = {
      did: {
        issuers: [
          { verificationMethod: `${agency}#key-1`, keyFile: init.operatorKey },
          {
            verificationMethod: suiteIssuers.p256,
            keyFile: 'p256.json',
            anchorKeyFile: init.operatorKey,
            // Only its own token issues with this key.
            tokens: [createHash('sha256').update(P256_TOKEN).digest('hex')],
          },
          { verificationMethod: suiteIssuers.sm2, keyFile: 'sm2.json', anchorKeyFile: init.operatorKey },
        ],
        tokens: [createHash('sha256').update(TOKEN).digest('hex')],
        publicUrl: 'https://customs.example',
      },
    };
    writeFileSync(configPath, JSON.stringify(config));
    node = await startNodeProcess(init.home);
    assert.match(node.api, /^https:/);
    client = new PujiangClient(node.api);
    light = new LightClient({
      client,
      genesis: parseGenesis(JSON.parse(readFileSync(init.genesis, 'utf8'))),
    });
  });
  after(async () => {
    await stopNode(node);
    rmSync(init.home, { recursive: true, force: true });
  });

  it('issues only with a bearer token, for an issuer whose key the node holds; the proof is anchored', async () => {
    assert.equal((await post('/credentials/issue', { credential: credential() }, null)).status, 401);
    assert.equal(
      (await post('/credentials/issue', { credential: credential() }, 'wrong-token-0123456789')).status,
      401,
    );
    const other = await post('/credentials/issue', {
      credential: credential({ issuer: 'did:example:someone' }),
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.code, 'VC_UNKNOWN_ISSUER');
    const res = await post('/credentials/issue', { credential: credential() });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    issued = res.body.verifiableCredential;
    assert.equal(issued.proof.cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(issued.proof.verificationMethod, `${agency}#key-1`);
    const ok = await post('/credentials/verify', { verifiableCredential: issued });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(ok.body.checks.includes('issuance-anchor'));
    // Proven state lags a block (header H commits to the state after H - 1): wait for the anchor to be provable.
    const anchoredAt = Number(ok.body.issuance.height);
    await until(async () => ((await client.getStatus()).height > anchoredAt ? true : undefined));
    // Without trusting the node: DID versions and the anchor from proven state.
    const report = await verifyCredentialVerified(light, issued);
    assert.equal(report.verified, true, report.error?.message);
  });

  it('issues in each Data Integrity suite through the VC-API: eddsa-rdfc-2022, ecdsa-rdfc-2019, sm2-rdfc-2025', async () => {
    for (const [fragment, suite] of [
      ['p256', 'ecdsa-rdfc-2019'],
      ['sm2', 'sm2-rdfc-2025'],
    ] as const) {
      const issuer = suiteIssuers[fragment]!.split('#')[0]!;
      const token = fragment === 'p256' ? P256_TOKEN : TOKEN;
      if (fragment === 'p256') {
        // Tokens are scoped: the node-wide token may not issue for an issuer with tokens of its own, nor its token for another.
        assert.equal((await post('/credentials/issue', { credential: credential({ issuer }) })).status, 403);
        assert.equal(
          (await post('/credentials/issue', { credential: credential() }, P256_TOKEN)).status,
          403,
        );
      }
      const res = await post('/credentials/issue', { credential: credential({ issuer }) }, token);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.verifiableCredential.proof.cryptosuite, suite);
      const verified = await post('/credentials/verify', {
        verifiableCredential: res.body.verifiableCredential,
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.ok(verified.body.checks.includes('issuance-anchor'));
    }
  });

  it('status lists: revoke, suspend and reinstate through the VC-API; each list served as a signed BitstringStatusListCredential', async () => {
    for (const [list, purpose] of [
      ['agency-revocation', 'revocation'],
      ['agency-suspension', 'suspension'],
    ] as const) {
      const created = await createStatusList(client, {
        key: operator,
        wait: true,
        list,
        issuer: agency,
        purpose,
      });
      assert.equal(created.result.receipt?.code, 'OK');
    }
    const listUrl = (list: string) => `${node.api}/credentials/status/${list}`;
    const entry = (list: string, purpose: string, index: string) => ({
      id: `${listUrl(list)}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: index,
      statusListCredential: listUrl(list),
    });
    const revocation = entry('agency-revocation', 'revocation', '94567');
    const suspension = entry('agency-suspension', 'suspension', '12');
    const res = await post('/credentials/issue', {
      credential: credential({ id: 'urn:uuid:with-status', credentialStatus: [revocation, suspension] }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const vc = res.body.verifiableCredential;
    const verify = async () => post('/credentials/verify', { verifiableCredential: vc });
    const ok = await verify();
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(ok.body.checks.includes('credentialStatus'));

    const setStatus = (credentialStatus: unknown, status: string) =>
      post('/credentials/status', { credentialStatus, status });
    assert.equal((await setStatus(suspension, 'suspended')).status, 200);
    assert.equal((await verify()).body.code, 'VC_SUSPENDED');
    assert.equal((await setStatus(suspension, 'active')).status, 200);
    assert.equal((await verify()).status, 200, 'reinstated');
    assert.equal((await setStatus(revocation, 'revoked')).status, 200);
    const revoked = await verify();
    assert.equal(revoked.status, 400);
    assert.equal(revoked.body.code, 'VC_REVOKED');
    assert.equal(revoked.body.check, 'credentialStatus');
    const undo = await setStatus(revocation, 'active');
    assert.equal(undo.status, 400);
    assert.equal(undo.body.code, 'DID_STATUS_IRREVERSIBLE');
    assert.equal(
      (await post('/credentials/status', { credentialStatus: revocation, status: 'revoked' }, null)).status,
      401,
    );

    // Without trusting the node, once the change is provable.
    await until(async () =>
      (await verifyCredentialVerified(light, vc)).error?.code === 'VC_REVOKED' ? true : undefined,
    );

    // The list as a credential: signed by the agency, its bit 94567 set.
    const listRes = await fetch(listUrl('agency-revocation'));
    assert.equal(listRes.status, 200);
    assert.match(listRes.headers.get('content-type') ?? '', /application\/vc/);
    const listCredential = (await listRes.json()) as any;
    const media = (listRes.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const listProblem = checker.check('GET', '/credentials/status/{list}', 200, media, listCredential);
    assert.equal(listProblem, undefined, listProblem);
    assert.equal(listCredential.credentialSubject.statusPurpose, 'revocation');
    const listVerified = await post('/credentials/verify', { verifiableCredential: listCredential });
    assert.equal(listVerified.status, 200, JSON.stringify(listVerified.body));
    const bits = gunzipSync(Buffer.from(listCredential.credentialSubject.encodedList.slice(1), 'base64url'));
    assert.equal(bits.length * 8, 131_072);
    assert.equal((bits[94567 >> 3]! >> (7 - (94567 & 7))) & 1, 1);
    assert.equal((await fetch(listUrl('no-such-list'))).status, 404);

    // Out of range, and a list that does not exist.
    const far = await post('/credentials/issue', {
      credential: credential({
        id: 'urn:uuid:far',
        credentialStatus: entry('agency-revocation', 'revocation', '200000'),
      }),
    });
    assert.equal(
      (await post('/credentials/verify', { verifiableCredential: far.body.verifiableCredential })).body.code,
      'VC_STATUS_RANGE',
    );
    const nowhere = await post('/credentials/issue', {
      credential: credential({
        id: 'urn:uuid:nowhere',
        credentialStatus: entry('no-such-list', 'revocation', '1'),
      }),
    });
    assert.equal(
      (await post('/credentials/verify', { verifiableCredential: nowhere.body.verifiableCredential })).body
        .code,
      'VC_STATUS_RETRIEVAL',
    );
  });

  it('SD-JWT VC from the agency: anchored, selectively disclosed to a bank, verified against proven state', async () => {
    const holder = generateKeyPair('ed25519');
    const issuerKey = {
      verificationMethod: `${agency}#key-1`,
      algorithm: 'Ed25519' as const,
      secretKey: operator.secretKey.bytes,
    };
    const sdJwt = await issueSdJwtVc({
      issuerKey,
      vct: 'https://customs.example/credentials/exporter-licence',
      claims: { company: 'ACME Trading', licence: 'EX-2026-001', turnover: '12000000' },
      disclosable: ['company', 'licence', 'turnover'],
      holderJwk: publicJwk({ algorithm: 'Ed25519', secretKey: holder.secretKey.bytes }),
    });
    // Each verification pins the chain it reads at the latest certified header.
    const options = () => {
      const chain = verifiedChainLookup(light);
      return {
        resolver: didResolver({ chain }),
        chain,
        nonce: 'bank-nonce-1',
        audience: 'https://bank.example',
      };
    };
    const presentation = await presentSdJwtVc({
      credential: sdJwt,
      disclose: ['company', 'licence'],
      holderKey: { algorithm: 'Ed25519', secretKey: holder.secretKey.bytes },
      nonce: 'bank-nonce-1',
      audience: 'https://bank.example',
    });
    await assert.rejects(verifySdJwtVc(presentation, options()), {
      code: 'VC_ISSUANCE',
      check: 'issuance-anchor',
    });
    const anchored = await anchorIssuance(client, {
      key: operator,
      wait: true,
      digests: [Buffer.from(sdJwtDigest(sdJwt), 'hex')],
    });
    const anchoredAt = Number(anchored.result.height);
    await until(async () => ((await client.getStatus()).height > anchoredAt ? true : undefined));
    const verified = await verifySdJwtVc(presentation, options());
    assert.equal(verified.claims.licence, 'EX-2026-001');
    assert.equal(verified.claims.turnover, undefined);
  });

  it('accreditation: recognised by a governance proposal, checked at issuance, scoped to credential types, withdrawn the same way', async () => {
    // The jurisdiction's root authority: a DID the operator controls here.
    const root = (
      await createDid(client, {
        key: operator,
        wait: true,
        document: singleKeyDocument(didKeyOfChainKey(operator.publicKey)!),
      })
    ).did;
    const propose = async (roots: { jurisdiction: string; root: string }[]) => {
      const sent = await submitProposal(client, {
        key: operator,
        wait: true,
        title: 'trust roots',
        action: trustRootsAction(roots),
      });
      assert.equal(sent.result.receipt?.code, 'OK', sent.result.receipt?.message);
      const id = sent.result.receipt!.events.find((e) => e.type === 'proposed')!.attributes.id!;
      const proposal = await getProposal(client, id);
      await until(async () =>
        (await client.getStatus()).height + 1 >= Number(proposal.executableAt) ? true : undefined,
      );
      const done = await finalizeProposal(client, { key: operator, wait: true, id });
      assert.equal(done.result.receipt?.code, 'OK', done.result.receipt?.message);
    };
    const issue = async (type: string) =>
      (
        await post('/credentials/issue', {
          // A fresh id: Ed25519 proofs are deterministic, and an identical credential signed in the
          // same second earlier would share the earlier anchor.
          credential: credential({ id: `urn:uuid:${randomUUID()}`, type: ['VerifiableCredential', type] }),
        })
      ).body.verifiableCredential;
    const verify = (vc: unknown) =>
      post('/credentials/verify', { verifiableCredential: vc, options: { accreditation: 'require' } });
    const before = await issue('CertificateOfOrigin');
    assert.equal((await verify(before)).body.check, 'accreditation', 'not accredited yet');
    // Only a recognised root (or an accreditation body) may accredit.
    const byRoot = {
      key: operator,
      wait: true,
      accreditor: root,
      subject: agency,
      role: 'issuer' as const,
      credentialTypes: ['CertificateOfOrigin'],
      jurisdictions: ['CN'],
    };
    await assert.rejects(
      accredit(client, byRoot),
      (error) => error instanceof TransactionFailedError && error.receipt.code === 'DID_NOT_ACCREDITOR',
    );
    await propose([{ jurisdiction: 'CN', root }]);
    const accredited = await accredit(client, byRoot);
    assert.equal(accredited.result.receipt?.code, 'OK');
    // Accreditation counts from when it was recorded: what was issued before stays unaccredited.
    assert.equal((await verify(before)).body.check, 'accreditation');
    const origin = await issue('CertificateOfOrigin');
    const tax = await issue('TaxCertificate');
    const ok = await verify(origin);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.accreditation, { root, jurisdiction: 'CN', chain: [root, agency] });
    const scope = await verify(tax);
    assert.equal(scope.status, 400);
    assert.equal(scope.body.check, 'accreditation-scope');
    // Without "require", the outcome is a warning and the credential still verifies.
    const reported = await post('/credentials/verify', { verifiableCredential: tax });
    assert.equal(reported.status, 200);
    assert.equal(reported.body.warnings[0].check, 'accreditation-scope');
    // Recognition withdrawn the same way.
    await propose([]);
    assert.equal((await verify(origin)).body.check, 'accreditation-root');
  });

  it('pujiang vc verify, present and verify-presentation, trusting no node: exit 0 valid, 1 invalid, 2 bad input', async () => {
    const file = (name: string, value: unknown) => {
      const path = join(init.home, name);
      writeFileSync(path, JSON.stringify(value));
      return path;
    };
    const node_ = ['--node', node.api, '--genesis', init.genesis];
    const good = file('good.json', issued);
    const ok = await run('vc', 'verify', good, ...node_);
    assert.equal(ok.code, EXIT.ok, ok.err);
    assert.equal(JSON.parse(ok.out).verified, true);
    const bad = structuredClone(issued);
    bad.credentialSubject.hsCode = '0000.00';
    const invalid = await run('vc', 'verify', file('bad.json', bad), ...node_);
    assert.equal(invalid.code, EXIT.invalid);
    assert.equal(JSON.parse(invalid.out).error.check, 'proof');
    assert.equal((await run('vc', 'verify', join(init.home, 'missing.json'), ...node_)).code, EXIT.badInput);
    const holderKey = join(init.home, 'holder.json');
    assert.equal((await run('keys', 'generate', '--suite', 'ed25519', '--out', holderKey)).code, EXIT.ok);
    const vp = join(init.home, 'vp.json');
    const presented = await run('vc', 'present', good, '--key', holderKey, '--challenge', 'c-7', '--out', vp);
    assert.equal(presented.code, EXIT.ok, presented.err);
    assert.equal((await run('vc', 'verify-presentation', vp, '--challenge', 'c-7', ...node_)).code, EXIT.ok);
    const replay = await run('vc', 'verify-presentation', vp, '--challenge', 'c-8', ...node_);
    assert.equal(replay.code, EXIT.invalid);
    assert.equal(JSON.parse(replay.out).error.check, 'challenge');
    assert.equal((await run('vc', 'present', good, '--key', holderKey)).code, EXIT.badInput, 'no challenge');
    // Status lists from the command line: a list, a credential in it (issued through the VC-API), revoked.
    const listUrl = `${node.api}/credentials/status/cli-revocation`;
    const created = await run(
      'vc',
      'status-list',
      'create',
      '--list',
      'cli-revocation',
      '--issuer',
      agency,
      '--purpose',
      'revocation',
      '--key',
      init.operatorKey,
      '--node',
      node.api,
    );
    assert.equal(created.code, EXIT.ok, created.err);
    const withStatus = file('status.json', {
      ...credential({ id: 'urn:uuid:cli-status' }),
      credentialStatus: {
        id: `${listUrl}#7`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: listUrl,
      },
    });
    const signedFile = join(init.home, 'signed.json');
    const issuedByCli = await run(
      'vc',
      'issue',
      '--credential',
      withStatus,
      '--token',
      TOKEN,
      '--node',
      node.api,
      '--out',
      signedFile,
    );
    assert.equal(issuedByCli.code, EXIT.ok, issuedByCli.err);
    const provable = async () => {
      const height = (await client.getStatus()).height;
      await until(async () => ((await client.getStatus()).height > height + 1 ? true : undefined));
    };
    await provable();
    assert.equal((await run('vc', 'status', signedFile, ...node_)).code, EXIT.ok);
    const revoked = await run('vc', 'revoke', signedFile, '--key', init.operatorKey, '--node', node.api);
    assert.equal(revoked.code, EXIT.ok, revoked.err);
    await provable();
    const status = await run('vc', 'status', signedFile, ...node_);
    assert.equal(status.code, EXIT.invalid);
    assert.equal(JSON.parse(status.out).error.code, 'VC_REVOKED');
    // A revocation is final: the credential names no suspension list to lift.
    assert.equal(
      (await run('vc', 'reinstate', signedFile, '--key', init.operatorKey, '--node', node.api)).code,
      EXIT.badInput,
    );
    assert.equal(
      (
        await run(
          'vc',
          'status-list',
          'create',
          '--list',
          'x',
          '--issuer',
          agency,
          '--purpose',
          'nope',
          '--key',
          init.operatorKey,
        )
      ).code,
      EXIT.badInput,
    );
  });

  it('a rotated-out key: credentials it signed before still verify, one it signs after does not', async () => {
    const next = generateKeyPair('ed25519');
    const document = {
      ...singleKeyDocument(didKeyOfChainKey(operator.publicKey)!),
      methods: [
        ...singleKeyDocument(didKeyOfChainKey(operator.publicKey)!).methods,
        {
          fragment: 'key-2',
          type: 'Multikey' as const,
          controller: '',
          algorithm: 'Ed25519' as const,
          key: next.publicKey.bytes,
        },
      ],
      assertionMethod: ['key-2'],
    };
    const rotated = await updateDid(client, { key: operator, wait: true, did: agency, document });
    assert.equal(rotated.result.receipt?.code, 'OK');
    assert.equal(
      (await post('/credentials/verify', { verifiableCredential: issued })).status,
      200,
      'signed before',
    );
    // The old key signs anyway (it was stolen, say) and anchors the proof now: refused.
    const oldKey: IssuerKey = {
      verificationMethod: `${agency}#key-1`,
      algorithm: 'Ed25519',
      secretKey: operator.secretKey.bytes,
    };
    const chain = verifiedChainLookup(light);
    const loader = documentLoader(BUNDLED_CONTEXTS, didResolver({ chain }));
    const forged = await issueCredential({
      credential: credential({ id: 'urn:uuid:forged' }),
      key: oldKey,
      loader,
    });
    const digest = Buffer.from(
      proofDigest(String((forged.proof as Record<string, unknown>).proofValue)),
      'hex',
    );
    const anchored = await anchorIssuance(client, { key: operator, wait: true, digests: [digest] });
    assert.equal(anchored.result.receipt?.code, 'OK');
    // A header commits to the state before its block: the anchor is provable from the next one.
    const anchoredAt = Number(anchored.result.height);
    await until(async () => ((await client.getStatus()).height > anchoredAt ? true : undefined));
    const refused = await post('/credentials/verify', { verifiableCredential: forged });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.check, 'issuance-key');
    assert.match(refused.type, /problem\+json/);
    assert.equal((await verifyCredentialVerified(light, forged)).error?.check, 'issuance-key');
    // The node now refuses to issue with key-1: it is no longer an assertion method.
    const stale = await post('/credentials/issue', { credential: credential() });
    assert.equal(stale.status, 400);
    assert.equal(stale.body.check, 'issuance-key');
  });

  it('presentations: the holder proves them for one challenge and domain', async () => {
    const holder = generateKeyPair('ed25519');
    const multibase = toMultibase(didKeyOfChainKey(holder.publicKey)!);
    const holderKey: IssuerKey = {
      verificationMethod: `did:key:${multibase}#${multibase}`,
      algorithm: 'Ed25519',
      secretKey: holder.secretKey.bytes,
    };
    const vp = await presentCredentials({
      credentials: [issued],
      holderKey,
      challenge: 'c-42',
      domain: 'bank.example',
      loader: documentLoader(BUNDLED_CONTEXTS, didResolver({})),
    });
    const ok = await post('/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c-42', domain: 'bank.example' },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const replayed = await post('/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c-43' },
    });
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body.check, 'challenge');
    assert.equal(
      (await post('/presentations/verify', { verifiablePresentation: vp })).body.check,
      'challenge',
    );
  });

  it('every malformed or hostile body is a 4xx problem naming a check, never a 5xx', async () => {
    const must = await post('/credentials/issue', { credential: credential({ validFrom: 'yesterday' }) });
    assert.equal(must.status, 400);
    assert.equal(must.body.code, 'VC_DATA_MODEL');
    assert.equal(must.body.check, 'validFrom');
    const tampered = structuredClone(issued);
    tampered.credentialSubject.originCountry = 'US';
    assert.equal((await post('/credentials/verify', { verifiableCredential: tampered })).body.check, 'proof');
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const values: unknown[] = [
      null,
      0,
      -1,
      'x',
      '',
      [],
      {},
      true,
      'did:pujiang:x',
      { '@context': 1 },
      ['https://www.w3.org/ns/credentials/v2'],
    ];
    const mutate = (v: unknown, depth: number): unknown => {
      if (depth > 3 || random() % 4 === 0) return values[random() % values.length];
      if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [random() % 9 === 0 ? `${k}x` : k, mutate(x, depth + 1)]),
        );
      return v;
    };
    for (let i = 0; i < 60; i++) {
      for (const [path, body] of [
        ['/credentials/issue', { credential: mutate(credential(), 0) }],
        ['/credentials/verify', { verifiableCredential: mutate(issued, 0) }],
        [
          '/presentations/verify',
          {
            verifiablePresentation: mutate(
              {
                '@context': ['https://www.w3.org/ns/credentials/v2'],
                type: 'VerifiablePresentation',
                verifiableCredential: [issued],
              },
              0,
            ),
            options: { challenge: 'c' },
          },
        ],
        [['/credentials/issue', '/credentials/verify', '/presentations/verify'][i % 3]!, mutate({}, 0)],
      ] as [string, unknown][]) {
        const res = await post(path, body);
        assert.ok(
          (res.status >= 400 && res.status < 500) || res.status === 200 || res.status === 201,
          `${path}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
    }
    // Every answer above was checked against the document, write routes included.
    assert.ok(checked >= 240, `${checked} answers checked against the OpenAPI document`);
  });
});
