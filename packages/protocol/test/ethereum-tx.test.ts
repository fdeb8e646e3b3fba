import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { RLP } from '@ethereumjs/rlp';
import { createTx, createTxFromRLP } from '@ethereumjs/tx';
import { ethereumAddress, keccak256, signEthereumDigest } from '@pujiang/crypto';
import { bytesToHex, concatBytes, hexToBytes } from '@pujiang/types';
import fc from 'fast-check';
import {
  decodeEthereumTx,
  decodeTx,
  encodeTx,
  ethereumChainId,
  txIsForChain,
  txSignatureChecks,
  verifyTxSignature,
} from '../src/index.js';

const CHAIN = 'pujiang-test';
const ETH_CHAIN = ethereumChainId(CHAIN);
const common = createCustomCommon({ chainId: Number(ETH_CHAIN) }, Mainnet, { hardfork: Hardfork.Cancun });
const KEY = hexToBytes('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');

/** A transaction signed by @ethereumjs/tx (the reference), as raw bytes. */
function signed(type: 0 | 1 | 2, fields: Record<string, unknown> = {}): Uint8Array {
  const tx = createTx(
    {
      type,
      nonce: 7n,
      gasLimit: 90_000n,
      to: '0x3535353535353535353535353535353535353535',
      value: 10n ** 18n,
      data: '0xa9059cbb',
      ...(type === 2 ? { maxFeePerGas: 3n, maxPriorityFeePerGas: 2n } : { gasPrice: 5n }),
      ...(type === 0
        ? {}
        : { accessList: [{ address: `0x${'11'.repeat(20)}`, storageKeys: [`0x${'22'.repeat(32)}`] }] }),
      ...fields,
    } as never,
    { common },
  );
  return tx.sign(KEY).serialize();
}

const int = (v: bigint) =>
  v === 0n
    ? new Uint8Array(0)
    : hexToBytes(v.toString(16).padStart(Math.ceil(v.toString(16).length / 2) * 2, '0'));

/** A transaction signed by hand, for fields the reference refuses to build (what a client could still send). */
function handSigned(
  type: 0 | 2,
  f: { gasLimit: bigint; fee: bigint; to?: Uint8Array; data?: Uint8Array },
): Uint8Array {
  const to = f.to ?? new Uint8Array(0);
  const data = f.data ?? new Uint8Array(0);
  if (type === 2) {
    const fields = [int(ETH_CHAIN), int(1n), int(0n), int(f.fee), int(f.gasLimit), to, int(0n), data, []];
    const digest = keccak256(concatBytes(new Uint8Array([2]), RLP.encode(fields)));
    const { r, s, yParity } = signEthereumDigest(KEY, digest);
    return concatBytes(new Uint8Array([2]), RLP.encode([...fields, int(BigInt(yParity)), int(r), int(s)]));
  }
  const fields = [int(1n), int(f.fee), int(f.gasLimit), to, int(0n), data];
  const digest = keccak256(RLP.encode([...fields, int(ETH_CHAIN), int(0n), int(0n)]));
  const { r, s, yParity } = signEthereumDigest(KEY, digest);
  return RLP.encode([...fields, int(ETH_CHAIN * 2n + 35n + BigInt(yParity)), int(r), int(s)]);
}

const wire = (raw: Uint8Array) => concatBytes(new Uint8Array([0, 0, 0, 2]), raw);

