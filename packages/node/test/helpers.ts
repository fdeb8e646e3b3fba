import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@pujiang/codec';
import { deriveAddress, type KeyPair, type SuiteId } from '@pujiang/crypto';
import { BankTransfer } from '@pujiang/module-bank';
import { encodeTx, type Genesis, type GenesisJson, parseGenesis, signTx } from '@pujiang/protocol';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { initHome } from '../src/index.js';

/** Timeouts short enough for tests on a loaded 2-core machine, long enough not to flap. */
export const FAST_CONFIG = {
  blockIntervalMs: 20,
  timeouts: {
    proposeMs: 300,
    proposeDeltaMs: 100,
    prevoteMs: 200,
    prevoteDeltaMs: 100,
    precommitMs: 200,
    precommitDeltaMs: 100,
  },
};

/** A fresh home with a fast config; returns init's result. */
export function testHome(
  suite: SuiteId = 'ed25519',
  config: Record<string, unknown> = {},
  limits: Partial<Genesis['limits']> = {},
) {
  const home = mkdtempSync(join(tmpdir(), 'pujiang-home-'));
  const init = initHome({ home, suite, apiPort: 0, emptyBlockIntervalMs: 0 });
  const current = JSON.parse(readFileSync(init.paths.config, 'utf8')) as Record<string, unknown>;
  writeFileSync(init.paths.config, JSON.stringify({ ...current, ...FAST_CONFIG, ...config }));
  const genesisJson = JSON.parse(readFileSync(init.paths.genesis, 'utf8')) as GenesisJson;
  genesisJson.limits = { ...genesisJson.limits, ...limits };
  writeFileSync(init.paths.genesis, JSON.stringify(genesisJson));
  return { home, ...init, genesis: parseGenesis(genesisJson) };
}

export function transferWire(
  genesis: Genesis,
  from: KeyPair,
  nonce: bigint,
  to: string,
  amount: bigint,
  over: Record<string, unknown> = {},
): Uint8Array {
  return encodeTx(
    signTx(
      {
        chainId: genesis.chainId,
        suite: from.suite,
        publicKey: from.publicKey.bytes,
        nonce,
        expiresAtHeight: 1_000_000n,
        gasLimit: 100_000n,
        module: 'bank',
        type: 'transfer',
        payload: encode(BankTransfer, { to: hexToBytes(to), amount }),
        ...over,
      },
      from.secretKey,
    ),
  );
}

export const addressOf = (genesis: Genesis, kp: KeyPair) =>
  bytesToHex(deriveAddress(genesis.chainHash, kp.publicKey));

export function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        const value = await probe();
        if (value !== undefined && value !== false) return resolve(value as T);
      } catch {
        // not yet
      }
      if (Date.now() > deadline) return reject(new Error('timed out'));
      setTimeout(poll, 25);
    };
    void poll();
  });
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
