import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, required, usageError } from '@pujiang/cli-kit';
import {
  assertHashAlgorithm,
  deriveAddress,
  generateKeyPair,
  getSuite,
  hash,
  keyPairFromSecretKey,
  publicKeyToPem,
  type SignatureOptions,
  type SuiteId,
  secretKeyToPem,
  signatureFromDer,
  signatureToDer,
} from '@pujiang/crypto';
import { bytesToHex, hexToBytes, PujiangError } from '@pujiang/types';

export const CRYPTO_USAGE = `pujiang crypto <command>
  keygen --suite S [--pem]                               new key pair as JSON (hex; PEM where the suite has one)
  sign   --suite S --key HEX --msg HEX [--id ID] [--context HEX] [--der]
                                                         signature hex (SM2/secp256k1: 64-byte r||s, or DER with --der)
  verify --suite S --pub HEX --msg HEX --sig HEX [--id ID] [--context HEX]
                                                         exit 0 valid, 1 invalid, 2 bad input
  hash   --alg sm3|sha256 --hex HEX                      digest hex
Suites: ed25519, sm2, secp256k1, ml-dsa-44, ml-dsa-65, sm2+ml-dsa-65, ed25519+ml-dsa-44.
--msg is the message itself (SM2 hashes it with Z_A; --id sets the SM2 user ID, default 1234567812345678;
--context sets the FIPS 204 context of ML-DSA and the hybrids' ML-DSA part, default empty).`;

function hexOption(values: Record<string, unknown>, name: string): Uint8Array {
  const text = required(values, name, true); // an empty message is a message
  try {
    return hexToBytes(text);
  } catch {
    throw new PujiangError('CLI_USAGE', `--${name} must be hex`, { option: name });
  }
}

function suiteOption(values: Record<string, unknown>): SuiteId {
  return getSuite(required(values, 'suite')).id;
}

const uses = {
  id: (suite: SuiteId) => suite === 'sm2' || suite === 'sm2+ml-dsa-65',
  context: (suite: SuiteId) => suite.includes('ml-dsa'),
  der: (suite: SuiteId) => suite === 'sm2' || suite === 'secp256k1',
};

/** Options that do not apply to the suite are refused rather than silently ignored. */
function checkApplicable(values: Record<string, unknown>, suite: SuiteId): void {
  for (const [option, applies] of Object.entries(uses)) {
    if (values[option] !== undefined && !applies(suite)) {
      throw new PujiangError('CLI_USAGE', `--${option} does not apply to ${suite}`, { option, suite });
    }
  }
}

function signatureOptions(values: Record<string, unknown>): SignatureOptions {
  return {
    ...(typeof values.id === 'string' ? { sm2UserId: values.id } : {}),
    ...(typeof values.context === 'string' ? { mlDsaContext: hexOption(values, 'context') } : {}),
  };
}

/** A signature of the wrong size is malformed input (exit 2), not a signature that failed (exit 1). */
function checkSignatureLength(suite: SuiteId, sig: Uint8Array): void {
  const expected = getSuite(suite).signatureLength;
  if (sig.length !== expected) {
    throw new PujiangError(
      'CLI_USAGE',
      `a ${suite} signature is ${expected} bytes${uses.der(suite) ? ' (or DER)' : ''}; got ${sig.length}`,
      {
        suite,
        expected,
        actual: sig.length,
      },
    );
  }
}

/** SM2 and secp256k1 signatures may come as DER; everything is normalised to r||s. */
function normaliseSignature(suite: SuiteId, sig: Uint8Array): Uint8Array {
  if ((suite === 'sm2' || suite === 'secp256k1') && sig.length !== 64 && sig[0] === 0x30)
    return signatureFromDer(sig);
  return sig;
}

const OPTIONS = {
  suite: { type: 'string' },
  key: { type: 'string' },
  pub: { type: 'string' },
  msg: { type: 'string' },
  sig: { type: 'string' },
  id: { type: 'string' },
  context: { type: 'string' },
  alg: { type: 'string' },
  hex: { type: 'string' },
  der: { type: 'boolean' },
  pem: { type: 'boolean' },
} as const;

export function runCrypto(argv: readonly string[], io: CommandIo): number {
  const [command, ...rest] = argv;
  const { values, tokens } = parseArgs({
    args: rest,
    options: OPTIONS,
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name))
      throw new PujiangError('CLI_USAGE', `--${token.name} is given twice`, { option: token.name });
    seen.add(token.name);
  }
  switch (command) {
    case 'keygen': {
      const kp = generateKeyPair(suiteOption(values));
      const pem = (fn: () => string) => {
        try {
          return fn();
        } catch {
          return undefined;
        }
      };
      const output: Record<string, unknown> = {
        suite: kp.suite,
        secretKey: bytesToHex(kp.secretKey.bytes),
        publicKey: bytesToHex(kp.publicKey.bytes),
        address: {
          sm3: bytesToHex(deriveAddress('sm3', kp.publicKey)),
          sha256: bytesToHex(deriveAddress('sha256', kp.publicKey)),
        },
      };
      if (values.pem) {
        output.secretKeyPem = pem(() => secretKeyToPem(kp.secretKey));
        output.publicKeyPem = pem(() => publicKeyToPem(kp.publicKey));
      }
      io.out(JSON.stringify(output, null, 2));
      return EXIT.ok;
    }
    case 'sign': {
      const suite = suiteOption(values);
      checkApplicable(values, suite);
      const kp = keyPairFromSecretKey({ suite, bytes: hexOption(values, 'key') });
      const sig = getSuite(suite).sign(
        kp.secretKey.bytes,
        hexOption(values, 'msg'),
        signatureOptions(values),
      );
      io.out(
        bytesToHex(values.der && (suite === 'sm2' || suite === 'secp256k1') ? signatureToDer(sig) : sig),
      );
      return EXIT.ok;
    }
    case 'verify': {
      const suite = suiteOption(values);
      checkApplicable(values, suite);
      if (values.der)
        throw new PujiangError('CLI_USAGE', '--der is for sign; verify reads DER or r||s by itself', {});
      const sig = normaliseSignature(suite, hexOption(values, 'sig'));
      checkSignatureLength(suite, sig);
      const ok = getSuite(suite).verify(
        hexOption(values, 'pub'),
        hexOption(values, 'msg'),
        sig,
        signatureOptions(values),
      );
      io.out(ok ? 'valid' : 'invalid');
      return ok ? EXIT.ok : EXIT.invalid;
    }
    case 'hash': {
      const alg = required(values, 'alg');
      assertHashAlgorithm(alg);
      io.out(bytesToHex(hash(alg, hexOption(values, 'hex'))));
      return EXIT.ok;
    }
    default:
      throw usageError(`unknown crypto command "${command ?? ''}"\n${CRYPTO_USAGE}`, { command });
  }
}
