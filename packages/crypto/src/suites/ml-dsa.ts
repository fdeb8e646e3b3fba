import { ml_dsa44, ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { randomBytes } from '#platform';
import { BoundedCache } from '../bounded-cache.js';
import { CryptoError } from '../errors.js';
import { requirePublicKeyLength, requireSecretKeyLength } from './checks.js';
import type { SignatureOptions, SignatureSuite, SuiteId } from './suite.js';

type MlDsa = typeof ml_dsa44;

function contextOf(suite: SuiteId, options?: SignatureOptions): Uint8Array | undefined {
  const context = options?.mlDsaContext;
  if (context !== undefined && context.length > 255) {
    throw new CryptoError('CRYPTO_UNSUPPORTED_FORMAT', `${suite} context is at most 255 bytes`, {
      suite,
      length: context.length,
    });
  }
  return context;
}

/**
 * ML-DSA (FIPS 204, pure mode, hedged signing) via @noble/post-quantum. The secret key is
 * the 32-byte seed xi of FIPS 204 Algorithm 1, from which the expanded key is derived (and
 * cached), so stored keys stay small and the PKCS#8 seed form can be exported.
 */
const expandedKeys = new Map<MlDsa, BoundedCache<{ secretKey: Uint8Array; publicKey: Uint8Array }>>();

/** FIPS 204 ML-DSA.KeyGen_internal from the seed, cached per seed. */
function expand(id: SuiteId, impl: MlDsa, seed: Uint8Array) {
  requireSecretKeyLength(id, seed, 32);
  let cache = expandedKeys.get(impl);
  if (!cache) {
    cache = new BoundedCache(64);
    expandedKeys.set(impl, cache);
  }
  return cache.getOrCreate(seed, () => impl.keygen(seed));
}

function mlDsaSuite(id: SuiteId, code: number, impl: MlDsa): SignatureSuite {
  const keysOf = (seed: Uint8Array) => expand(id, impl, seed);
  return {
    id,
    code,
    publicKeyLength: impl.lengths.publicKey!,
    secretKeyLength: 32,
    signatureLength: impl.lengths.signature!,
    generateSecretKey: () => randomBytes(32),
    publicKeyFromSecretKey: (seed) => keysOf(seed).publicKey,
    sign(seed, message, options) {
      const context = contextOf(id, options);
      return impl.sign(message, keysOf(seed).secretKey, context === undefined ? {} : { context });
    },
    verify(publicKey, message, signature, options) {
      requirePublicKeyLength(id, publicKey, impl.lengths.publicKey!);
      const context = contextOf(id, options);
      if (signature.length !== impl.lengths.signature) return false;
      try {
        return impl.verify(signature, message, publicKey, context === undefined ? {} : { context });
      } catch {
        return false;
      }
    },
  };
}

export const mlDsa44: SignatureSuite = mlDsaSuite('ml-dsa-44', 4, ml_dsa44);
export const mlDsa65: SignatureSuite = mlDsaSuite('ml-dsa-65', 5, ml_dsa65);

/** The FIPS 204 expanded secret key that signing uses for a seed (for known-answer tests). */
export function mlDsaExpandedSecretKey(suite: 'ml-dsa-44' | 'ml-dsa-65', seed: Uint8Array): Uint8Array {
  return expand(suite, suite === 'ml-dsa-44' ? ml_dsa44 : ml_dsa65, seed).secretKey;
}
