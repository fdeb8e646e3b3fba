import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { RouteHost, RouteInput } from '@pujiang/module-kit';
import { unauthorized } from '../src/chain/vc-api.js';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const NODE_TOKEN = 'node-wide-token-0123456789';
const OWN_TOKEN = 'customs-only-token-0123456789';

function host(unauthenticatedOnLoopback: boolean): RouteHost {
  return {
    config: {
      issuers: new Map([
        ['did:pujiang:c:customs', { tokenDigests: new Set([digest(OWN_TOKEN)]) }],
        ['did:pujiang:c:tax', {}],
      ]),
      tokenDigests: new Set([digest(NODE_TOKEN)]),
      unauthenticatedOnLoopback,
    },
  } as unknown as RouteHost;
}
const input = (address: string, token?: string): RouteInput =>
  ({
    path: {},
    query: {},
    body: undefined,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    client: { address, secure: true },
  }) as RouteInput;
const status = (reply: ReturnType<typeof unauthorized>) => reply?.status ?? 200;

describe('VC-API authorization', () => {
  it('a bearer token the node knows, scoped per issuer: 401 without one, 403 for an issuer it may not act for', () => {
    const h = host(false);
    assert.equal(status(unauthorized(h, input('10.0.0.9'))), 401);
    assert.equal(status(unauthorized(h, input('10.0.0.9', 'not-a-known-token-0123'))), 401);
    assert.equal(status(unauthorized(h, input('10.0.0.9', NODE_TOKEN), 'did:pujiang:c:tax')), 200);
    assert.equal(status(unauthorized(h, input('10.0.0.9', NODE_TOKEN), 'did:pujiang:c:customs')), 403);
    assert.equal(status(unauthorized(h, input('10.0.0.9', OWN_TOKEN), 'did:pujiang:c:customs')), 200);
    assert.equal(status(unauthorized(h, input('10.0.0.9', OWN_TOKEN), 'did:pujiang:c:tax')), 403);
    assert.equal(unauthorized(h, input('10.0.0.9'))?.headers['www-authenticate'], 'Bearer realm="vc-api"');
  });

  it('without a token only on loopback, and only when the node says so', () => {
    assert.equal(status(unauthorized(host(false), input('127.0.0.1'))), 401);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      assert.equal(status(unauthorized(host(true), input(address), 'did:pujiang:c:customs')), 200, address);
    for (const address of ['10.0.0.9', '192.168.1.2', '::ffff:10.0.0.9'])
      assert.equal(status(unauthorized(host(true), input(address))), 401, address);
  });
});
