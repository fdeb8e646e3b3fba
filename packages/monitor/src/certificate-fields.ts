import { parseCertificate } from '@pujiang/crypto';
import { PujiangError } from '@pujiang/types';

/**
 * The few fields of an X.509 certificate the monitor watches (serial, subject O/OU/CN,
 * validity), read with the chain's own parser (@pujiang/crypto's `parseCertificate`, strict
 * DER), so the monitor reads a certificate exactly as the chain that admitted it. Nothing
 * is checked beyond the parse: the chain checked the chain of trust when it admitted it.
 */
export interface CertificateFields {
  /** Minimal big-endian hex, as governance names serials. */
  readonly serial: string;
  readonly commonName?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

export function certificateFields(der: Uint8Array): CertificateFields {
  let c: ReturnType<typeof parseCertificate>;
  try {
    c = parseCertificate(der);
  } catch (error) {
    throw new PujiangError('MONITOR_BAD_CERTIFICATE', 'the certificate does not parse', {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  let serial = c.serial;
  while (serial.length > 1 && serial[0] === 0) serial = serial.subarray(1);
  const s = c.subject;
  return {
    serial: Buffer.from(serial).toString('hex'),
    ...(s.commonName ? { commonName: s.commonName } : {}),
    ...(s.organization ? { organization: s.organization } : {}),
    ...(s.organizationalUnit ? { organizationalUnit: s.organizationalUnit } : {}),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  };
}

/** Each certificate of a PEM text (one or more blocks). */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g))
    out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}
