import { readFileSync, writeFileSync } from 'node:fs';
import { usageError } from '@pujiang/cli-kit';
import { generateEphemeralKeyPair, x25519PublicKey } from '@pujiang/crypto';
import { bytesToHex, hexToBytes } from '@pujiang/types';

/** A JSON file the user named (`CLI_USAGE` naming the option when it cannot be read). */
export function readJson(path: string, option: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw usageError(`cannot read ${path} as JSON: ${(error as Error).message}`, { option });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usageError(`${path} is not a JSON object`, { option });
  return value as Record<string, unknown>;
}

export function writeJson(path: string, value: unknown, mode = 0o644): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode });
}

/**
 * An X25519 key file: `{"type": "x25519", "publicKey": hex, "secretKey": hex}`, readable by
 * its owner only. Requesters keep their reply keys, stewards and auditors their DID's
 * key-agreement keys, in these.
 */
export function newAgreementKeyFile(path: string): Uint8Array {
  const { publicKey, secretKey } = generateEphemeralKeyPair();
  writeFileSync(
    path,
    `${JSON.stringify({ type: 'x25519', publicKey: bytesToHex(publicKey), secretKey: bytesToHex(secretKey) }, null, 2)}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  return publicKey;
}

export function readAgreementKey(
  path: string,
  option: string,
): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const file = readJson(path, option);
  const secret =
    typeof file.secretKey === 'string' && /^[0-9a-f]{64}$/.test(file.secretKey) ? file.secretKey : undefined;
  if (file.type !== 'x25519' || secret === undefined)
    throw usageError(`${path} is not an X25519 key file (pujiang data keygen writes one)`, { option });
  const secretKey = hexToBytes(secret);
  return { publicKey: x25519PublicKey(secretKey), secretKey };
}
