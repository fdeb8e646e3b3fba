import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type Signed, type Vote, voteSignBytes } from '@pujiang/consensus';
import { certificateToPem, generateKeyPair, type KeyPair, parseCertificate, sign } from '@pujiang/crypto';
import { genesisHash, issueMemberCertificate, loadHome, loadOrganization } from '@pujiang/node';
import { dialPeer, type PeerLink } from '@pujiang/p2p';
import { consensusToWire, encodeWire } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { initNetwork, type NetworkHome } from './network-harness.js';

/**
 * A four-validator network for the monitor's tests, with two additions to its genesis: a
 * fifth validator of power 1 whose key only the test holds (it never runs a node: the test
 * makes it equivocate over a peer link, and the four others keep a quorum without it, also
 * when one of them is killed), and a client certificate of organization 0 that expires in
 * `expiringDays` days.
 */
export interface MonitoredNetwork {
  readonly homes: NetworkHome[];
  readonly equivocator: KeyPair;
  readonly expiringSerial: string;
}

export async function initMonitoredNetwork(expiringDays: number): Promise<MonitoredNetwork> {
  const { homes } = await initNetwork(4);
  const equivocator = generateKeyPair('ed25519');
  const ca = loadOrganization(join(homes[0]!.home, 'org'));
  const genesis = JSON.parse(readFileSync(homes[0]!.genesis, 'utf8'));
  genesis.validators.push({
    name: 'equivocator',
    suite: 'ed25519',
    publicKey: Buffer.from(equivocator.publicKey.bytes).toString('hex'),
    power: 1,
  });
  const expiring = issueMemberCertificate(ca, {
    publicKey: generateKeyPair('ed25519').publicKey,
    role: 'client',
    commonName: 'short-lived client',
    days: expiringDays,
  });
  genesis.modules.governance.identities.push(
    certificateToPem(
      issueMemberCertificate(ca, {
        publicKey: equivocator.publicKey,
        role: 'validator',
        commonName: 'equivocator',
      }),
    ),
    certificateToPem(expiring),
  );
  for (const h of homes) writeFileSync(h.genesis, JSON.stringify(genesis, null, 2));
  // The serial as governance names it: minimal big-endian hex.
  let serial = parseCertificate(expiring).serial;
  while (serial.length > 1 && serial[0] === 0) serial = serial.subarray(1);
  return { homes, equivocator, expiringSerial: Buffer.from(serial).toString('hex') };
}

/**
 * Opens a peer link to `home`'s node as the equivocator and sends, for each of the next
 * `heights` heights, two prevotes of round 0 for different values, both validly signed: an
 * equivocation any validator receiving both detects. Next-height votes wait in the driver
 * until their height starts, so the chain moving on while this runs does not lose them.
 */
export async function equivocate(
  network: MonitoredNetwork,
  home: NetworkHome,
  fromHeight: number,
  heights = 3,
): Promise<PeerLink> {
  const genesis = loadHome(home.home).genesis;
  const key = network.equivocator;
  const link = await dialPeer('127.0.0.1', home.p2pPort, {
    chainId: genesis.chainId,
    genesisHash: hexToBytes(genesisHash(genesis)),
    nodeKey: key,
    isMember: () => true,
    aead: genesis.chainHash === 'sm3' ? 'sm4-gcm' : 'aes-256-gcm',
  });
  link.on('message', () => {}); // read (and drop) what the node sends, so the link stays open
  const index = genesis.validators.findIndex((v) =>
    Buffer.from(v.publicKey.bytes).equals(Buffer.from(key.publicKey.bytes)),
  );
  for (let height = fromHeight; height < fromHeight + heights; height++)
    for (const value of ['aa'.repeat(32), 'bb'.repeat(32)]) {
      const vote: Vote = { type: 'prevote', height, round: 0, value, validator: index };
      const signed: Signed<Vote> = {
        message: vote,
        signature: sign(key.secretKey, voteSignBytes(genesis.chainId, vote)).bytes,
      };
      link.send(encodeWire(consensusToWire({ kind: 'vote', signed })));
    }
  return link;
}

/** A webhook receiver on loopback: every POSTed JSON body, in order. */
export async function webhookReceiver(
  secret?: string,
): Promise<{ url: string; bodies: any[]; close(): Promise<void> }> {
  const bodies: any[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // With a secret, only a body signed with it is taken (HMAC-SHA256, x-pujiang-signature).
      const expected = secret && `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      if (expected && req.headers['x-pujiang-signature'] !== expected) {
        bodies.push({ badSignature: true });
        res.writeHead(401).end();
        return;
      }
      try {
        bodies.push(JSON.parse(raw.toString('utf8')));
      } catch {
        bodies.push({ unparsed: true });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
