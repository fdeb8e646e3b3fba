import { type Abi, encodeDeployData } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { balanceOfData, type CompiledToken, ERC20_CALL, HOLDER_BALANCE } from './erc20.js';
import { EthRpc, rpcRefusal } from './rpc.js';

/** A sender's address (40 hex digits) from its secret key. */
export const tokenHolder = (secretKey: string) =>
  privateKeyToAccount(`0x${secretKey}`).address.slice(2).toLowerCase();
const addressOf = tokenHolder;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deploys the token from `senders[0]` through `eth_sendRawTransaction` (every sender a holder)
 * and waits for its receipt; returns its address (40 hex digits).
 */
export async function deployToken(
  rpcUrl: string,
  chainId: number,
  token: CompiledToken,
  senders: readonly string[],
): Promise<string> {
  const rpc = new EthRpc(rpcUrl, 1);
  try {
    const deployer = privateKeyToAccount(`0x${senders[0]!}`);
    const nonce = Number(await rpc.call<string>('eth_getTransactionCount', [deployer.address, 'pending']));
    const data = encodeDeployData({
      abi: token.abi as Abi,
      bytecode: token.bytecode,
      args: [senders.map((k) => `0x${addressOf(k)}`), HOLDER_BALANCE],
    });
    const raw = await deployer.signTransaction({
      ...ERC20_CALL,
      gas: 1_500_000n + 40_000n * BigInt(senders.length),
      chainId,
      nonce,
      data,
    });
    const hash = await rpc.call<string>('eth_sendRawTransaction', [raw]);
    const deadline = performance.now() + 60_000;
    for (;;) {
      const receipt = await rpc.call<{ status: string; contractAddress: string | null } | null>(
        'eth_getTransactionReceipt',
        [hash],
      );
      if (receipt !== null) {
        if (receipt.status !== '0x1' || !receipt.contractAddress)
          throw new Error(`BenchToken deployment failed: status ${receipt.status}`);
        const address = receipt.contractAddress.slice(2).toLowerCase();
        const last = senders[senders.length - 1]!;
        const balance = await rpc.call<string>('eth_call', [
          { to: `0x${address}`, data: balanceOfData(addressOf(last)) },
          'latest',
        ]);
        if (BigInt(balance) !== HOLDER_BALANCE)
          throw new Error(`BenchToken: a holder's balance is ${balance}`);
        return address;
      }
      if (performance.now() > deadline) throw new Error('BenchToken deployment: no receipt after 60 s');
      await sleep(100);
    }
  } finally {
    rpc.close();
  }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * `eth_call` of `balanceOf` per second, `concurrency` single calls in flight, each answer
 * checked (a JSON-RPC error is counted as refused, not as a call); with the window on the
 * monotonic clock (a CPU profile's).
 */
export async function ethCallRate(
  rpcUrl: string,
  token: string,
  senders: readonly string[],
  ms: number,
  concurrency: number,
): Promise<{ perSecond: number; refused: Record<string, number>; window: { fromUs: number; toUs: number } }> {
  const owners = senders.map(addressOf);
  const rpc = new EthRpc(rpcUrl, concurrency);
  try {
    let done = 0;
    const refused: Record<string, number> = {};
    const fromUs = monotonicUs();
    const start = performance.now();
    const end = start + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, k) => {
        for (let i = k; performance.now() < end; i += concurrency) {
          const owner = owners[i % owners.length]!;
          const [answer] = await rpc.batch([
            { method: 'eth_call', params: [{ to: `0x${token}`, data: balanceOfData(owner) }, 'latest'] },
          ]);
          if ('error' in answer!) {
            const code = rpcRefusal(answer.error);
            refused[code] = (refused[code] ?? 0) + 1;
            continue;
          }
          const word = answer!.result as string;
          if (!/^0x[0-9a-f]{64}$/.test(word) || BigInt(word) === 0n)
            throw new Error(`eth_call balanceOf: ${word}`);
          done++;
        }
      }),
    );
    return {
      perSecond: (done * 1000) / (performance.now() - start),
      refused,
      window: { fromUs, toUs: monotonicUs() },
    };
  } finally {
    rpc.close();
  }
}
