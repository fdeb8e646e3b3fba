import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair, type KeyPair, type PublicKey, type SuiteId, sign, verify } from '@pujiang/crypto';
import { bytesToHex, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import { responderFrameKind } from '../src/handshake.js';
import {
  ACCEPT,
  encodeFrame,
  FrameDecoder,
  type HandshakeOptions,
  InitiatorHandshake,
  ResponderHandshake,
  Session,
} from '../src/index.js';

const members = (...keys: KeyPair[]) => {
  const allowed = new Set(keys.map((k) => `${k.suite}:${bytesToHex(k.publicKey.bytes)}`));
  return (key: PublicKey) => allowed.has(`${key.suite}:${bytesToHex(key.bytes)}`);
};

const GENESIS = new Uint8Array(32).fill(7);

function options(
  nodeKey: KeyPair,
  isMember: (k: PublicKey) => boolean,
  over: Partial<HandshakeOptions> = {},
): HandshakeOptions {
  return {
    chainId: 'gov-chain',
    genesisHash: GENESIS,
    nodeKey,
    isMember,
    aead: nodeKey.suite === 'sm2' ? 'sm4-gcm' : 'aes-256-gcm',
    ...over,
  };
}

/** The whole exchange in memory: Hello, Challenge, Auth, Reply, Confirm, Accept. */
async function connect(a: HandshakeOptions, b: HandshakeOptions, expected?: PublicKey) {
  const initiator = new InitiatorHandshake(a, expected);
  const responder = new ResponderHandshake(b);
  const challenge = responder.challenge(initiator.hello());
  const reply = await responder.reply(await initiator.auth(challenge));
  const i = await initiator.confirm(reply);
  const r = responder.accept(i.message);
  assert.deepEqual(i.session.open(r.message), ACCEPT);
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
    it(`${suite}: members establish a session both ways; frames are confidential and in order`, async () => {
      const a = generateKeyPair(suite);
      const b = generateKeyPair(suite);
      const isMember = members(a, b);
      const { i, r } = await connect(options(a, isMember), options(b, isMember));
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

  it('an outsider gets a challenge and nothing signed; a claimed member key costs one verification, then a refusal', async () => {
    const b = generateKeyPair('ml-dsa-65');
    const a = generateKeyPair('ml-dsa-65');
    let signed = 0;
    let verified = 0;
    const counting = options(b, members(a, b), {
      signer: (m) => {
        signed++;
        return sign(b.secretKey, m).bytes;
      },
      verifier: (k, m, sig) => {
        verified++;
        return verify(k, m, { suite: k.suite, bytes: sig });
      },
    });
    // A Hello alone: a 32-byte challenge back.
    const responder = new ResponderHandshake(counting);
    assert.equal(
      responderFrameKind(responder.challenge(InitiatorHandshake.outsiderHello('gov-chain', GENESIS))),
      'challenge',
    );
    // A stranger's Auth: refused before any verification.
    const stranger = new InitiatorHandshake(options(generateKeyPair('ml-dsa-65'), () => true));
    const r1 = new ResponderHandshake(counting);
    await assert.rejects(r1.reply(await stranger.auth(r1.challenge(stranger.hello()))), {
      code: 'P2P_NOT_A_MEMBER',
    });
    // A member's key claimed without its secret: one verification, then refused.
    const impostor = new InitiatorHandshake(
      options(generateKeyPair('ml-dsa-65'), () => true, { signer: () => new Uint8Array(3309) }),
    );
    const r2 = new ResponderHandshake(counting);
    const auth = Uint8Array.from(await impostor.auth(r2.challenge(impostor.hello())));
    // Swap in the member's public key (same suite and length).
    auth.set(a.publicKey.bytes, auth.length - 3309 - 2 - a.publicKey.bytes.length);
    await assert.rejects(r2.reply(auth), { code: 'P2P_HANDSHAKE_FAILED' });
    assert.equal(verified, 1);
    assert.equal(signed, 0);
    // A recorded Auth replayed on another connection fails: the challenge differs.
    const genuine = new InitiatorHandshake(options(a, members(a, b)));
    const r3 = new ResponderHandshake(counting);
    const hello = genuine.hello();
    const recorded = await genuine.auth(r3.challenge(hello));
    const r4 = new ResponderHandshake(counting);
    r4.challenge(hello);
    await assert.rejects(r4.reply(recorded), { code: 'P2P_HANDSHAKE_FAILED' });
    assert.equal(signed, 0);
    await r3.reply(recorded);
    assert.equal(signed, 1);
  });

  it('a node outside the membership is refused on either side, and a node never links to itself', async () => {
    const a = generateKeyPair('sm2');
    const b = generateKeyPair('sm2');
    const stranger = generateKeyPair('sm2');
    await assert.rejects(connect(options(stranger, members(a, b, stranger)), options(b, members(a, b))), {
      code: 'P2P_NOT_A_MEMBER',
    });
    await assert.rejects(connect(options(a, members(a)), options(stranger, members(a, stranger))), {
      code: 'P2P_NOT_A_MEMBER',
    });
    // Its own key, as the responder sees it and as the initiator does (a reflected dial).
    await assert.rejects(connect(options(a, members(a, b)), options(a, members(a, b))), {
      code: 'P2P_SELF_LINK',
    });
  });

  it('a dial answered by another member than the one configured is refused', async () => {
    const [a, b, c] = [generateKeyPair('ed25519'), generateKeyPair('ed25519'), generateKeyPair('ed25519')];
    const isMember = members(a, b, c);
    await assert.rejects(connect(options(a, isMember), options(c, isMember), b.publicKey), {
      code: 'P2P_UNEXPECTED_PEER',
    });
    const { i } = await connect(options(a, isMember), options(b, isMember), b.publicKey);
    assert.deepEqual(i.peer, b.publicKey);
  });

  it('another chain, genesis, version or AEAD, a forged signature or a substituted key fails; garbage is a typed error', async () => {
    const a = generateKeyPair('ed25519');
    const b = generateKeyPair('ed25519');
    const isMember = members(a, b);
    await assert.rejects(connect(options(a, isMember, { chainId: 'other' }), options(b, isMember)), {
      code: 'P2P_WRONG_CHAIN',
    });
    // Same chain id and keys, another genesis: refused.
    await assert.rejects(
      connect(options(a, isMember, { genesisHash: new Uint8Array(32) }), options(b, isMember)),
      { code: 'P2P_WRONG_CHAIN' },
    );
    await assert.rejects(connect(options(a, isMember, { aead: 'sm4-gcm' }), options(b, isMember)), {
      code: 'P2P_HANDSHAKE_FAILED',
    });

    // A man in the middle swaps the responder's ephemeral key: the signature no longer covers it.
    const initiator = new InitiatorHandshake(options(a, isMember));
    const responder = new ResponderHandshake(options(b, isMember));
    const reply = Uint8Array.from(
      await responder.reply(await initiator.auth(responder.challenge(initiator.hello()))),
    );
    reply[5]! ^= 1;
    await assert.rejects(initiator.confirm(reply), { code: 'P2P_HANDSHAKE_FAILED' });

    // A Confirm under other keys does not establish the link on the responder.
    const i2 = new InitiatorHandshake(options(a, isMember));
    const r2 = new ResponderHandshake(options(b, isMember));
    await r2.reply(await i2.auth(r2.challenge(i2.hello())));
    assert.throws(() => r2.accept(new Uint8Array(40)), { code: 'P2P_DECRYPT_FAILED' });

    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (junk) => {
        const r = new ResponderHandshake(options(b, isMember));
        const i = new InitiatorHandshake(options(a, isMember));
        for (const step of [
          async () => r.challenge(junk),
          async () => r.reply(junk),
          async () => r.accept(junk),
          async () => i.auth(junk),
          async () => i.confirm(junk),
        ]) {
          try {
            await step();
          } catch (e) {
            assert.match(
              (e as { code: string }).code,
              /^P2P_(HANDSHAKE_FAILED|WRONG_CHAIN|NOT_A_MEMBER|DECRYPT_FAILED|SELF_LINK)$/,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('session rekeying', () => {
  it('both sides move to the next key at the same frame, once the byte budget is spent', () => {
    const key = new Uint8Array(32).fill(1);
    const other = new Uint8Array(32).fill(2);
    const a = new Session('aes-256-gcm', key, other, { rekeyBytes: 100 });
    const b = new Session('aes-256-gcm', other, key, { rekeyBytes: 100 });
    const unrekeyed = new Session('aes-256-gcm', key, other);
    let differed = -1;
    for (let n = 0; n < 50; n++) {
      const message = utf8ToBytes(`frame ${n}`);
      const sealed = a.seal(message);
      assert.deepEqual(b.open(sealed), message);
      const plain = unrekeyed.seal(message);
      if (differed < 0 && Buffer.compare(Buffer.from(sealed), Buffer.from(plain)) !== 0) differed = n;
    }
    // Frames of 24 sealed bytes: the budget of 100 is spent after the fifth, so the sixth has a new key.
    assert.equal(differed, 5);
    // A receiver that does not rekey cannot follow past that frame.
    const c = new Session('aes-256-gcm', key, other, { rekeyBytes: 100 });
    const stale = new Session('aes-256-gcm', other, key);
    for (let n = 0; n < 5; n++) stale.open(c.seal(utf8ToBytes(`frame ${n}`)));
    assert.throws(() => stale.open(c.seal(utf8ToBytes('frame 5'))), { code: 'P2P_DECRYPT_FAILED' });
  });
});
