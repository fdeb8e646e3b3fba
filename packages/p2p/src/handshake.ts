import { bytes, decode, encode, fixedBytes, literals, string, struct, u32 } from '@pujiang/codec';
import {
  AEAD_ALGORITHMS,
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
import { concatBytes, equalBytes, isPujiangError, utf8ToBytes } from '@pujiang/types';
import { p2pError } from './errors.js';
import { Session } from './session.js';

/**
 * The authenticated key exchange of a peer link, version 2 (SIGMA-I with a responder
 * challenge, so that the responder does no expensive work for anyone who is not a member):
 *
 *   initiator -> responder  Hello     {version, chainId, genesisHash, aead, eI}
 *   responder -> initiator  Challenge {nonce, node key R}              (random bytes: no DH, nothing signed)
 *   initiator -> responder  Auth      {node key I, sig_I(T1)}          T1: Hello, Challenge, I
 *   responder -> initiator  Reply     {eR, node key R, sig_R(T2)}      only once I is a member and sig_I verifies
 *   initiator -> responder  Confirm   (the first sealed frame: the initiator derived the keys)
 *   responder -> initiator  Accept    (the responder's first sealed frame)
 *
 * The responder checks the Hello's chain, genesis hash, version and AEAD, then I's key
 * (not its own, a member, a suite the chain accepts: cheap lookups) before verifying sig_I,
 * and only then computes X25519 and signs. The nonce makes sig_I fresh, so a recorded Auth
 * cannot be replayed to make the responder sign again. Session keys come from HKDF over the
 * X25519 secret, salted with the hash of everything exchanged (version, chain id, genesis
 * hash, AEAD, both ephemerals, the nonce, both node keys). The responder counts a link as
 * established only on Confirm. Pure: no sockets, no timers; signing and verifying may be
 * handed to a worker pool (`signer`, `verifier`).
 */
export const P2P_VERSION = 2;
/** The content of the initiator's first sealed frame (key confirmation). */
export const CONFIRM = utf8ToBytes('pujiang/p2p/v2 confirm');
/** The content of the responder's first sealed frame. */
export const ACCEPT = utf8ToBytes('pujiang/p2p/v2 accept');
/** Largest handshake message: an ML-DSA-65 hybrid key and signature fit with room (about 6 KiB). */
export const HANDSHAKE_MAX_FRAME = 16 * 1024;

const KIND = { hello: 1, challenge: 2, auth: 3, reply: 4 } as const;
type Kind = keyof typeof KIND;

const Hello = struct('P2pHello', {
  version: u32,
  chainId: string({ max: 64 }),
  genesisHash: fixedBytes(32),
  aead: literals('Aead', AEAD_ALGORITHMS),
  ephemeral: fixedBytes(32),
});
const NodeKey = {
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  signature: bytes({ max: 8192 }),
};
/** The nonce, and the key the responder says it has (unproven until Reply: lets a dialer stop early). */
const Challenge = struct('P2pChallenge', {
  nonce: fixedBytes(32),
  suite: NodeKey.suite,
  publicKey: NodeKey.publicKey,
});
const Auth = struct('P2pAuth', NodeKey);
const Reply = struct('P2pReply', { ephemeral: fixedBytes(32), ...NodeKey });
const CODECS = { hello: Hello, challenge: Challenge, auth: Auth, reply: Reply } as const;

export interface HandshakeOptions {
  readonly chainId: string;
  /** The chain's genesis hash: chains that share an id and keys still do not connect. */
  readonly genesisHash: Uint8Array;
  /** This node's key (its identity in the membership). */
  readonly nodeKey: KeyPair;
  /** Whether a peer's node key may connect (the chain's membership and accepted suites). */
  isMember(publicKey: PublicKey): boolean;
  /** Frame encryption: `sm4-gcm` for government chains, else `aes-256-gcm`. */
  readonly aead: AeadAlgorithm;
  /** Signs with the node key (default: on this thread); a node hands it to its worker pool. */
  readonly signer?: (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  /** Verifies a peer's signature (default: on this thread). */
  readonly verifier?: (
    key: PublicKey,
    message: Uint8Array,
    signature: Uint8Array,
  ) => Promise<boolean> | boolean;
  /** Bytes sealed per direction before the session rekeys (default: `Session`'s). */
  readonly rekeyBytes?: number;
}

export interface Established {
  readonly session: Session;
  readonly peer: PublicKey;
}

const DOMAIN = utf8ToBytes('pujiang/p2p/v2\0');

function frame<K extends Kind>(kind: K, value: Parameters<typeof encode<unknown>>[1]): Uint8Array {
  return concatBytes(Uint8Array.of(KIND[kind]), encode(CODECS[kind] as never, value as never));
}

/** Decodes a handshake message of the expected kind; anything else is `P2P_HANDSHAKE_FAILED`. */
function read<K extends Kind>(kind: K, bytesIn: Uint8Array): ReturnType<(typeof CODECS)[K]['read']> {
  if (bytesIn[0] !== KIND[kind]) throw p2pError('P2P_HANDSHAKE_FAILED', `expected a ${kind} message`);
  try {
    return decode(CODECS[kind] as never, bytesIn.subarray(1)) as never;
  } catch (cause) {
    throw p2pError('P2P_HANDSHAKE_FAILED', `malformed ${kind}`, { cause: String(cause) });
  }
}

/** What a responder's first frame to a Hello is (for probes): a signed Reply, a challenge, or neither. */
export function responderFrameKind(bytesIn: Uint8Array): 'signed' | 'challenge' | 'refused' {
  if (bytesIn[0] === KIND.reply) return 'signed';
  if (bytesIn[0] === KIND.challenge) return 'challenge';
  return 'refused';
}

const keyBytes = (k: PublicKey) =>
  concatBytes(Uint8Array.of(getSuite(k.suite).code), encode(bytes({ max: 4096 }), k.bytes));

/** What the initiator signs: the whole Hello, the whole Challenge (its nonce), and its own key. */
function authTranscript(hello: Uint8Array, challenge: Uint8Array, initiator: PublicKey): Uint8Array {
  return concatBytes(DOMAIN, utf8ToBytes('auth\0'), hello, challenge, keyBytes(initiator));
}

/** What the responder signs, and (hashed) the session keys' salt: every message exchanged before it, eR and R. */
function replyTranscript(
  hello: Uint8Array,
  challenge: Uint8Array,
  auth: Uint8Array,
  eR: Uint8Array,
  responder: PublicKey,
): Uint8Array {
  return concatBytes(DOMAIN, utf8ToBytes('reply\0'), hello, challenge, auth, eR, keyBytes(responder));
}

function deriveSession(
  o: HandshakeOptions,
  secret: Uint8Array,
  transcript: Uint8Array,
  asInitiator: boolean,
): Session {
  const salt = hash('sha256', transcript);
  const okm = hkdfSha256(secret, salt, utf8ToBytes('pujiang/p2p/v2 session keys'), 64);
  const length = o.aead === 'sm4-gcm' ? 16 : 32;
  const toResponder = okm.slice(0, length);
  const toInitiator = okm.slice(32, 32 + length);
  const rekey = o.rekeyBytes === undefined ? {} : { rekeyBytes: o.rekeyBytes };
  return asInitiator
    ? new Session(o.aead, toResponder, toInitiator, rekey)
    : new Session(o.aead, toInitiator, toResponder, rekey);
}

async function signWith(o: HandshakeOptions, message: Uint8Array): Promise<Uint8Array> {
  return o.signer ? await o.signer(message) : sign(o.nodeKey.secretKey, message).bytes;
}

const sameKey = (a: PublicKey, b: PublicKey) => a.suite === b.suite && equalBytes(a.bytes, b.bytes);

/**
 * A peer's key, checked cheap to expensive: not our own key (a node never links to itself),
 * a member with an accepted suite, then its signature.
 */
async function checkPeer(
  o: HandshakeOptions,
  key: PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<void> {
  if (sameKey(key, o.nodeKey.publicKey))
    throw p2pError('P2P_SELF_LINK', 'the peer is this node (its own key)');
  if (!o.isMember(key))
    throw p2pError('P2P_NOT_A_MEMBER', 'the peer node key is not a member of this chain', {
      suite: key.suite,
    });
  let valid = false;
  try {
    valid = o.verifier
      ? await o.verifier(key, message, signature)
      : verify(key, message, { suite: key.suite, bytes: signature });
  } catch (error) {
    if (!isPujiangError(error)) throw error;
  }
  if (!valid)
    throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer signature does not verify', {
      suite: key.suite,
      check: 'signature',
    });
}

function secretOf(secretKey: Uint8Array, peerEphemeral: Uint8Array): Uint8Array {
  try {
    return x25519SharedSecret(secretKey, peerEphemeral);
  } catch (cause) {
    throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer ephemeral key is unusable', { cause: String(cause) });
  }
}

/**
 * The initiator's side: `hello()`, `auth(challenge)`, then `confirm(reply)` gives the sealed
 * Confirm and the session (finished once the responder's Accept opens). With `expected`,
 * a Reply from any other key is `P2P_UNEXPECTED_PEER` (a dial answered by someone else).
 */
export class InitiatorHandshake {
  private readonly ephemeral = generateEphemeralKeyPair();
  private helloBytes: Uint8Array | undefined;
  private challengeBytes: Uint8Array | undefined;
  private authBytes: Uint8Array | undefined;

  constructor(
    private readonly o: HandshakeOptions,
    private readonly expected?: PublicKey,
  ) {}

  /** A well-formed Hello from no one (a fresh ephemeral key), as an outsider sends it. */
  static outsiderHello(chainId: string, genesisHash: Uint8Array = new Uint8Array(32)): Uint8Array {
    return frame('hello', {
      version: P2P_VERSION,
      chainId,
      genesisHash,
      aead: 'aes-256-gcm',
      ephemeral: generateEphemeralKeyPair().publicKey,
    });
  }

  hello(): Uint8Array {
    this.helloBytes = frame('hello', {
      version: P2P_VERSION,
      chainId: this.o.chainId,
      genesisHash: this.o.genesisHash,
      aead: this.o.aead,
      ephemeral: this.ephemeral.publicKey,
    });
    return this.helloBytes;
  }

  async auth(challengeBytes: Uint8Array): Promise<Uint8Array> {
    if (!this.helloBytes) throw p2pError('P2P_HANDSHAKE_FAILED', 'Challenge before Hello');
    const challenge = read('challenge', challengeBytes);
    // Not proven yet (the Reply's signature is), but enough to sign nothing for the wrong peer.
    this.checkIdentity({ suite: challenge.suite, bytes: challenge.publicKey });
    const me = this.o.nodeKey.publicKey;
    const signature = await signWith(this.o, authTranscript(this.helloBytes, challengeBytes, me));
    this.challengeBytes = challengeBytes;
    this.authBytes = frame('auth', { suite: me.suite, publicKey: me.bytes, signature });
    return this.authBytes;
  }

  async confirm(replyBytes: Uint8Array): Promise<{ message: Uint8Array } & Established> {
    if (!this.authBytes) throw p2pError('P2P_HANDSHAKE_FAILED', 'Reply before Auth');
    const reply = read('reply', replyBytes);
    const responder: PublicKey = { suite: reply.suite, bytes: Uint8Array.from(reply.publicKey) };
    this.checkIdentity(responder);
    const transcript = replyTranscript(
      this.helloBytes!,
      this.challengeBytes!,
      this.authBytes,
      reply.ephemeral,
      responder,
    );
    await checkPeer(this.o, responder, transcript, reply.signature);
    const secret = secretOf(this.ephemeral.secretKey, reply.ephemeral);
    const session = deriveSession(this.o, secret, transcript, true);
    return { message: session.seal(CONFIRM), session, peer: responder };
  }

  /** The responder is not this node, and is the key configured for the address dialed. */
  private checkIdentity(responder: PublicKey): void {
    if (sameKey(responder, this.o.nodeKey.publicKey))
      throw p2pError('P2P_SELF_LINK', 'the dial reached this node itself');
    if (this.expected !== undefined && !sameKey(this.expected, responder))
      throw p2pError('P2P_UNEXPECTED_PEER', 'the peer that answered is not the one dialed', {
        suite: responder.suite,
      });
  }
}

/**
 * The responder's side: `challenge(hello)`, `reply(auth)`, then `accept(confirm)` gives the
 * session and the sealed Accept. Until `reply`, it has spent a random nonce and, for a
 * member's key, one verification; nothing is signed for anyone else.
 */
export class ResponderHandshake {
  private helloBytes: Uint8Array | undefined;
  private hello: ReturnType<typeof Hello.read> | undefined;
  private challengeBytes: Uint8Array | undefined;
  private state: { secret: Uint8Array; transcript: Uint8Array; peer: PublicKey } | undefined;

  constructor(private readonly o: HandshakeOptions) {}

  challenge(helloBytes: Uint8Array): Uint8Array {
    const hello = read('hello', helloBytes);
    if (hello.version !== P2P_VERSION)
      throw p2pError('P2P_HANDSHAKE_FAILED', `unsupported link version ${hello.version}`, {
        version: hello.version,
      });
    if (hello.chainId !== this.o.chainId || !equalBytes(hello.genesisHash, this.o.genesisHash))
      throw p2pError('P2P_WRONG_CHAIN', `the peer is on another chain ("${hello.chainId}")`, {
        chainId: hello.chainId,
      });
    if (hello.aead !== this.o.aead)
      throw p2pError('P2P_HANDSHAKE_FAILED', `the peer offers ${hello.aead}, the chain uses ${this.o.aead}`);
    this.helloBytes = helloBytes;
    this.hello = hello;
    const me = this.o.nodeKey.publicKey;
    this.challengeBytes = frame('challenge', {
      nonce: crypto.getRandomValues(new Uint8Array(32)),
      suite: me.suite,
      publicKey: me.bytes,
    });
    return this.challengeBytes;
  }

  async reply(authBytes: Uint8Array): Promise<Uint8Array> {
    if (!this.helloBytes || !this.hello || !this.challengeBytes)
      throw p2pError('P2P_HANDSHAKE_FAILED', 'Auth before Hello');
    const auth = read('auth', authBytes);
    const initiator: PublicKey = { suite: auth.suite, bytes: Uint8Array.from(auth.publicKey) };
    await checkPeer(
      this.o,
      initiator,
      authTranscript(this.helloBytes, this.challengeBytes, initiator),
      auth.signature,
    );
    const ephemeral = generateEphemeralKeyPair();
    const secret = secretOf(ephemeral.secretKey, this.hello.ephemeral);
    const me = this.o.nodeKey.publicKey;
    const transcript = replyTranscript(
      this.helloBytes,
      this.challengeBytes,
      authBytes,
      ephemeral.publicKey,
      me,
    );
    const signature = await signWith(this.o, transcript);
    this.state = { secret, transcript, peer: initiator };
    return frame('reply', {
      ephemeral: ephemeral.publicKey,
      suite: me.suite,
      publicKey: me.bytes,
      signature,
    });
  }

  /** The initiator's Confirm opens under the derived keys: the link is established. */
  accept(confirmBytes: Uint8Array): { message: Uint8Array } & Established {
    if (!this.state) throw p2pError('P2P_HANDSHAKE_FAILED', 'Confirm before Reply');
    const session = deriveSession(this.o, this.state.secret, this.state.transcript, false);
    if (!equalBytes(session.open(confirmBytes), CONFIRM))
      throw p2pError('P2P_HANDSHAKE_FAILED', 'the peer did not confirm the keys');
    return { message: session.seal(ACCEPT), session, peer: this.state.peer };
  }
}
