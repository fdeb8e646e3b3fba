import { PujiangError } from '@pujiang/types';

/**
 * The few fields of an X.509 certificate the monitor watches (serial, subject O/OU/CN,
 * validity), read from its DER without checking anything: the chain checked the
 * certificate when it admitted it, and the monitor only needs to know when it expires and
 * whose it is. Any suite's certificate reads the same (the key and signature are skipped).
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

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

const bad = (message: string) => new PujiangError('MONITOR_BAD_CERTIFICATE', message);

function tlv(der: Uint8Array, at: number): Tlv {
  if (at + 2 > der.length) throw bad('truncated certificate');
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw bad('bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[start + i]!;
    start += n;
  }
  if (start + length > der.length) throw bad('truncated certificate');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = tlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function time(der: Uint8Array, t: Tlv): number {
  const s = new TextDecoder().decode(der.subarray(t.start, t.end));
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw bad(`bad time ${s}`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

const NAME_OIDS: Record<string, 'commonName' | 'organization' | 'organizationalUnit'> = {
  '550403': 'commonName',
  '55040a': 'organization',
  '55040b': 'organizationalUnit',
};

function name(
  der: Uint8Array,
  t: Tlv,
): Partial<Record<'commonName' | 'organization' | 'organizationalUnit', string>> {
  const out: Partial<Record<'commonName' | 'organization' | 'organizationalUnit', string>> = {};
  for (const rdn of children(der, t))
    for (const attribute of children(der, rdn)) {
      const [oid, value] = children(der, attribute);
      if (!oid || !value) continue;
      const field = NAME_OIDS[Buffer.from(der.subarray(oid.start, oid.end)).toString('hex')];
      if (field) out[field] = new TextDecoder().decode(der.subarray(value.start, value.end));
    }
  return out;
}

export function certificateFields(der: Uint8Array): CertificateFields {
  const certificate = tlv(der, 0);
  const tbs = children(der, certificate)[0];
  if (!tbs) throw bad('no tbsCertificate');
  const parts = children(der, tbs);
  const rest = parts[0]?.tag === 0xa0 ? parts.slice(1) : parts;
  const [serial, , , validity, subject] = rest;
  if (!serial || !validity || !subject) throw bad('missing certificate fields');
  const [notBefore, notAfter] = children(der, validity);
  if (!notBefore || !notAfter) throw bad('bad validity');
  let serialBytes = der.subarray(serial.start, serial.end);
  while (serialBytes.length > 1 && serialBytes[0] === 0) serialBytes = serialBytes.subarray(1);
  return {
    serial: Buffer.from(serialBytes).toString('hex'),
    ...name(der, subject),
    notBefore: time(der, notBefore),
    notAfter: time(der, notAfter),
  };
}

/** Each certificate of a PEM text (one or more blocks). */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g))
    out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}
