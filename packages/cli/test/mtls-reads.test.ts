import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { secretKeyToPem } from '@pujiang/crypto';
import { readKeyFile } from '@pujiang/node';
import { type InitOutput, initHome, type NodeProcess, startNodeProcess } from './node-harness.js';
import { registerClient, run } from './run-in-process.js';

/**
 * Mutual TLS, the alternative to signed requests on a members-only node: a member's own
 * certificate (issued by its organization's CA, its key registered on chain) opens reads;
 * no certificate, or one for a key the chain does not know, is a 401.
 */
describe('members-only reads over mutual TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pujiang-mtls-'));
  let init: InitOutput;
  let node: NodeProcess;
  const tls = (name: string) => ({
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    key: secretKeyToPem(readKeyFile(join(dir, `${name}.json`)).secretKey),
  });

  const get = (path: string, client?: { cert: string; key: string }) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const url = new URL(`${node.api}${path}`);
      const req = request(
        { host: url.hostname, port: url.port, path, rejectUnauthorized: false, ...(client ?? {}) },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += String(d);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  before(async () => {
    init = initHome('ed25519');
    node = await startNodeProcess(init.home);
    await registerClient(init.home, node.api, dir, 'ed25519', 'analyst');
    // A certificate from the same CA for a key that never registered.
    for (const argv of [
      ['keys', 'generate', '--suite', 'ed25519', '--out', join(dir, 'stranger.json')],
      [
        'cert',
        'issue',
        '--org-dir',
        join(init.home, 'org'),
        '--role',
        'client',
        '--key-file',
        join(dir, 'stranger.json'),
        '--out',
        join(dir, 'stranger.pem'),
      ],
    ])
      assert.equal((await run(...argv)).code, 0);
    node.child.kill('SIGTERM');
    await node.exited;
    writeFileSync(
      join(init.home, 'api-key.pem'),
      secretKeyToPem(readKeyFile(join(init.home, 'node_key.json')).secretKey),
    );
    const configPath = join(init.home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.api = { ...config.api, tls: { cert: 'node_cert.pem', key: 'api-key.pem' }, reads: 'members' };
    writeFileSync(configPath, JSON.stringify(config));
    node = await startNodeProcess(init.home);
    assert.match(node.api, /^https:/);
  });
  after(async () => {
    node.child.kill('SIGTERM');
    await node.exited;
    rmSync(dir, { recursive: true, force: true });
    rmSync(init.home, { recursive: true, force: true });
  });

  it("serves a member's certificate, and refuses no certificate or an unknown key with 401", async () => {
    assert.equal((await get('/v1/status')).status, 200);
    const anonymous = await get('/v1/blocks/1');
    assert.deepEqual([anonymous.status, anonymous.body.error.code], [401, 'API_UNAUTHENTICATED']);
    const member = await get('/v1/blocks/1', tls('analyst'));
    assert.equal(member.status, 200);
    assert.equal(member.body.header.height, 1);
    const stranger = await get('/v1/blocks/1', tls('stranger'));
    assert.deepEqual([stranger.status, stranger.body.error.code], [401, 'API_UNAUTHENTICATED']);
  });
});
