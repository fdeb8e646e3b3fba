import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { PujiangTransport } from '../src/pujiang-transport.js';
import { Submitters } from '../src/submitters.js';

/** A node API stand-in: admits everything posted to /v1/txs/batch and keeps the transactions (hex). */
async function fakeNode(): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const results: { hash: string }[] = [];
      for (let at = 0; at < body.length; ) {
        const n = body.readUInt32BE(at);
        const hex = body.subarray(at + 4, at + 4 + n).toString('hex');
        received.push(hex);
        results.push({ hash: hex });
        at += 4 + n;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

describe('Submitters', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  it("sends each sender's transactions to one node only, in order, and reports when each was sent", async () => {
    const nodes = await Promise.all([fakeNode(), fakeNode(), fakeNode()]);
    servers.push(...nodes.map((n) => n.server));
    // 5 senders, 4 transactions each, interleaved as presign orders them; tx hex = sender byte, nonce byte.
    const hex: string[] = [];
    const sender: number[] = [];
    for (let nonce = 0; nonce < 4; nonce++)
      for (let s = 0; s < 5; s++) {
        hex.push(`0${s}0${nonce}`);
        sender.push(s);
      }
    const submitters = new Submitters(
      { hex, hashes: hex, sender },
      { apiUrls: nodes.map((n) => n.url), maxBatch: 3, maxInFlight: 1 },
      (url, part, inFlight) => new PujiangTransport(url, part, inFlight),
    );
    assert.ok(Number.isNaN(submitters.sentAt(0)));
    assert.equal(submitters.sentAt(hex.length), undefined);
    await submitters.offer(600, performance.now() + 300, true);
    await submitters.idle();
    submitters.close();
    assert.equal(submitters.admitted, hex.length);
    assert.equal(submitters.offered, hex.length);
    nodes.forEach((node, i) => {
      const expected = hex.filter((_, k) => sender[k]! % nodes.length === i);
      assert.deepEqual(node.received, expected, `node ${i}`);
    });
    for (let k = 0; k < hex.length; k++) assert.ok(submitters.sentAt(k)! > 0, `tx ${k} sent`);
  });
});
