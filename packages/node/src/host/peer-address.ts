import { getSuite, isSuiteId, type PublicKey } from '@pujiang/crypto';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';
import type { PeerAddress } from '../network/peer-network.js';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

/** "host:port" (IPv6 in brackets) to its parts; anything else is `CONFIG_INVALID`. */
export function parseHostPort(text: string, field: string): { host: string; port: number } {
  const m = HOST_PORT.exec(text);
  const port = m ? Number(m[2]) : -1;
  if (!m || port > 65535)
    throw new PujiangError('CONFIG_INVALID', `config: ${field} must be host:port`, { field });
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * `suite:publicKeyHex@host:port` (a dial answered by any other key is refused) or the older
 * `host:port` (any member may answer; the node warns, and keeps the first key that answered
 * for the rest of its run). Anything else is `CONFIG_INVALID` naming the field.
 */
export function parsePeer(text: string, field: string): PeerAddress {
  const at = text.lastIndexOf('@');
  if (at < 0) return parseHostPort(text, field);
  const address = parseHostPort(text.slice(at + 1), field);
  const id = text.slice(0, at);
  const colon = id.indexOf(':');
  const suite = id.slice(0, colon);
  const hex = id.slice(colon + 1).toLowerCase();
  if (
    colon > 0 &&
    isSuiteId(suite) &&
    hex.length === getSuite(suite).publicKeyLength * 2 &&
    /^[0-9a-f]+$/.test(hex)
  )
    return { ...address, key: { suite, bytes: hexToBytes(hex) } };
  throw new PujiangError(
    'CONFIG_INVALID',
    `config: ${field} must be suite:publicKeyHex@host:port or host:port`,
    {
      field,
    },
  );
}

/** How a peer is written in config: with its key when known. */
export function formatPeer(address: { host: string; port: number }, key?: PublicKey): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return key ? `${key.suite}:${bytesToHex(key.bytes)}@${host}:${address.port}` : `${host}:${address.port}`;
}
