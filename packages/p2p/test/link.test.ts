import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair, type KeyPair, type PublicKey, type SuiteId } from '@pujiang/crypto';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import {
  encodeFrame,
  FrameDecoder,
  type HandshakeOptions,
  InitiatorHandshake,
  ResponderHandshake,
} from '../src/index.js';

const members = (...keys: KeyPair[]) => {
  const allowed = new Set(keys.map((k) => `${k.suite}:${bytesToHex(k.publicKey.bytes)}`));
  return (key: PublicKey) => allowed.has(`${key.suite}:${bytesToHex(key.bytes)}`);
};

function options(
  nodeKey: KeyPair,
  isMember: (k: PublicKey) => boolean,
  over: Partial<HandshakeOptions> = {},
): HandshakeOptions {
  return {
    chainId: 'gov-chain',
    nodeKey,
    isMember,
    aead: nodeKey.suite === 'sm2' ? 'sm4-gcm' : 'aes-256-gcm',
    ...over,
  };
}

function connect(a: HandshakeOptions, b: HandshakeOptions) {
  const initiator = new InitiatorHandshake(a);
  const responder = new ResponderHandshake(b);
  const reply = responder.reply(initiator.hello());
  const i = initiator.finish(reply);
  const r = responder.finish(i.message);
  return { i, r };
}

describe('peer link framing', () => {
  it('frames come out whole whatever the chunking of the stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map(encodeFrame));
          const decoder = new FrameDecoder(1024);
          const out: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const n = cuts[i % cuts.length]!;
            out.push(...decoder.push(stream.subarray(at, at + n)));
            at += n;
          }
          assert.deepEqual(out.map(bytesToHex), payloads.map(bytesToHex));
          assert.equal(decoder.pending, 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a declared length over the limit is refused before it is buffered', () => {
    const decoder = new FrameDecoder(100);
    assert.throws(() => decoder.push(Uint8Array.of(0, 0, 0, 101)), { code: 'P2P_FRAME_TOO_LARGE' });
  });
});

describe('peer link handshake', () => {
  for (const suite of ['sm2', 'ed25519', 'sm2+ml-dsa-65'] as SuiteId[]) {
    it(`${suite}: members establish a session both ways; frames are confidential and in order`, () => {
      const a = generateKeyPair(suite);
      const b = generateKeyPair(suite);
      const isMember = members(a, b);
      const { i, r } = connect(options(a, isMember), options(b, isMember));
      assert.deepEqual(i.peer, b.publicKey);
      assert.deepEqual(r.peer, a.publicKey);
      const message = utf8ToBytes('prevote h=7 r=0');
      const sealed = i.session.seal(message);
      assert.equal(Buffer.from(sealed).includes(Buffer.from(message)), false);
      assert.deepEqual(r.session.open(sealed), message);
      assert.deepEqual(i.session.open(r.session.seal(utf8ToBytes('ack'))), utf8ToBytes('ack'));
      // Replayed, reordered or altered frames do not open.
      assert.throws(() => r.session.open(sealed), { code: 'P2P_DECRYPT_FAILED' });
      const one = i.session.seal(utf8ToBytes('1'));
      const two = i.session.seal(utf8ToBytes('2'));
      assert.throws(() => r.session.open(two), { code: 'P2P_DECRYPT_FAILED' });
      const bent = Uint8Array.from(one);
      bent[0]! ^= 1;
      assert.throws(() => r.session.open(bent), { code: 'P2P_DECRYPT_FAILED' });
      assert.deepEqual(r.session.open(one), utf8ToBytes('1'));
    });
  }

  it('a node outside the membership is refused on either side', () => {
    const a = generateKeyPair('sm2');
    const b = generateKeyPair('sm2');
    const stranger = generateKeyPair('sm2');
    assert.throws(() => connect(options(stranger, members(a, b, stranger)), options(b, members(a, b))), {
      code: 'P2P_NOT_A_MEMBER',
    });
    assert.throws(() => connect(options(a, members(a)), options(stranger, members(a, stranger))), {
      code: 'P2P_NOT_A_MEMBER',
    });
  });

  it('another chain, a forged signature or a substituted key fails; garbage is a typed error', () => {
    const a = generateKeyPair('ed25519');
    const b = generateKeyPair('ed25519');
    const isMember = members(a, b);
    assert.throws(() => connect(options(a, isMember, { chainId: 'other' }), options(b, isMember)), {
      code: 'P2P_WRONG_CHAIN',
    });

    // A man in the middle swaps the responder's ephemeral key: the signature no longer covers it.
    const initiator = new InitiatorHandshake(options(a, isMember));
    const responder = new ResponderHandshake(options(b, isMember));
    const reply = Uint8Array.from(responder.reply(initiator.hello()));
    reply[5]! ^= 1;
    assert.throws(() => initiator.finish(reply), { code: 'P2P_HANDSHAKE_FAILED' });

    // A member's key claimed without its secret: the signature fails.
    const i2 = new InitiatorHandshake(options(generateKeyPair('ed25519'), isMember));
    const r2 = new ResponderHandshake(options(b, isMember));
    const genuine = new InitiatorHandshake(options(a, isMember));
    r2.reply(i2.hello());
    const forged = Uint8Array.from(
      genuine.finish(new ResponderHandshake(options(b, isMember)).reply(genuine.hello())).message,
    );
    assert.throws(() => r2.finish(forged), { code: 'P2P_HANDSHAKE_FAILED' });

    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        for (const step of [
          () => new ResponderHandshake(options(b, isMember)).reply(junk),
          () => new InitiatorHandshake(options(a, isMember)).finish(junk),
        ]) {
          try {
            step();
          } catch (e) {
            assert.match((e as { code: string }).code, /^P2P_(HANDSHAKE_FAILED|WRONG_CHAIN|NOT_A_MEMBER)$/);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
