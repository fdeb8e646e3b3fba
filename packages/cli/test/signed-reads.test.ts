import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readKeyFile } from '@pujiang/node';
import { generateKeyPair, type KeyPair, PujiangClient, requestSigner, signatureHeaders } from '@pujiang/sdk';
import { WebSocket } from 'ws';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess } from './node-harness.js';
import { registerClient, run } from './run-in-process.js';

/**
 * A members-only node (`api.reads: "members"`), a real process: public routes answer anyone;
 * every other read needs a request signed by a registered, valid member (RFC 9421); unsigned,
 * unknown, tampered, expired, replayed and revoked requests get 401 or 403 with typed codes.
 */
describe('members-only reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-reads-'));
  let init: InitOutput;
  let node: NodeProcess;
  let member: KeyPair;
  let memberFile: string;
  let memberCert: string;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${node.api}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };
  const signed = (key: KeyPair, path: string, override: { created?: Date; nonce?: string } = {}) =>
    signatureHeaders(
      requestSigner(key, async () => 'sm3'),
      'GET',
      `${node.api}${path}`,
      undefined,
      override,
    );

  before(async () => {
    init = initHome('sm2');
    node = await startNodeProcess(init.home);
    memberFile = await registerClient(init.home, node.api, dir, 'sm2', 'analyst');
    memberCert = join(dir, 'analyst.pem');
    member = readKeyFile(memberFile);
    node.child.kill('SIGTERM');
    await node.exited;
    const configPath = join(init.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify({ ...config, api: { ...config.api, reads: 'members' } }));
    node = await startNodeProcess(init.home);
  });
  after(async () => {
    if (node.child.exitCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(init.home, { recursive: true, force: true });
  });

  it('answers the public routes to anyone and refuses other unsigned reads with 401', async () => {
    assert.equal((await get('/v1/status')).status, 200);
    assert.equal((await get('/v1/openapi.json')).status, 200);
    const did = await get(
      `/1.0/identifiers/did:pujiang:${JSON.parse(readFileSync(init.genesis, 'utf8')).chainId}:abc`,
    );
    assert.ok([400, 404].includes(did.status), `DID resolution answered ${did.status}`);
    const block = await get('/v1/blocks/1');
    assert.equal(block.status, 401);
    assert.equal(block.body.error.code, 'API_UNAUTHENTICATED');
    const query = await get('/v1/query/governance/config');
    assert.equal(query.status, 401);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${node.api.replace('http', 'ws')}/v1/events`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    assert.equal(refused, 401);
    // Ethereum JSON-RPC reads state: a POST to /rpc and its WebSocket are reads here too.
    const rpc = await fetch(`${node.api}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_getStorageAt',
        params: [`0x${'11'.repeat(20)}`, '0x0', 'latest'],
      }),
    });
    assert.equal(rpc.status, 401);
    assert.equal(((await rpc.json()) as { error: { code: string } }).error.code, 'API_UNAUTHENTICATED');
    const rpcSocket = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${node.api.replace('http', 'ws')}/rpc`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    assert.equal(rpcSocket, 401);
  });

  it("serves a registered member's signed reads, through the SDK and the CLI", async () => {
    const client = new PujiangClient({ url: node.api, signer: member });
    assert.equal((await client.getBlock(1)).header.height, 1);
    assert.equal((await client.query('governance', 'config')).result !== undefined, true);
    const unsigned = await run('gov', 'members', '--node', node.api);
    assert.notEqual(unsigned.code, 0);
    assert.match(unsigned.err, /API_UNAUTHENTICATED/);
    const cli = await run('gov', 'members', '--node', node.api, '--sign-as', memberFile);
    assert.equal(cli.code, 0, cli.err);
  });

  it('refuses unknown keys, tampered, expired, replayed and malformed signatures with typed codes', async () => {
    const stranger = await get('/v1/blocks/1', await signed(generateKeyPair('sm2'), '/v1/blocks/1'));
    assert.deepEqual([stranger.status, stranger.body.error.code], [401, 'API_UNAUTHENTICATED']);
    const moved = await get('/v1/blocks/2', await signed(member, '/v1/blocks/1'));
    assert.deepEqual([moved.status, moved.body.error.code], [401, 'API_SIGNATURE_INVALID']);
    const old = await get(
      '/v1/blocks/1',
      await signed(member, '/v1/blocks/1', { created: new Date(Date.now() - 600_000) }),
    );
    assert.deepEqual([old.status, old.body.error.code], [401, 'API_SIGNATURE_EXPIRED']);
    const ahead = await get(
      '/v1/blocks/1',
      await signed(member, '/v1/blocks/1', { created: new Date(Date.now() + 600_000) }),
    );
    assert.deepEqual([ahead.status, ahead.body.error.code], [401, 'API_SIGNATURE_EXPIRED']);
    const once = await signed(member, '/v1/blocks/1');
    assert.equal((await get('/v1/blocks/1', once)).status, 200);
    const replayed = await get('/v1/blocks/1', once);
    assert.deepEqual([replayed.status, replayed.body.error.code], [401, 'API_SIGNATURE_REPLAYED']);
    const garbage = await get('/v1/blocks/1', {
      'signature-input': 'pujiang=(',
      signature: 'pujiang=:AA==:',
    });
    assert.deepEqual([garbage.status, garbage.body.error.code], [401, 'API_SIGNATURE_MALFORMED']);
    const partial = await signed(member, '/v1/blocks/1');
    const noNonce = {
      ...partial,
      'signature-input': (partial['signature-input'] ?? '').replace(/;nonce="[0-9a-f]+"/, ''),
    };
    const unsignedNonce = await get('/v1/blocks/1', noNonce);
    assert.deepEqual([unsignedNonce.status, unsignedNonce.body.error.code], [401, 'API_SIGNATURE_MALFORMED']);
    // Two signatures: refused, not judged by one of them.
    const two = {
      ...partial,
      'signature-input': `${partial['signature-input']}, other=("@method");created=1`,
    };
    assert.deepEqual((await get('/v1/blocks/1', two)).body.error.code, 'API_SIGNATURE_MALFORMED');
  });

  it('refuses a member whose certificate governance revoked with 403', async () => {
    const proposed = await run(
      'gov',
      'propose',
      'revoke-cert',
      '--cert',
      memberCert,
      '--key',
      init.operatorKey,
      '--node',
      node.api,
      '--sign-as',
      init.operatorKey,
    );
    assert.equal(proposed.code, 0, proposed.err);
    const id = JSON.parse(proposed.out).proposal;
    let done = await run(
      'gov',
      'finalize',
      id,
      '--key',
      init.operatorKey,
      '--node',
      node.api,
      '--sign-as',
      init.operatorKey,
    );
    for (let i = 0; done.code !== 0 && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = await run(
        'gov',
        'finalize',
        id,
        '--key',
        init.operatorKey,
        '--node',
        node.api,
        '--sign-as',
        init.operatorKey,
      );
    }
    assert.equal(done.code, 0, done.err);
    const revoked = await get('/v1/blocks/1', await signed(member, '/v1/blocks/1'));
    assert.deepEqual([revoked.status, revoked.body.error.code], [403, 'API_FORBIDDEN']);
    assert.equal(revoked.body.error.details.problem, 'MEMBER_REVOKED');
  });
});
