import { readFileSync } from 'node:fs';
import { required, usageError } from '@pujiang/cli-kit';
import {
  type Certificate,
  certificateFromPem,
  getSuite,
  isSuiteId,
  type PublicKey,
  parseCertificate,
  serialHex,
} from '@pujiang/crypto';

/** Options governance's commands (and the CLI's membership commands) read. */

/** A certificate file (PEM), parsed strictly; unreadable or malformed is bad input naming the option. */
export function readCertificate(path: string, option: string): { der: Uint8Array; cert: Certificate } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`, { option });
  }
  try {
    const der = certificateFromPem(text);
    return { der, cert: parseCertificate(der) };
  } catch (error) {
    throw usageError(`${path} is not a certificate: ${(error as Error).message}`, { option });
  }
}

/** `SUITE:HEX` with a key of the suite's length. */
export function publicKeyOption(text: string, option: string): PublicKey {
  const m = /^([a-z0-9+-]+):([0-9a-fA-F]+)$/.exec(text);
  if (!m || !isSuiteId(m[1]!)) throw usageError(`--${option} must be SUITE:HEX`, { option });
  const suite = m[1]!;
  const bytes = Uint8Array.from(Buffer.from(m[2]!, 'hex'));
  const length = getSuite(suite).publicKeyLength;
  if (m[2]!.length % 2 !== 0 || bytes.length !== length)
    throw usageError(`a ${suite} public key is ${length} bytes`, { option, length: m[2]!.length / 2 });
  return { suite, bytes };
}

/** A certificate serial as the chain keys it: lowercase hex of its minimal big-endian bytes. */
export function serialOption(text: string, option = 'serial'): string {
  const hex = text.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,40}$/.test(hex)) throw usageError(`--${option} must be 1-40 hex digits`, { option });
  const minimal = (hex.length % 2 === 1 ? `0${hex}` : hex).replace(/^(00)+/, '');
  if (minimal === '') throw usageError(`--${option} cannot be zero`, { option });
  return minimal;
}

/** `--org ID --serial HEX`, or both read from `--cert FILE.pem`. */
export function orgAndSerial(values: Record<string, unknown>): { org: string; serial: string } {
  if (values.cert !== undefined) {
    if (values.serial !== undefined)
      throw usageError('give --serial or --cert, not both', { option: 'serial' });
    const { cert } = readCertificate(required(values, 'cert'), 'cert');
    const org = (values.org as string | undefined) ?? cert.subject.organization;
    if (!org) throw usageError('the certificate names no organization (O): give --org', { option: 'org' });
    if (cert.subject.organization !== undefined && org !== cert.subject.organization)
      throw usageError(`the certificate belongs to ${cert.subject.organization}, not ${org}`, {
        option: 'org',
      });
    return { org, serial: serialHex(cert) };
  }
  return { org: required(values, 'org'), serial: serialOption(required(values, 'serial')) };
}
