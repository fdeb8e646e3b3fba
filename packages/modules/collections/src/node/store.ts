import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  AEAD_NONCE_LENGTH,
  type AeadAlgorithm,
  aeadDecrypt,
  aeadEncrypt,
  hash,
  randomBytes,
} from '@pujiang/crypto';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@pujiang/types';

/**
 * Private values on one node's disk, each encrypted at rest under a key of its own
 * (SM4-GCM on SM3 chains, AES-256-GCM otherwise). Purging overwrites the key file with
 * zeros and removes it (crypto-shredding): bytes a file system or LMDB leaves behind after a
 * delete are ciphertext whose key is gone. The value is never written in the clear.
 */
export interface StoredValue {
  readonly value: Uint8Array;
  readonly salt: Uint8Array;
  readonly hash: string;
  readonly expiresAt: bigint;
}

interface Meta {
  readonly collection: string;
  readonly key: string;
  readonly hash: string;
  readonly expiresAt: string;
}

export class PrivateStore {
  /** collection \0 key -> expiry height, for purging at retention. */
  private readonly expiries = new Map<string, bigint>();

  constructor(
    private readonly dir: string,
    private readonly cipher: AeadAlgorithm,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const collection of readdirSync(dir))
      for (const entry of readdirSync(join(dir, collection))) {
        const path = join(dir, collection, entry);
        if (!existsSync(join(path, 'meta.json'))) {
          rmSync(path, { recursive: true, force: true }); // a write cut short: nothing usable
          continue;
        }
        const meta = readMeta(path);
        if (meta) this.expiries.set(`${meta.collection}\0${meta.key}`, BigInt(meta.expiresAt));
        else rmSync(path, { recursive: true, force: true }); // unreadable: the chain's record says what it was
      }
  }

  private entryDir(collection: string, key: string): string {
    return join(this.dir, collection, bytesToHex(hash('sha256', utf8ToBytes(key))));
  }

  private aad(collection: string, key: string, hashHex: string): Uint8Array {
    return utf8ToBytes(`${collection}\0${key}\0${hashHex}`);
  }

  has(collection: string, key: string, hashHex: string): boolean {
    return readMeta(this.entryDir(collection, key))?.hash === hashHex;
  }

  /** Every entry held (to reconcile with the chain's records). */
  entries(): { collection: string; key: string }[] {
    return [...this.expiries.keys()].map((id) => {
      const [collection, key] = id.split('\0') as [string, string];
      return { collection, key };
    });
  }

  write(collection: string, key: string, v: StoredValue): void {
    this.purge(collection, key);
    const final = this.entryDir(collection, key);
    const temp = `${final}.writing`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true, mode: 0o700 });
    const secret = randomBytes(this.cipher === 'sm4-gcm' ? 16 : 32);
    const nonce = randomBytes(AEAD_NONCE_LENGTH);
    const plaintext = utf8ToBytes(
      JSON.stringify({ v: Buffer.from(v.value).toString('base64'), s: bytesToHex(v.salt) }),
    );
    const sealed = aeadEncrypt(this.cipher, secret, nonce, plaintext, this.aad(collection, key, v.hash));
    writeDurably(join(temp, 'key.bin'), secret);
    writeDurably(join(temp, 'data.bin'), concatBytes(nonce, sealed));
    const meta: Meta = { collection, key, hash: v.hash, expiresAt: v.expiresAt.toString() };
    writeDurably(join(temp, 'meta.json'), utf8ToBytes(JSON.stringify(meta)));
    renameSync(temp, final);
    this.expiries.set(`${collection}\0${key}`, v.expiresAt);
  }

  /** The value, or undefined when not held (or its files do not open: a damaged entry counts as missing). */
  read(collection: string, key: string): StoredValue | undefined {
    try {
      return this.open(collection, key);
    } catch {
      return undefined;
    }
  }

  private open(collection: string, key: string): StoredValue | undefined {
    const path = this.entryDir(collection, key);
    const meta = readMeta(path);
    if (!meta) return undefined;
    const secret = new Uint8Array(readFileSync(join(path, 'key.bin')));
    const data = new Uint8Array(readFileSync(join(path, 'data.bin')));
    const plaintext = aeadDecrypt(
      this.cipher,
      secret,
      data.subarray(0, AEAD_NONCE_LENGTH),
      data.subarray(AEAD_NONCE_LENGTH),
      this.aad(collection, key, meta.hash),
    );
    const { v, s } = JSON.parse(new TextDecoder().decode(plaintext)) as { v: string; s: string };
    return {
      value: new Uint8Array(Buffer.from(v, 'base64')),
      salt: hexToBytes(s),
      hash: meta.hash,
      expiresAt: BigInt(meta.expiresAt),
    };
  }

  /** Destroys an entry: its key overwritten and removed first, then the ciphertext. */
  purge(collection: string, key: string): boolean {
    const path = this.entryDir(collection, key);
    this.expiries.delete(`${collection}\0${key}`);
    if (!existsSync(path)) return false;
    const keyFile = join(path, 'key.bin');
    if (existsSync(keyFile)) {
      const fd = openSync(keyFile, 'r+');
      try {
        writeSync(fd, new Uint8Array(32));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    rmSync(path, { recursive: true, force: true });
    return true;
  }

  /** Entries whose retention ended at `height` or before. */
  expiredAt(height: bigint): { collection: string; key: string }[] {
    const out: { collection: string; key: string }[] = [];
    for (const [id, expiresAt] of this.expiries)
      if (expiresAt <= height) {
        const [collection, key] = id.split('\0') as [string, string];
        out.push({ collection, key });
      }
    return out;
  }
}

function readMeta(entryDir: string): Meta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(entryDir, 'meta.json'), 'utf8')) as Meta;
    return typeof meta.collection === 'string' &&
      typeof meta.key === 'string' &&
      /^[0-9]+$/.test(meta.expiresAt)
      ? meta
      : undefined;
  } catch {
    return undefined;
  }
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
