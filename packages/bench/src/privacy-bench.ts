import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encode } from '@pujiang/codec';
import { aeadEncrypt, deriveAddress, keyPairFromSecretKey, randomBytes } from '@pujiang/crypto';
import {
  commit,
  coordinates,
  encodeSnarkjsProof,
  loadVerificationKey,
  verifyGroth16,
} from '@pujiang/module-confidential';
import { releaseProver } from '@pujiang/module-confidential/client';
import {
  commitmentsOf,
  discreteLog,
  encodePoint,
  encryptToKey,
  evaluate,
  G,
  invert,
  partialContext,
  privateKeyOf,
  proveEqualLogs,
  randomPolynomial,
  randomScalar,
  Submit,
  times,
} from '@pujiang/module-privacy';
import { combinePartials } from '@pujiang/module-privacy/verify';
import {
  defineCollection,
  getRound,
  openRound,
  PujiangClient,
  putPrivateData,
  registerPaillierKey,
} from '@pujiang/sdk';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@pujiang/types';
import * as snarkjs from 'snarkjs';
import { withBenchNode } from './node-home.js';
import { type BenchRecord, opsPerSecond } from './record.js';

/** The privacy module's committed fixtures: a 2048-bit test key and 1,000 encrypted reports. */
const FIXTURES = JSON.parse(
  readFileSync(new URL('../../../modules/privacy/test/fixtures/paillier-2048.json', import.meta.url), 'utf8'),
) as { key: { n: string; p: string; q: string }; reports: { value: string; ciphertext: string }[] };

const round = (n: number) => Math.round(n * 100) / 100;
const ratio = (a: number, b: number) => Math.round((a / b) * 10_000) / 10_000;

export interface PrivacyBenchOptions {
  readonly quick: boolean;
}

/**
 * The privacy group: Paillier (paillier-bigint) encrypt, add and decrypt per second at 2048
 * bits on one core; encrypted reports summed per second by a validator, against the raw
 * additions; threshold decryptions (3 of 5 proven partials verified and combined) per
 * second, against raw ristretto255 multiplications; private collection writes per second
 * through a validator's put route, against the raw AEAD sealing of the same values.
 */
