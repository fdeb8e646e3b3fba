/**
 * What the peer chain's load is: a plain value transfer (21,000 gas, the cheapest
 * transaction Ethereum has, as a bank transfer is ours), priced well above any base fee a
 * development chain reaches so that no transaction waits for a cheaper block.
 */
export const ETH_TRANSFER = {
  type: 'eip1559',
  value: 1n,
  gas: 21_000n,
  maxFeePerGas: 100_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
} as const;

/** Balance each sender is funded with at genesis, in wei: far beyond what a run spends. */
export const ETH_SENDER_BALANCE = 10n ** 24n;
