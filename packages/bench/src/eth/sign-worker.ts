import { parentPort, workerData } from 'node:worker_threads';
import { type Hex, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EthSignJob, SignedBatch } from '../presign.js';
import { ERC20_CALL, transferData } from './erc20.js';
import { ETH_TRANSFER } from './transfer.js';

/**
 * Signs one share of the peer chain's transfers with viem: EIP-1559 transactions of 1 wei
 * to the next sender (or, with `erc20Token`, ERC-20 transfers of 1 unit to it), secp256k1
 * ECDSA as every Ethereum client expects. Hashes are the keccak-256 of the signed
 * encoding, as the chain names them.
 */
const job = workerData as EthSignJob;
const out: SignedBatch[] = [];
for (const s of job.senders) {
  const account = privateKeyToAccount(`0x${s.secretKey}`);
  const hex: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < s.count; i++) {
    const nonce = Number(s.firstNonce) + i;
    const signed = await account.signTransaction(
      job.erc20Token === undefined
        ? { ...ETH_TRANSFER, chainId: job.chainId, nonce, to: `0x${s.to}` as Hex }
        : { ...ERC20_CALL, chainId: job.chainId, nonce, to: `0x${job.erc20Token}`, data: transferData(s.to) },
    );
    hex.push(signed.slice(2));
    hashes.push(keccak256(signed).slice(2));
  }
  out.push({ hex, hashes });
}
parentPort!.postMessage(out);
