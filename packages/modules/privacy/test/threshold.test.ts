import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, isPujiangError, utf8ToBytes } from '@pujiang/types';
import {
  addCiphertexts,
  combineCommitments,
  commitmentsOf,
  decodeCiphertext,
  decodePoint,
  decodeScalar,
  decryptWithSecret,
  discreteLog,
  encodeCiphertext,
  encodePoint,
  encryptToKey,
  evaluate,
  G,
  invert,
  lagrangeAtZero,
  ORDER,
  openShare,
  partialContext,
  proveEqualLogs,
  randomPolynomial,
  randomScalar,
  sealShare,
  shareCommitment,
  times,
  verifyEncryptionProof,
} from '../src/index.js';
import { combinePartials, verifyPartial } from '../src/verify/index.js';

/** A committee's key generation run in memory: every dealer's polynomial, summed (or reshared). */
function runDkg(n: number, t: number, previous?: { shares: bigint[]; t: number; dealers: number[] }) {
  const dealers = previous ? previous.dealers : Array.from({ length: n }, (_, i) => i + 1);
  const polys = dealers.map((i) => randomPolynomial(t, previous ? previous.shares[i - 1] : undefined));
  const weights = dealers.map((i) => (previous ? lagrangeAtZero(dealers, i) : 1n));
  const commitments = combineCommitments(
    polys.map((p, k) => ({ commitments: commitmentsOf(p), weight: weights[k] as bigint })),
  );
  const shares = Array.from({ length: n }, (_, j) =>
    polys.reduce((sum, p, k) => (sum + (weights[k] as bigint) * evaluate(p, j + 1)) % ORDER, 0n),
  );
  return { commitments, shares, publicKey: commitments[0] };
}

describe('threshold ElGamal over ristretto255', () => {
  it('sums encrypted values and decrypts the total with the whole secret', () => {
    const secret = randomScalar();
    const publicKey = times(G, secret);
    const context = utf8ToBytes('test');
    const values = [5n, 17n, 1_000_000n, 0n];
    let total = decodeCiphertext(new Uint8Array(64).fill(0).map(() => 0) as Uint8Array);
    for (const v of values) {
      const { ciphertext, proof } = encryptToKey(publicKey, v, context);
      assert.ok(verifyEncryptionProof(ciphertext, proof, context));
      assert.ok(!verifyEncryptionProof(ciphertext, proof, utf8ToBytes('another round')));
      total = addCiphertexts(total, decodeCiphertext(encodeCiphertext(ciphertext)));
    }
    assert.equal(decryptWithSecret(secret, total, 2n ** 24n), 1_000_022n);
  });

  it('refuses non-canonical points and scalars past the order with typed codes', () => {
    const bad = new Uint8Array(32).fill(0xff);
    assert.throws(
      () => decodePoint(bad, 'p'),
      (e) => isPujiangError(e, 'PRIVACY_BAD_POINT'),
    );
    const big = new Uint8Array(32).fill(0xff);
    assert.throws(
      () => decodeScalar(big, 's'),
      (e) => isPujiangError(e, 'PRIVACY_BAD_SCALAR'),
    );
    assert.throws(
      () => decodeCiphertext(new Uint8Array(63)),
      (e) => isPujiangError(e, 'PRIVACY_BAD_CIPHERTEXT'),
    );
    assert.throws(
      () => discreteLog(times(G, 1001n), 1000n),
      (e) => isPujiangError(e, 'PRIVACY_VALUE_OUT_OF_RANGE'),
    );
  });

  it('a dealer share sealed to a member opens only with that member key, and checks against the commitments', () => {
    const poly = randomPolynomial(3);
    const commitments = commitmentsOf(poly);
    const memberSecret = randomScalar();
    const e = randomScalar();
    const context = utf8ToBytes('epoch 1 dealer 2');
    const sealed = sealShare(evaluate(poly, 4), times(G, memberSecret), e, 4, context);
    const share = openShare(sealed, times(G, e), memberSecret, 4, context);
    assert.ok(times(G, share).equals(shareCommitment(commitments, 4)));
    let other: bigint | undefined;
    try {
      other = openShare(sealed, times(G, e), randomScalar(), 4, context);
    } catch {}
    assert.ok(other === undefined || !times(G, other).equals(shareCommitment(commitments, 4)));
  });

  it('t of n members decrypt a total, t-1 cannot, and a wrong partial is named; resharing keeps the key', () => {
    const chainId = 'test-chain';
    const n = 5;
    const t = 3;
    const dkg = runDkg(n, t);
    const publicKey = dkg.publicKey as NonNullable<typeof dkg.publicKey>;
    for (let j = 1; j <= n; j++)
      assert.ok(times(G, dkg.shares[j - 1] as bigint).equals(shareCommitment(dkg.commitments, j)));
    const { ciphertext } = encryptToKey(publicKey, 4242n, utf8ToBytes('r'));
    const blind = randomScalar();
    const base = times(ciphertext.c1, blind);
    const commitments = dkg.commitments.map((c) => bytesToHex(encodePoint(c)));
    const partial = (member: number, secret = dkg.shares[member - 1] as bigint) => ({
      member,
      share: bytesToHex(encodePoint(times(base, secret))),
      proof: bytesToHex(proveEqualLogs(G, base, secret, partialContext(chainId, 'req', member))),
    });
    const request = {
      chainId,
      request: 'req',
      commitments,
      base: bytesToHex(encodePoint(base)),
      threshold: t,
    };
    const plaintext = (combined: ReturnType<typeof times>) =>
      discreteLog(ciphertext.c2.subtract(times(combined, invert(blind))), 2n ** 20n);
    for (const members of [
      [1, 2, 3],
      [2, 4, 5],
      [1, 3, 5],
    ]) {
      const { combined } = combinePartials({ ...request, partials: members.map((m) => partial(m)) });
      assert.equal(plaintext(combined), 4242n);
    }
    assert.throws(
      () => combinePartials({ ...request, partials: [partial(1), partial(2)] }),
      (e) => isPujiangError(e, 'SDK_VERIFICATION_FAILED') && e.details.check === 'threshold',
    );
    // Two shares interpolated as if they were enough give a point that is no plaintext in range.
    const two = combinePartials({ ...request, threshold: 2, partials: [partial(1), partial(2)] });
    assert.throws(
      () => plaintext(two.combined),
      (e) => isPujiangError(e, 'PRIVACY_VALUE_OUT_OF_RANGE'),
    );
    const forged = partial(4, randomScalar());
    assert.ok(!verifyPartial({ ...request, partial: forged }));
    assert.throws(
      () => combinePartials({ ...request, partials: [partial(1), forged, partial(2)] }),
      (e) => isPujiangError(e, 'SDK_VERIFICATION_FAILED') && e.details.member === 4,
    );

    // Members 2, 3 and 5 reshare to a committee of 4 with threshold 2: same key, new shares.
    const reshared = runDkg(4, 2, { shares: dkg.shares, t, dealers: [2, 3, 5] });
    assert.ok(reshared.publicKey?.equals(publicKey));
    const s =
      lagrangeAtZero([1, 4], 1) * (reshared.shares[0] as bigint) +
      lagrangeAtZero([1, 4], 4) * (reshared.shares[3] as bigint);
    assert.equal(decryptWithSecret(s % ORDER, ciphertext, 2n ** 20n), 4242n);
  });
});