export async function runPrivacyBench(o: PrivacyBenchOptions): Promise<BenchRecord[]> {
  const ms = o.quick ? 1500 : 5000;
  const records: BenchRecord[] = [];
  const n = BigInt(`0x${FIXTURES.key.n}`);
  const privateKey = privateKeyOf(BigInt(`0x${FIXTURES.key.p}`), BigInt(`0x${FIXTURES.key.q}`));
  const publicKey = privateKey.publicKey;
  const c = BigInt(`0x${FIXTURES.reports[0]!.ciphertext}`);
  const encrypts = opsPerSecond(() => publicKey.encrypt(123_456_789n), ms);
  const adds = opsPerSecond(() => publicKey.addition(c, c), ms);
  const decrypts = opsPerSecond(() => privateKey.decrypt(c), ms);
  const paillier = { bits: 2048, cores: 1, library: 'paillier-bigint 3.4.3' };
  records.push(
    {
      group: 'privacy',
      name: 'Paillier encryptions/s',
      value: round(encrypts),
      unit: 'op/s',
      configuration: paillier,
    },
    {
      group: 'privacy',
      name: 'Paillier additions/s',
      value: round(adds),
      unit: 'op/s',
      configuration: paillier,
    },
    {
      group: 'privacy',
      name: 'Paillier decryptions/s',
      value: round(decrypts),
      unit: 'op/s',
      configuration: paillier,
    },
  );

  // Threshold decryption, the cryptographic work alone: 3 of 5 partials, each with its proof,
  // verified and combined, then the plaintext found (a total below 2^20).
  const poly = randomPolynomial(3);
  const commitments = commitmentsOf(poly).map((c) => bytesToHex(encodePoint(c)));
  const { ciphertext } = encryptToKey(
    times(G, poly.coefficients[0] as bigint),
    777_777n,
    utf8ToBytes('bench'),
  );
  const mults = opsPerSecond(() => times(G, randomScalar()), ms);
  const decryptions = opsPerSecond(() => {
    const blind = randomScalar();
    const base = times(ciphertext.c1, blind);
    const partials = [1, 3, 5].map((member) => {
      const share = evaluate(poly, member);
      return {
        member,
        share: bytesToHex(encodePoint(times(base, share))),
        proof: bytesToHex(proveEqualLogs(G, base, share, partialContext('bench', 'r', member))),
      };
    });
    const { combined } = combinePartials({
      chainId: 'bench',
      request: 'r',
      commitments,
      base: bytesToHex(encodePoint(base)),
      threshold: 3,
      partials,
    });
    discreteLog(ciphertext.c2.subtract(times(combined, invert(blind))), 2n ** 20n);
  }, ms);
  records.push(
    {
      group: 'privacy',
      name: 'ristretto255 multiplications/s',
      value: round(mults),
      unit: 'op/s',
      configuration: { cores: 1, library: '@noble/curves' },
    },
    {
      group: 'privacy',
      name: 'threshold decryptions/s (3 of 5)',
      value: round(decryptions),
      unit: 'op/s',
      configuration: {
        cores: 1,
        members: 5,
        threshold: 3,
        note: 'proofs made, verified and combined; plaintext < 2^20',
      },
      limit: {
        name: 'ristretto255 multiplications/s',
        value: round(mults),
        ratio: ratio(decryptions, mults),
      },
    },
  );

  records.push(...(await groth16Figures(o.quick)));

  const reports = o.quick ? 300 : FIXTURES.reports.length;
  await withBenchNode({ label: 'privacy', suite: 'ed25519', senders: 10 }, async (node) => {
    const client = new PujiangClient(node.apiUrl);
    const keys = node.chain.senders.map((s) =>
      keyPairFromSecretKey({ suite: 'ed25519', bytes: hexToBytes(s) }),
    );
    const { chainHash, height } = await client.getStatus();
    const owner = keys[0]!;
    const ok = (code: string | undefined, what: string) => {
      if (code !== 'OK') throw new Error(`${what}: ${code}`);
    };
    ok(
      (await registerPaillierKey(client, { key: owner, id: 'bench-key', modulus: n, wait: true })).result
        .receipt?.code,
      'registerKey',
    );
    const submitters = keys.map((k) => bytesToHex(deriveAddress(chainHash, k.publicKey)));
    const opened = await openRound(client, {
      key: owner,
      id: 'bench-round',
      scheme: 'paillier',
      keyId: 'bench-key',
      submitters,
      maxPerSubmitter: reports,
      closesAt: height + 1_000_000,
      wait: true,
    });
    ok(opened.result.receipt?.code, 'openRound');
    const per = Math.ceil(reports / keys.length);
    const start = performance.now();
    await Promise.all(
      keys.map(async (key, k) => {
        const mine = FIXTURES.reports.slice(k * per, Math.min(reports, (k + 1) * per));
        for (let i = 0; i < mine.length; i += 100)
          await client.sendTransactions({
            key,
            messages: mine.slice(i, i + 100).map((r) => ({
              module: 'privacy',
              type: 'submit',
              gasLimit: 300_000,
              payload: encode(Submit, {
                round: 'bench-round',
                ciphertext: hexToBytes(r.ciphertext),
                proof: new Uint8Array(0),
              }),
            })),
          });
      }),
    );
    for (;;) {
      const round = await getRound(client, 'bench-round');
      if ((round?.count ?? 0) >= reports) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const summed = (reports * 1000) / (performance.now() - start);
    records.push({
      group: 'privacy',
      name: 'encrypted reports summed/s (validator)',
      value: round(summed),
      unit: 'report/s',
      configuration: { reports, submitters: keys.length, bits: 2048, validators: 1 },
      limit: { name: 'Paillier additions/s', value: round(adds), ratio: ratio(summed, adds) },
    });

    // Private collection writes through the put route (org0's node, the collection's only organization).
    ok(
      (
        await defineCollection(client, {
          key: owner,
          name: 'bench',
          orgs: ['org0'],
          retentionBlocks: 100_000,
          wait: true,
        })
      ).result.receipt?.code,
      'define',
    );
    const value = randomBytes(1024);
    const sealKey = randomBytes(32);
    const seals = opsPerSecond(() => aeadEncrypt('aes-256-gcm', sealKey, randomBytes(12), value), ms);
    const puts = o.quick ? 100 : 500;
    const putStart = performance.now();
    await Promise.all(
      keys.map(async (key, k) => {
        for (let i = k; i < puts; i += keys.length) {
          const written = await putPrivateData(client, {
            key,
            collection: 'bench',
            entry: `e-${i}`,
            value,
            wait: false,
          });
          if (written.status !== 'pending' && written.code !== 'OK') throw new Error(`put: ${written.code}`);
        }
      }),
    );
    for (;;) {
      const last = await client.query('collections', 'entry', { collection: 'bench', key: `e-${puts - 1}` });
      if ((last.result as { entry: unknown }).entry) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const putRate = (puts * 1000) / (performance.now() - putStart);
    records.push({
      group: 'privacy',
      name: 'collection puts/s (validator)',
      value: round(putRate),
      unit: 'put/s',
      configuration: { puts, valueBytes: value.length, writers: keys.length, validators: 1 },
      limit: { name: 'AES-256-GCM seals/s (1 KiB)', value: round(seals), ratio: ratio(putRate, seals) },
    });
  });
  return records;
}

/**
 * A confidential transfer's Groth16 proof: proving with snarkjs (witness and proof, the
 * committed circuit and key), and verifying with the chain's verifier (@noble/curves'
 * pairing, synchronous) beside snarkjs's own verifier in the same run.
 */
async function groth16Figures(quick: boolean): Promise<BenchRecord[]> {
  const keys = (name: string) =>
    fileURLToPath(import.meta.resolve(`@pujiang/module-confidential/keys/${name}`));
  const vkeyJson = JSON.parse(readFileSync(keys('verification_key.json'), 'utf8'));
  const vkey = loadVerificationKey(vkeyJson);
  const runs = quick ? 3 : 10;
  let proving = 0;
  let sample: { proof: unknown; publicSignals: string[] } | undefined;
  for (let i = 0; i < runs; i++) {
    const [balanceX, balanceY] = coordinates(commit(1_000_000n, 11n + BigInt(i)));
    const [amountX, amountY] = coordinates(commit(250_000n, 77n + BigInt(i)));
    const start = performance.now();
    sample = await snarkjs.groth16.fullProve(
      {
        balanceX,
        balanceY,
        amountX,
        amountY,
        balance: 1_000_000n,
        balanceBlind: 11n + BigInt(i),
        amount: 250_000n,
        amountBlind: 77n + BigInt(i),
      },
      keys('transfer.wasm'),
      keys('transfer.zkey'),
    );
    proving += performance.now() - start;
  }
  const proof = encodeSnarkjsProof(sample!.proof as Parameters<typeof encodeSnarkjsProof>[0]);
  const inputs = sample!.publicSignals.map(BigInt);
  let start = performance.now();
  for (let i = 0; i < runs; i++)
    if (!verifyGroth16(vkey, proof, inputs)) throw new Error('groth16: verify failed');
  const ours = (performance.now() - start) / runs;
  start = performance.now();
  for (let i = 0; i < runs; i++)
    if (!(await snarkjs.groth16.verify(vkeyJson, sample!.publicSignals, sample!.proof)))
      throw new Error('snarkjs verify failed');
  const theirs = (performance.now() - start) / runs;
  await releaseProver();
  const configuration = { constraints: 10_370, curve: 'BN254', runs, cores: 2 };
  return [
    {
      group: 'privacy',
      name: 'Groth16 transfer proof (snarkjs)',
      value: round(proving / runs),
      unit: 'ms',
      configuration,
    },
    {
      group: 'privacy',
      name: 'Groth16 transfer verify (chain, @noble/curves)',
      value: round(ours),
      unit: 'ms',
      configuration: { ...configuration, cores: 1 },
      comparedWith: { name: 'snarkjs groth16.verify', value: round(theirs), ratio: ratio(ours, theirs) },
    },
  ];
}
