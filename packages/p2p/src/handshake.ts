import { bytes, decode, encode, fixedBytes, literals, string, struct, u32 } from '@pujiang/codec';
import {
  type AeadAlgorithm,
  generateEphemeralKeyPair,
  getSuite,
  hash,
  hkdfSha256,
  type KeyPair,
  type PublicKey,
  SUITE_IDS,
  sign,
  verify,
  x25519SharedSecret,
} from '@pujiang/crypto';
import { concatBytes, isPujiangError, utf8ToBytes } from '@pujiang/types';
import { p2pError } from './errors.js';
import { Session } from './session.js';

/**
 * The authenticated key exchange of a peer link (the SIGMA pattern, as in IKEv2 and TLS 1.3):
 *
 *   initiator -> responder  Hello  {version, chainId, eI}
 *   responder -> initiator  Reply  {eR, node key R, sig_R(transcript)}
 *   initiator -> responder  Finish {node key I, sig_I(transcript)}
 *   responder -> initiator  Accept (the first sealed frame: key confirmation, and the
 *                           initiator learns it was admitted rather than seeing a close)
 *
 * eI, eR are ephemeral X25519 keys; each side signs the transcript (both ephemeral keys,
 * the chain id, its role, and the keys named so far) with its node key, in whatever suite
 * the chain uses (SM2 on government chains). Session keys come from HKDF over the X25519
 * secret, salted with the transcript hash: a peer proves it holds a member's node key, and
 * a man in the middle can neither read nor substitute keys. Membership is the caller's
 * check (`isMember`); a key it refuses is `P2P_NOT_A_MEMBER`. Pure: no sockets, no timers.
 */
export const P2P_VERSION = 1;
/** The content of the responder's first sealed frame. */
export const ACCEPT = utf8ToBytes('pujiang/p2p/v1 accept');

const Hello = struct('P2pHello', { version: u32, chainId: string({ max: 64 }), ephemeral: fixedBytes(32) });
const NodeKey = {
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  signature: bytes({ max: 8192 }),
};
const Reply = struct('P2pReply', { ephemeral: fixedBytes(32), ...NodeKey });
const Finish = struct('P2pFinish', NodeKey);

export interface HandshakeOptions {
  readonly chainId: string;
  /** This node's key (its identity in the membership). */
  readonly nodeKey: KeyPair;
  /** Whether a peer's node key may connect (the chain's membership). */
  isMember(publicKey: PublicKey): boolean;
  /** Frame encryption: `sm4-gcm` for government chains, else `aes-256-gcm`. */
  readonly aead: AeadAlgorithm;
}

export interface Established {
  readonly session: Session;
  readonly peer: PublicKey;
}

const DOMAIN = utf8ToBytes('pujiang/p2p/v1\0');

function transcript(
  role: 'responder' | 'initiator',
  chainId: string,
  eI: Uint8Array,
  eR: Uint8Array,
  keys: readonly PublicKey[],
): Uint8Array {
  const parts = [DOMAIN, utf8ToBytes(`${role}\0${chainId}\0`), eI, eR];
  for (const k of keys)
    parts.push(Uint8Array.of(getSuite(k.suite).code), encode(bytes({ max: 4096 }), k.bytes));
  return concatBytes(...parts);
}

function deriveSession(
  o: HandshakeOptions,
  secret: Uint8Array,
  eI: Uint8Array,
  eR: Uint8Array,
  initiator: PublicKey,
  responder: PublicKey,
  asInitiator: boolean,
): Session {
  const salt = hash('sha256', transcript('initiator', o.chainId, eI, eR, [responder, initiator]));
  const okm = hkdfSha256(secret, salt, utf8ToBytes('pujiang/p2p/v1 session keys'), 64);
  const length = o.aead === 'sm4-gcm' ? 16 : 32;
  const toResponder = okm.subarray(0, length);
  const toInitiator = okm.subarray(32, 32 + length);
  return asInitiator
    ? new Session(o.aead, toResponder, toInitiator)
    : new Session(o.aead, toInitiator, toResponder);
}

/** Decodes a handshake message; anything malformed is `P2P_HANDSHAKE_FAILED`. */
function read<T>(codec: { kind: string } & Parameters<typeof decode<T>>[0], bytesIn: Uint8Array): T {
  try {
    return decode(codec, bytesIn);
  } catch (cause) {
    throw p2pError('P2P_HANDSHAKE_FAILED', `malformed ${codec.kind}`, { cause: String(cause) });
  }
}

function checkPeer(o: HandshakeOptions, key: PublicKey, message: Uint8Array, signature: Uint8Array): void {
  let valid = false;
  try {
    valid = verify(key, message, { suite: key.suite, bytes: signature });
  } catch (error) {
    if (!isPujiangError(error)) throw error;
  }
  if (!valid)
    throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer signature does not verify', { suite: key.suite });
  if (!o.isMember(key))
    throw p2pError('P2P_NOT_A_MEMBER', 'the peer node key is not a member of this chain', {
      suite: key.suite,
    });
}

