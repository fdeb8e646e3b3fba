import { type CommandIo, EXIT } from '@pujiang/cli-kit';
import {
  aeadEncrypt,
  generateKeyPair,
  getSuite,
  hash,
  SUITE_IDS,
  sign,
  sm4EncryptBlock,
  VerifyPool,
  verify,
} from '@pujiang/crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';

interface Check {
  name: string;
  run(): boolean | Promise<boolean>;
}

/** Known answers from the standards, so an operator can tell a broken build before it joins a chain. */
const CHECKS: Check[] = [
  {
    name: 'SM3 (GB/T 32905 "abc")',
    run: () =>
      bytesToHex(hash('sm3', utf8ToBytes('abc'))) ===
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  },
  {
    name: 'SM4 (GB/T 32907 example 1)',
    run: () => {
      const key = hexToBytes('0123456789abcdeffedcba9876543210');
      return bytesToHex(sm4EncryptBlock(key, key)) === '681edf34d206965e86b3e94f536e4246';
    },
  },
  {
    name: 'SM4-GCM (RFC 8998 A.1 tag)',
    run: () => {
      const sealed = aeadEncrypt(
        'sm4-gcm',
        hexToBytes('0123456789abcdeffedcba9876543210'),
        hexToBytes('00001234567800000000abcd'),
        hexToBytes(
          `${'aa'.repeat(8)}${'bb'.repeat(8)}${'cc'.repeat(8)}${'dd'.repeat(8)}${'ee'.repeat(8)}${'ff'.repeat(8)}${'ee'.repeat(8)}${'aa'.repeat(8)}`,
        ),
        hexToBytes('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
      );
      return bytesToHex(sealed.subarray(64)) === '83de3541e4c2b58177e065a9bf7b62ec';
    },
  },
  {
    name: 'SM2 (GM/T 0003.5 Annex A signature)',
    run: () =>
      getSuite('sm2').verify(
        hexToBytes(
          '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
        ),
        utf8ToBytes('message digest'),
        hexToBytes(
          'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
        ),
      ),
  },
  {
    name: 'Ed25519 (RFC 8032 TEST 1)',
    run: () =>
      bytesToHex(
        getSuite('ed25519').sign(
          hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
          new Uint8Array(),
        ),
      ) ===
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  ...SUITE_IDS.map((suite) => ({
    name: `${suite} sign/verify round trip`,
    run: () => {
      const kp = generateKeyPair(suite);
      const message = utf8ToBytes('pujiang selftest');
      const sig = sign(kp.secretKey, message);
      return verify(kp.publicKey, message, sig) && !verify(kp.publicKey, utf8ToBytes('tampered'), sig);
    },
  })),
  {
    name: 'verification worker pool',
    run: async () => {
      const pool = new VerifyPool();
      try {
        const kp = generateKeyPair('ed25519');
        const message = utf8ToBytes('pool');
        const signature = sign(kp.secretKey, message).bytes;
        const results = await pool.verifyBatch([
          { suite: 'ed25519', publicKey: kp.publicKey.bytes, message, signature },
          { suite: 'ed25519', publicKey: kp.publicKey.bytes, message: utf8ToBytes('x'), signature },
        ]);
        return results[0] === true && results[1] === false;
      } finally {
        await pool.close();
      }
    },
  },
];

export async function runSelftest(io: CommandIo): Promise<number> {
  let failures = 0;
  for (const check of CHECKS) {
    let ok = false;
    try {
      ok = await check.run();
    } catch (error) {
      io.err(`  ${check.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!ok) failures++;
    io.out(`${ok ? 'ok  ' : 'FAIL'}  ${check.name}`);
  }
  io.out(`${CHECKS.length - failures} passed, ${failures} failed`);
  return failures === 0 ? EXIT.ok : EXIT.invalid;
}
