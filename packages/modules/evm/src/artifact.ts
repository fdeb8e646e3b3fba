import { PujiangError } from '@pujiang/types';

/** A compiled contract: its ABI and creation bytecode, from whichever artifact format held it. */
export interface ContractArtifact {
  /** `File.sol:Name` when the artifact says, else the name alone (or `contract`). */
  readonly name: string;
  readonly abi: readonly Record<string, unknown>[];
  /** The creation bytecode, `0x…` (`0x` alone for an interface or abstract contract). */
  readonly bytecode: `0x${string}`;
}

export type ArtifactErrorCode = 'EVM_ARTIFACT_INVALID';

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new PujiangError<ArtifactErrorCode>('EVM_ARTIFACT_INVALID', message, details);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a compiled contract out of an artifact's JSON, in any of the forms the tools write:
 *
 * - solc's standard-JSON output (`{contracts: {"File.sol": {"Name": {abi, evm: {bytecode}}}}}`,
 *   what the `solc` npm package's `compile` answers): `contract` picks one, as `File.sol:Name`
 *   or `Name` when that is unambiguous; without it the output must hold one contract;
 * - solc's `--combined-json abi,bin` (`{contracts: {"File.sol:Name": {abi, bin}}}`);
 * - a Hardhat artifact (`{contractName, sourceName, abi, bytecode: "0x…"}`);
 * - a Foundry artifact (`{abi, bytecode: {object: "0x…"}}`), or any `{abi, bytecode}`.
 *
 * Bytecode with unlinked library placeholders is refused (link the libraries first), as is
 * standard-JSON output with compilation errors. Failures are `EVM_ARTIFACT_INVALID`.
 */
export function parseContractArtifact(json: unknown, contract?: string): ContractArtifact {
  if (!isObject(json)) throw invalid('the artifact is not a JSON object');
  if (contract !== undefined && (typeof contract !== 'string' || contract === ''))
    throw invalid('the contract is named File.sol:Name or Name');
  if (isObject(json.contracts)) return fromSolcOutput(json, json.contracts, contract);
  if (json.abi === undefined) throw invalid('the artifact has neither contracts (solc output) nor abi');
  const name =
    typeof json.contractName === 'string'
      ? typeof json.sourceName === 'string'
        ? `${json.sourceName}:${json.contractName}`
        : json.contractName
      : (contract ?? 'contract');
  if (contract !== undefined && typeof json.contractName === 'string' && !names(name).includes(contract))
    throw invalid(`the artifact is ${name}, not ${contract}`, { contract });
  const bytecode = isObject(json.bytecode) ? json.bytecode.object : json.bytecode;
  return { name, abi: abiOf(json.abi, name), bytecode: bytecodeOf(bytecode ?? '', name) };
}

/** The names a contract answers to: `File.sol:Name` and `Name`. */
const names = (full: string): string[] => [full, full.slice(full.lastIndexOf(':') + 1)];

function fromSolcOutput(
  json: Record<string, unknown>,
  contracts: Record<string, unknown>,
  contract: string | undefined,
): ContractArtifact {
  const errors = Array.isArray(json.errors)
    ? json.errors.filter((e) => isObject(e) && e.severity === 'error')
    : [];
  if (errors.length > 0)
    throw invalid(
      `the compiler reported errors: ${errors.map((e) => String((e as Record<string, unknown>).formattedMessage ?? (e as Record<string, unknown>).message)).join('; ')}`,
    );
  // Standard JSON nests contracts under their source file; combined JSON keys them `File.sol:Name`.
  const found: { name: string; entry: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(contracts)) {
    if (!isObject(value)) continue;
    if (key.includes(':') && (value.abi !== undefined || value.bin !== undefined)) {
      found.push({ name: key, entry: value });
      continue;
    }
    for (const [name, entry] of Object.entries(value))
      if (isObject(entry)) found.push({ name: `${key}:${name}`, entry });
  }
  if (found.length === 0) throw invalid('the compiler output holds no contract');
  const matching = contract === undefined ? found : found.filter((f) => names(f.name).includes(contract));
  const list = found.map((f) => f.name).join(', ');
  if (matching.length === 0)
    throw invalid(`no contract ${contract} in the output (it has ${list})`, { contract });
  if (matching.length > 1)
    throw invalid(
      contract === undefined
        ? `the output holds several contracts: name one as File.sol:Name (${list})`
        : `${contract} is ambiguous: name it as File.sol:Name (${matching.map((f) => f.name).join(', ')})`,
      contract === undefined ? {} : { contract },
    );
  const { name, entry } = matching[0]!;
  const evm = isObject(entry.evm) ? entry.evm : {};
  const bytecode = isObject(evm.bytecode) ? evm.bytecode.object : entry.bin;
  // combined JSON from older solc versions writes the ABI as a JSON string.
  const abi = typeof entry.abi === 'string' ? parseAbiText(entry.abi, name) : entry.abi;
  return { name, abi: abiOf(abi, name), bytecode: bytecodeOf(bytecode ?? '', name) };
}

function parseAbiText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`${name}: the abi is not JSON`);
  }
}

function abiOf(abi: unknown, name: string): Record<string, unknown>[] {
  if (!Array.isArray(abi) || !abi.every(isObject))
    throw invalid(
      `${name}: the abi is not an array of fragments (select abi in the compiler's outputSelection)`,
    );
  return abi;
}

function bytecodeOf(value: unknown, name: string): `0x${string}` {
  if (typeof value !== 'string') throw invalid(`${name}: the bytecode is not a string`);
  const digits = value.replace(/^0x/, '');
  if (/__\$[0-9a-fA-F]{34}\$__|__[A-Za-z0-9_.:/$-]{36}__/.test(digits))
    throw invalid(`${name}: the bytecode has unlinked libraries: link them first`);
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw invalid(`${name}: the bytecode is not hex`);
  return `0x${digits.toLowerCase()}`;
}