function ownKey(o: HandshakeOptions): PublicKey {
  return o.nodeKey.publicKey;
}

/** What a responder's first frame to a Hello is (for probes): a signed Reply, or anything else. */
export function responderFrameKind(frame: Uint8Array): 'signed' | 'cookie' | 'refused' {
  try {
    decode(Reply, frame);
    return 'signed';
  } catch {
    return 'refused';
  }
}

/** The initiator's side: `hello()`, then `finish(reply)` gives the Finish message and the session. */
export class InitiatorHandshake {
  private readonly ephemeral = generateEphemeralKeyPair();

  constructor(private readonly o: HandshakeOptions) {}

  /** A well-formed Hello from no one (a fresh ephemeral key), as an outsider sends it. */
  static outsiderHello(chainId: string, _genesisHash?: Uint8Array): Uint8Array {
    return encode(Hello, { version: P2P_VERSION, chainId, ephemeral: generateEphemeralKeyPair().publicKey });
  }

  hello(): Uint8Array {
    return encode(Hello, {
      version: P2P_VERSION,
      chainId: this.o.chainId,
      ephemeral: this.ephemeral.publicKey,
    });
  }

  finish(replyBytes: Uint8Array): { message: Uint8Array } & Established {
    const reply = read(Reply, replyBytes);
    const responder: PublicKey = { suite: reply.suite, bytes: Uint8Array.from(reply.publicKey) };
    const eI = this.ephemeral.publicKey;
    checkPeer(
      this.o,
      responder,
      transcript('responder', this.o.chainId, eI, reply.ephemeral, [responder]),
      reply.signature,
    );
    const secret = secretOf(this.ephemeral.secretKey, reply.ephemeral);
    const me = ownKey(this.o);
    const signature = sign(
      this.o.nodeKey.secretKey,
      transcript('initiator', this.o.chainId, eI, reply.ephemeral, [responder, me]),
    ).bytes;
    return {
      message: encode(Finish, { suite: me.suite, publicKey: me.bytes, signature }),
      session: deriveSession(this.o, secret, eI, reply.ephemeral, me, responder, true),
      peer: responder,
    };
  }
}

/** The responder's side: `reply(hello)` gives the Reply message, then `finish(finishMessage)` the session. */
export class ResponderHandshake {
  private readonly ephemeral = generateEphemeralKeyPair();
  private state: { eI: Uint8Array; secret: Uint8Array } | undefined;

  constructor(private readonly o: HandshakeOptions) {}

  reply(helloBytes: Uint8Array): Uint8Array {
    const hello = read(Hello, helloBytes);
    if (hello.version !== P2P_VERSION)
      throw p2pError('P2P_HANDSHAKE_FAILED', `unsupported link version ${hello.version}`, {
        version: hello.version,
      });
    if (hello.chainId !== this.o.chainId)
      throw p2pError('P2P_WRONG_CHAIN', `the peer is on chain "${hello.chainId}"`, {
        chainId: hello.chainId,
      });
    const secret = secretOf(this.ephemeral.secretKey, hello.ephemeral);
    this.state = { eI: hello.ephemeral, secret };
    const me = ownKey(this.o);
    const signature = sign(
      this.o.nodeKey.secretKey,
      transcript('responder', this.o.chainId, hello.ephemeral, this.ephemeral.publicKey, [me]),
    ).bytes;
    return encode(Reply, {
      ephemeral: this.ephemeral.publicKey,
      suite: me.suite,
      publicKey: me.bytes,
      signature,
    });
  }

  finish(finishBytes: Uint8Array): Established {
    if (!this.state) throw p2pError('P2P_HANDSHAKE_FAILED', 'Finish before Hello');
    const finish = read(Finish, finishBytes);
    const initiator: PublicKey = { suite: finish.suite, bytes: Uint8Array.from(finish.publicKey) };
    const me = ownKey(this.o);
    const eR = this.ephemeral.publicKey;
    checkPeer(
      this.o,
      initiator,
      transcript('initiator', this.o.chainId, this.state.eI, eR, [me, initiator]),
      finish.signature,
    );
    return {
      session: deriveSession(this.o, this.state.secret, this.state.eI, eR, initiator, me, false),
      peer: initiator,
    };
  }
}

function secretOf(secretKey: Uint8Array, peerEphemeral: Uint8Array): Uint8Array {
  try {
    return x25519SharedSecret(secretKey, peerEphemeral);
  } catch (cause) {
    throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer ephemeral key is unusable', { cause: String(cause) });
  }
}
