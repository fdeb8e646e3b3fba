import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@pujiang/codec';
import { certificateToPem, generateKeyPair, type KeyPair } from '@pujiang/crypto';
import { BankTransfer } from '@pujiang/module-bank';
import { addressHex, initHome, issueMemberCertificate, loadOrganization } from '@pujiang/node';
import { encodeTx, type GenesisJson, signTx } from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import { FAST_CONFIG, type NodeProcess, startNodeProcess, until } from './node-harness.js';

/** A single-validator chain whose genesis funds and certifies `senders` accounts, so load comes from many senders. */
export interface LoadChain {
  readonly home: string;
  readonly chainId: string;
  readonly chainHash: 'sm3' | 'sha256';
  readonly senders: readonly KeyPair[];
  readonly addresses: readonly string[];
  readonly node: NodeProcess;
  cleanup(): Promise<void>;
}

export async function startLoadChain(senders: number): Promise<LoadChain> {
  const home = mkdtempSync(join(tmpdir(), 'pujiang-index-chain-'));
  const init = initHome({ home, suite: 'ed25519', apiPort: 0, emptyBlockIntervalMs: 500 });
  const genesis = JSON.parse(readFileSync(init.paths.genesis, 'utf8')) as GenesisJson;
  const keys = Array.from({ length: senders }, () => generateKeyPair('ed25519'));
  const bank = genesis.modules.bank as { balances: Record<string, string> };
  const governance = genesis.modules.governance as { identities: string[] };
  const org = loadOrganization(init.paths.org);
  for (const key of keys) {
    bank.balances[addressHex(genesis.chainHash, key)] = String(10n ** 15n);
    governance.identities.push(
      certificateToPem(
        issueMemberCertificate(org, {
          publicKey: key.publicKey,
          role: 'client',
          commonName: 'index test sender',
        }),
      ),
    );
  }
  writeFileSync(init.paths.genesis, `${JSON.stringify(genesis, null, 2)}\n`);
  const config = JSON.parse(readFileSync(init.paths.config, 'utf8'));
  writeFileSync(
    init.paths.config,
    JSON.stringify({
      ...config,
      ...FAST_CONFIG,
      mempool: { ...config.mempool, maxTxs: 60_000, maxPerSender: 2_000, nonceWindow: 2_000 },
    }),
  );
  const node = await startNodeProcess(home);
  return {
    home,
    chainId: genesis.chainId,
    chainHash: genesis.chainHash as 'sm3' | 'sha256',
    senders: keys,
    addresses: keys.map((k) => addressHex(genesis.chainHash, k)),
    node,
    async cleanup() {
      node.child.kill('SIGKILL');
      await node.exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * `perSender` transfers of 1 unit from each sender to the next one, signed here, in
 * submission order: round robin over senders, each sender's nonces ascending.
 */
export function signTransfers(chain: LoadChain, perSender: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = chain.senders.length;
  for (let nonce = 0; nonce < perSender; nonce++)
    for (let s = 0; s < n; s++) {
      const key = chain.senders[s]!;
      const tx = signTx(
        {
          chainId: chain.chainId,
          suite: 'ed25519',
          publicKey: key.publicKey.bytes,
          nonce: BigInt(nonce),
          expiresAtHeight: 1_000_000n,
          gasLimit: 100_000n,
          module: 'bank',
          type: 'transfer',
          payload: encode(BankTransfer, { to: hexToBytes(chain.addresses[(s + 1) % n]!), amount: 1n }),
        },
        key.secretKey,
      );
      out.push(encodeTx(tx));
    }
  return out;
}

/** The binary batch body: each transaction as a 4-byte big-endian length and its encoding. */
function binaryBatch(txs: readonly Uint8Array[]): Buffer {
  const size = txs.reduce((n, t) => n + 4 + t.length, 0);
  const out = Buffer.alloc(size);
  let at = 0;
  for (const t of txs) {
    out.writeUInt32BE(t.length, at);
    out.set(t, at + 4);
    at += 4 + t.length;
  }
  return out;
}

async function mempoolSize(api: string): Promise<number> {
  const status = (await (await fetch(`${api}/v1/status`)).json()) as { mempool: { size: number } };
  return status.mempool.size;
}

/**
 * Submits `txs` in batches of `batch` through `/v1/txs/batch`, keeping the mempool under
 * `window` (polled), and answers once all are submitted; every refusal fails the load.
 */
export async function submitAll(api: string, txs: readonly Uint8Array[], batch = 5_000, window = 30_000) {
  for (let at = 0; at < txs.length; at += batch) {
    await until(async () => (await mempoolSize(api)) + batch <= window, 120_000);
    const res = await fetch(`${api}/v1/txs/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: binaryBatch(txs.slice(at, at + batch)),
    });
    const body = (await res.json()) as { results: ({ hash: string } | { error: { code: string } })[] };
    const refused = body.results.find((r) => 'error' in r);
    if (res.status !== 200 || refused)
      throw new Error(`batch at ${at} refused: ${JSON.stringify(refused ?? body)}`);
  }
}