describe('Ethereum-signed transactions (version 2)', () => {
  for (const type of [0, 1, 2] as const) {
    it(`decodes a type ${type} transaction as @ethereumjs/tx does, signer included`, () => {
      const raw = signed(type);
      const ours = decodeEthereumTx(raw);
      const reference = createTxFromRLP(raw, { common });
      assert.equal(ours.type, type);
      assert.equal(ours.chainId, ETH_CHAIN);
      assert.equal(ours.nonce, reference.nonce);
      assert.equal(ours.gasLimit, reference.gasLimit);
      assert.equal(ours.value, reference.value);
      assert.equal(bytesToHex(ours.data), bytesToHex(reference.data));
      assert.equal(bytesToHex(ours.to!), bytesToHex(reference.to!.bytes));
      assert.equal(bytesToHex(ours.hash), bytesToHex(reference.hash()));
      assert.equal(
        bytesToHex(ethereumAddress(ours.publicKey)),
        bytesToHex(reference.getSenderAddress().bytes),
      );
    });
  }

  it('rides on the chain as version 2: the raw bytes after the version, the recovered key as sender', () => {
    const raw = signed(2);
    const tx = decodeTx(wire(raw));
    assert.equal(tx.version, 2);
    assert.equal(tx.body.suite, 'secp256k1');
    assert.equal(tx.body.module, 'evm');
    assert.equal(tx.body.type, 'call');
    assert.equal(tx.body.nonce, 7n);
    assert.deepEqual(encodeTx(tx), wire(raw));
    assert.equal(txIsForChain(tx, CHAIN), true);
    assert.equal(txIsForChain(tx, 'another-chain'), false);
    // The signer was recovered from the signature: nothing is left for the pool to verify.
    assert.deepEqual(txSignatureChecks(tx), []);
    assert.equal(verifyTxSignature(tx), true);
    assert.equal(decodeTx(wire(signed(0, { to: undefined }))).body.type, 'deploy');
  });

  it('refuses pre-EIP-155 legacy, blob and unknown types, and malformed RLP', () => {
    const legacy155 = signed(0);
    // v = 27: an unprotected signature over the pre-EIP-155 payload.
    const unsigned = createTx({ type: 0, nonce: 1n, gasLimit: 21_000n, gasPrice: 1n }, {});
    const digest = keccak256(RLP.encode(unsigned.getMessageToSign() as Uint8Array[]));
    const { r, s, yParity } = signEthereumDigest(KEY, digest);
    const unprotected = unsigned.addSignature(BigInt(27 + yParity), r, s, false).serialize();
    assert.throws(() => decodeEthereumTx(unprotected), { code: 'TX_UNDECODABLE' });
    for (const bad of [
      new Uint8Array([0x03, 0xc0]),
      new Uint8Array([0x04, 0xc0]),
      new Uint8Array(0),
      legacy155.subarray(0, 20),
    ])
      assert.throws(() => decodeEthereumTx(bad), { code: 'TX_UNDECODABLE' });
  });

  it('refuses what the interpreter could not build: fee times gas beyond 2^256, init code beyond EIP-3860', () => {
    assert.throws(() => decodeEthereumTx(handSigned(2, { gasLimit: 2n, fee: 2n ** 255n })), {
      code: 'TX_UNDECODABLE',
    });
    assert.throws(() => decodeEthereumTx(handSigned(0, { gasLimit: 2n ** 20n, fee: 2n ** 250n })), {
      code: 'TX_UNDECODABLE',
    });
    const big = new Uint8Array(49_153);
    assert.throws(() => decodeEthereumTx(handSigned(2, { gasLimit: 10_000_000n, fee: 0n, data: big })), {
      code: 'TX_UNDECODABLE',
    });
    // The same data to a contract is a call, not init code.
    const call = handSigned(2, { gasLimit: 10_000_000n, fee: 0n, data: big, to: new Uint8Array(20).fill(1) });
    assert.equal(decodeEthereumTx(call).data.length, 49_153);
    createTxFromRLP(call, { common });
  });

  it('every transaction it accepts, @ethereumjs/tx builds (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0 as const, 2 as const),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
        fc.boolean(),
        fc.integer({ min: 0, max: 60_000 }),
        (type, gasLimit, fee, create, size) => {
          const raw = handSigned(type, {
            gasLimit,
            fee,
            data: new Uint8Array(size),
            ...(create ? {} : { to: new Uint8Array(20).fill(7) }),
          });
          try {
            decodeEthereumTx(raw);
          } catch {
            return true;
          }
          createTxFromRLP(raw, { common });
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a high-s signature (one transaction, one hash)', () => {
    const raw = signed(2);
    const fields = RLP.decode(raw.subarray(1)) as Uint8Array[];
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${bytesToHex(fields[11]!)}`);
    const high = hexToBytes((n - s).toString(16).padStart(64, '0'));
    const parity = fields[9]!.length === 0 ? new Uint8Array([1]) : new Uint8Array(0);
    const flipped = concatBytes(
      new Uint8Array([2]),
      RLP.encode([...fields.slice(0, 9), parity, fields[10]!, high]),
    );
    assert.throws(() => decodeEthereumTx(flipped), { code: 'TX_BAD_SIGNATURE' });
  });

  it('any mutation of a signed transaction decodes to another signer or is refused (property)', () => {
    const raw = signed(2);
    const signer = bytesToHex(decodeEthereumTx(raw).publicKey);
    fc.assert(
      fc.property(fc.nat({ max: raw.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const mutated = raw.slice();
        mutated[at]! ^= flip;
        try {
          return bytesToHex(decodeEthereumTx(mutated).publicKey) !== signer;
        } catch (error) {
          return ['TX_UNDECODABLE', 'TX_BAD_SIGNATURE'].includes((error as { code: string }).code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('derives a stable EIP-155 chain id under 2^31 from the chain id', () => {
    assert.equal(ethereumChainId(CHAIN), ethereumChainId(CHAIN));
    assert.notEqual(ethereumChainId(CHAIN), ethereumChainId(`${CHAIN}x`));
    assert.ok(ethereumChainId(CHAIN) > 0n && ethereumChainId(CHAIN) < 2n ** 31n);
  });
});
