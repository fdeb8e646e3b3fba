import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The evm group's load: OpenZeppelin's ERC-20 (from the `@openzeppelin/contracts` package,
 * compiled offline with the `solc` package, Cancun), every sender a holder from the
 * constructor on, each transfer 1 unit to the next sender. The same bytecode and the same
 * signed shape go to Pujiang and to the Hardhat node.
 */
export const BENCH_TOKEN_SOURCE = `// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OpenZeppelin's ERC-20; the constructor gives every holder the same balance.
contract BenchToken is ERC20 {
    constructor(address[] memory holders, uint256 each) ERC20("Bench Token", "BENCH") {
        for (uint256 i = 0; i < holders.length; i++) _mint(holders[i], each);
    }
}
`;

/** What the load generator signs for the evm group: ERC-20 transfers to `token` instead of value transfers. */
export interface Erc20Load {
  /** The token's address, 40 hex digits without 0x. */
  readonly token: string;
  /**
   * Where commits are counted: a Pujiang node's `/v1/events` (its decided blocks, as the other
   * groups count; the API is the origin of the plan's first URL), or the Ethereum block stream.
   */
  readonly countFrom: 'pujiang' | 'eth';
}

/**
 * The transaction fields of every transfer: EIP-1559 with a zero fee cap. Pujiang's gas is
 * not paid for (base fee 0, eth_gasPrice 0, EVM balances 0), and the Hardhat node is started
 * with a zero base fee, so the two chains take the same transactions. 100,000 gas is about
 * twice what a transfer uses.
 */
export const ERC20_CALL = {
  type: 'eip1559',
  value: 0n,
  gas: 100_000n,
  maxFeePerGas: 0n,
  maxPriorityFeePerGas: 0n,
} as const;

/** Each holder's balance from the constructor: far beyond what a run transfers. */
export const HOLDER_BALANCE = 10n ** 24n;

const word = (hex: string) => hex.padStart(64, '0');

/** Calldata of `transfer(to, amount)` (selector 0xa9059cbb); `to` is 40 hex digits. */
export function transferData(to: string, amount = 1n): `0x${string}` {
  return `0xa9059cbb${word(to.toLowerCase())}${word(amount.toString(16))}`;
}

/** Calldata of `balanceOf(owner)` (selector 0x70a08231). */
export function balanceOfData(owner: string): `0x${string}` {
  return `0x70a08231${word(owner.toLowerCase())}`;
}

export interface CompiledToken {
  /** Creation bytecode, 0x-prefixed (constructor arguments not appended). */
  readonly bytecode: `0x${string}`;
  readonly abi: readonly Record<string, unknown>[];
  readonly solc: string;
  readonly openZeppelin: string;
}

/**
 * Compiles `BenchToken` with the `solc` package (standard JSON, evmVersion cancun, optimizer
 * on, 200 runs); `@openzeppelin/contracts/...` imports are read from the installed package.
 */
export function compileBenchToken(): CompiledToken {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as {
    version(): string;
    compile(
      input: string,
      callbacks: { import(path: string): { contents: string } | { error: string } },
    ): string;
  };
  const ozManifest = require.resolve('@openzeppelin/contracts/package.json');
  const ozRoot = dirname(ozManifest);
  const prefix = '@openzeppelin/contracts/';
  const findImport = (path: string) => {
    if (!path.startsWith(prefix)) return { error: `not found: ${path}` };
    try {
      return { contents: readFileSync(join(ozRoot, path.slice(prefix.length)), 'utf8') };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const input = {
    language: 'Solidity',
    sources: { 'BenchToken.sol': { content: BENCH_TOKEN_SOURCE } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { BenchToken: ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<
      string,
      Record<string, { abi: CompiledToken['abi']; evm: { bytecode: { object: string } } }>
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`BenchToken: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const token = output.contracts?.['BenchToken.sol']?.BenchToken;
  if (!token) throw new Error('BenchToken: solc gave no output');
  return {
    bytecode: `0x${token.evm.bytecode.object}`,
    abi: token.abi,
    solc: solc.version(),
    openZeppelin: (require(ozManifest) as { version: string }).version,
  };
}
