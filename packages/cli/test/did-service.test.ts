import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readKeyFile } from '@pujiang/node';
import {
  createDid,
  deactivateDid,
  didKeyOfChainKey,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  LightClient,
  PujiangClient,
  parseGenesis,
  renderDocument,
  resolveDid,
  resolveDidVerified,
  singleKeyDocument,
  TransactionFailedError,
  updateDid,
  VerificationError,
  verifyDidResolutionProof,
} from '@pujiang/sdk';
import { EXIT } from '../src/run.js';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess } from './node-harness.js';
import { registerClient, run } from './run-in-process.js';

/** The receipt's code: `OK`, or the code of the `TransactionFailedError` the SDK throws for a failure. */
async function receiptCode(sent: Promise<{ result: { receipt?: { code: string } } }>) {
  try {
    return (await sent).result.receipt?.code;
  } catch (error) {
    if (error instanceof TransactionFailedError) return error.receipt.code;
    throw error;
  }
}

/**
 * The did:pujiang method on one real validator process: create, rotate a key, update by a
 * controller or the registrar organization, deactivate; W3C DID Resolution over HTTP with
 * versions, times, representations, its error statuses, and state proofs the SDK checks
 * against certified headers; the `pujiang did` commands and their exit codes.
 */
describe('did:pujiang on a running validator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-did-'));
  let init: InitOutput;
  let node: NodeProcess;
  let client: PujiangClient;
  let light: LightClient;
  let genesis: Genesis;
  let operator: KeyPair;
  let member: KeyPair;
  let agencyDid: string;
  let createdAt: string;

  const resolveHttp = async (did: string, query = '', accept?: string) => {
    const res = await fetch(`${node.api}/1.0/identifiers/${encodeURIComponent(did)}${query}`, {
      headers: accept === undefined ? {} : { accept },
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
  };

  before(async () => {
    // A government chain: SM2 keys (compressed into the DIDs' Multikeys), SM3 hashes.
    init = initHome('sm2');
    genesis = parseGenesis(JSON.parse(readFileSync(init.genesis, 'utf8')));
    operator = readKeyFile(init.operatorKey);
    node = await startNodeProcess(init.home);
    client = new PujiangClient(node.api);
    light = new LightClient({ client, genesis });
    // A second member (a client of org0), which controls nothing until a DID names it.
    const keyFile = await registerClient(init.home, node.api, dir, 'sm2', 'member');
    member = readKeyFile(keyFile);
  });
  after(async () => {
    if (node.child.exitCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates an agency's DID and rotates its assertion key; every version stays resolvable", async () => {
    const operatorKey = didKeyOfChainKey(operator.publicKey)!;
    const created = await createDid(client, {
      key: operator,
      wait: true,
      document: singleKeyDocument(operatorKey),
    });
    assert.equal(created.result.receipt?.code, 'OK');
    agencyDid = created.did;
    assert.match(agencyDid, new RegExp(`^did:pujiang:${genesis.chainId}:[1-9A-HJ-NP-Za-km-z]{22}$`));
    const v1 = await resolveDid(client, agencyDid);
    assert.equal(v1?.versionId, 1);
    assert.equal(v1?.registrar, '');
    createdAt = v1!.created;

    // The rotation: a new key signs credentials; the operator's stays the controller.
    const next = didKeyOfChainKey(generateKeyPair('ed25519').publicKey)!;
    const document = {
      ...singleKeyDocument(operatorKey),
      methods: [
        ...singleKeyDocument(operatorKey).methods,
        {
          fragment: 'key-2',
          type: 'JsonWebKey' as const,
          controller: '',
          algorithm: next.algorithm,
          key: next.bytes,
        },
      ],
      assertionMethod: ['key-2'],
    };
    await new Promise((r) => setTimeout(r, 1100)); // the next version's block has a later second
    assert.equal(
      await receiptCode(updateDid(client, { key: operator, wait: true, did: agencyDid, document })),
      'OK',
    );
    const v2 = await resolveDid(client, agencyDid);
    assert.equal(v2?.versionId, 2);
    assert.deepEqual(v2?.document, renderDocument(agencyDid, document));
    assert.deepEqual(v2?.document.assertionMethod, [`${agencyDid}#key-2`]);
    assert.equal(v2?.document.verificationMethod?.[1]?.publicKeyJwk?.kty, 'OKP');
    // The version in force at creation is still version 1.
    const old = await resolveDid(client, agencyDid, { versionTime: BigInt(createdAt) });
    assert.equal(old?.versionId, 1);
    assert.equal(old?.nextVersionId, 2);
    assert.equal(
      (await resolveDid(client, agencyDid, { versionId: 1 }))?.document.assertionMethod?.[0],
      `${agencyDid}#key-1`,
    );
  });

  it('refuses changes by a non-controller, a stale version, and a malformed document', async () => {
    const document = singleKeyDocument(didKeyOfChainKey(member.publicKey)!);
    assert.equal(
      await receiptCode(updateDid(client, { key: member, wait: true, did: agencyDid, document })),
      'DID_NOT_AUTHORIZED',
    );
    assert.equal(
      await receiptCode(
        updateDid(client, { key: operator, wait: true, did: agencyDid, document, version: 1 }),
      ),
      'DID_VERSION_CONFLICT',
    );
    await assert.rejects(
      updateDid(client, {
        key: operator,
        did: agencyDid,
        document: { ...document, authentication: ['missing'] },
      }),
      (e: Error & { code?: string }) => e.code === 'SDK_INVALID_ARGUMENT',
    );
  });

  it("an organization's administrator registers a member's DID; the member and the organization may change it", async () => {
    const memberKey = didKeyOfChainKey(member.publicKey)!;
    const created = await createDid(client, {
      key: operator,
      wait: true,
      document: singleKeyDocument(memberKey),
    });
    const state = await resolveDid(client, created.did);
    assert.equal(state?.registrar, 'org0');
    assert.equal(state?.document.verificationMethod?.[0]?.publicKeyMultibase?.startsWith('z'), true);
    const withService = {
      ...singleKeyDocument(memberKey),
      services: [{ fragment: 'inbox', type: 'LinkedDomains', endpoint: 'https://member.example' }],
    };
    assert.equal(
      await receiptCode(
        updateDid(client, { key: member, wait: true, did: created.did, document: withService }),
      ),
      'OK',
    );
    assert.equal(
      await receiptCode(deactivateDid(client, { key: operator, wait: true, did: created.did })),
      'OK',
    );
    const gone = await resolveHttp(created.did);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.didDocumentMetadata.deactivated, true);
    assert.equal(gone.body.didDocument.service[0].serviceEndpoint, 'https://member.example');
    assert.equal(
      await receiptCode(
        updateDid(client, { key: member, wait: true, did: created.did, document: withService, version: 3 }),
      ),
      'DID_DEACTIVATED',
    );
  });

  it('resolves over HTTP as W3C DID Resolution: representations, versions and the error statuses', async () => {
    const ok = await resolveHttp(agencyDid);
    assert.equal(ok.status, 200);
    assert.match(ok.type ?? '', /did-resolution/);
    assert.equal(ok.body.didDocument.id, agencyDid);
    assert.equal(ok.body.didDocumentMetadata.versionId, '2');
    assert.match(ok.body.didDocumentMetadata.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(ok.body.didDocumentMetadata.deactivated, false);
    const plain = await resolveHttp(agencyDid, '', 'application/did+json');
    assert.equal(plain.status, 200);
    assert.equal(plain.body['@context'], undefined);
    assert.equal(plain.body.id, agencyDid);
    const ld = await resolveHttp(agencyDid, '', 'application/did+ld+json');
    assert.equal(ld.body['@context'][0], 'https://www.w3.org/ns/did/v1');
    const first = await resolveHttp(agencyDid, '?versionId=1');
    assert.equal(first.body.didDocumentMetadata.versionId, '1');
    assert.equal(first.body.didDocumentMetadata.nextVersionId, '2');
    const atCreation = `${new Date(Number(createdAt)).toISOString().slice(0, 19)}Z`;
    assert.equal(
      (await resolveHttp(agencyDid, `?versionTime=${atCreation}`)).body.didDocumentMetadata.versionId,
      '1',
    );
    const [, , , id] = agencyDid.split(':');
    const cases: [string, string, string | undefined, number, string][] = [
      ['did:pujiang:x', '', undefined, 400, 'invalidDid'],
      ['not-a-did', '', undefined, 400, 'invalidDid'],
      ['did:web:example.com', '', undefined, 501, 'methodNotSupported'],
      [`did:pujiang:other-chain:${id}`, '', undefined, 404, 'notFound'],
      [`did:pujiang:${genesis.chainId}:${'1'.repeat(22)}`, '', undefined, 404, 'notFound'],
      [agencyDid, '?versionId=9', undefined, 404, 'notFound'],
      [agencyDid, '?versionTime=1970-01-01T00:00:00Z', undefined, 404, 'notFound'],
      [agencyDid, '?versionId=abc', undefined, 400, 'invalidDidUrl'],
      [agencyDid, '?versionTime=yesterday', undefined, 400, 'invalidDidUrl'],
      [agencyDid, '', 'text/html', 406, 'representationNotSupported'],
    ];
    for (const [did, query, accept, status, error] of cases) {
      const res = await resolveHttp(did, query, accept);
      assert.equal(res.status, status, `${did}${query} ${accept}`);
      assert.equal(res.body.didResolutionMetadata.error, error, `${did}${query}`);
      assert.equal(res.body.didDocument, null);
    }
  });

  it('proves a resolution: the SDK rebuilds it from reads proven under a certified header, and catches a lie', async () => {
    const verified = await resolveDidVerified(light, agencyDid);
    assert.equal(verified?.versionId, 2);
    assert.deepEqual(verified, await resolveDid(client, agencyDid));
    assert.equal((await resolveDidVerified(light, agencyDid, { versionId: 1 }))?.versionId, 1);
    assert.equal(
      await resolveDidVerified(light, `did:pujiang:${genesis.chainId}:${'1'.repeat(22)}`),
      undefined,
    );

    const { body } = await resolveHttp(agencyDid, '?proof=true');
    const proof = body.didResolutionMetadata.proof;
    const header = await light.getVerifiedHeader(proof.height);
    assert.equal(verifyDidResolutionProof(proof, header, agencyDid)?.versionId, 2);
    // A node that hides a version's key (or changes any byte of it) is caught.
    const dropped = { ...proof, reads: proof.reads.slice(1) };
    assert.throws(
      () => verifyDidResolutionProof(dropped, header, agencyDid),
      (e) => e instanceof VerificationError,
    );
    const changed = structuredClone(proof);
    changed.reads[0].value = changed.reads[0].value.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
    assert.throws(
      () => verifyDidResolutionProof(changed, header, agencyDid),
      (e) => e instanceof VerificationError,
    );
  });

  it('pujiang did create, resolve and deactivate, with exit codes 0, 1 and 2', async () => {
    const keyFile = join(dir, 'holder.json');
    writeFileSync(keyFile, readFileSync(init.operatorKey));
    const created = await run('did', 'create', '--key', keyFile, '--node', node.api);
    assert.equal(created.code, EXIT.ok, created.err);
    const did = JSON.parse(created.out).did as string;
    const resolved = await run('did', 'resolve', did, '--node', node.api);
    assert.equal(resolved.code, EXIT.ok, resolved.err);
    assert.equal(JSON.parse(resolved.out).didDocument.id, did);
    assert.equal(
      (await run('did', 'resolve', `did:pujiang:${genesis.chainId}:${'1'.repeat(22)}`, '--node', node.api))
        .code,
      EXIT.invalid,
    );
    assert.equal((await run('did', 'resolve', 'did:web:x', '--node', node.api)).code, EXIT.badInput);
    assert.equal(
      (await run('did', 'resolve', did, '--version-time', 'soon', '--node', node.api)).code,
      EXIT.badInput,
    );
    assert.equal((await run('did', 'create', did, '--key', keyFile, '--node', node.api)).code, EXIT.badInput);
    assert.equal((await run('did', 'deactivate', did, '--key', keyFile, '--node', node.api)).code, EXIT.ok);
    assert.equal((await run('did', 'resolve', did, '--node', node.api)).code, EXIT.invalid);
  });
});
