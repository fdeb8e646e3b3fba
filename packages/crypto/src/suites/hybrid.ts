import { concatBytes, utf8ToBytes } from '@pujiang/types';
import { requirePublicKeyLength, requireSecretKeyLength } from './checks.js';
import type { SignatureSuite, SuiteId } from './suite.js';

/**
 * A classical + post-quantum hybrid: keys and signatures are the two parts concatenated
 * (classical first), and the signature is valid only if both parts verify. Both parts sign
 * the message prefixed with a label naming the hybrid suite, so a part cannot be stripped
 * off and passed as a standalone classical or ML-DSA signature over the same message.
 */
export function hybridSuite(
  id: SuiteId,
  code: number,
  classical: SignatureSuite,
  pq: SignatureSuite,
): SignatureSuite {
  const label = utf8ToBytes(`pujiang/hybrid/${id}\0`);
  const bound = (message: Uint8Array) => concatBytes(label, message);
  const split = (bytes: Uint8Array, at: number) => [bytes.subarray(0, at), bytes.subarray(at)] as const;
  return {
    id,
    code,
    publicKeyLength: classical.publicKeyLength + pq.publicKeyLength,
    secretKeyLength: classical.secretKeyLength + pq.secretKeyLength,
    signatureLength: classical.signatureLength + pq.signatureLength,
    generateSecretKey: () => concatBytes(classical.generateSecretKey(), pq.generateSecretKey()),
    publicKeyFromSecretKey(secretKey) {
      requireSecretKeyLength(id, secretKey, this.secretKeyLength);
      const [c, q] = split(secretKey, classical.secretKeyLength);
      return concatBytes(classical.publicKeyFromSecretKey(c), pq.publicKeyFromSecretKey(q));
    },
    sign(secretKey, message, options) {
      requireSecretKeyLength(id, secretKey, this.secretKeyLength);
      const [c, q] = split(secretKey, classical.secretKeyLength);
      const m = bound(message);
      return concatBytes(classical.sign(c, m, options), pq.sign(q, m, options));
    },
    verify(publicKey, message, signature, options) {
      requirePublicKeyLength(id, publicKey, this.publicKeyLength);
      if (signature.length !== this.signatureLength) return false;
      const [cpk, qpk] = split(publicKey, classical.publicKeyLength);
      const [csig, qsig] = split(signature, classical.signatureLength);
      const m = bound(message);
      // Evaluate both so that the failing part is not revealed by timing, then require both.
      const classicalOk = classical.verify(cpk, m, csig, options);
      const pqOk = pq.verify(qpk, m, qsig, options);
      return classicalOk && pqOk;
    },
  };
}
