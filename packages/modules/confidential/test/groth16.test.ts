import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateEphemeralKeyPair } from '@pujiang/crypto';
import { isPujiangError } from '@pujiang/types';
import * as snarkjs from 'snarkjs';
import { releaseProver } from '../src/client/index.js';
import {
  commit,
  coordinates,
  decodeJub,
  encodeJub,
  encodeSnarkjsProof,
  G,
  H,
  loadVerificationKey,
  openMemo,
  SUBGROUP_ORDER,
  sealMemo,
  verifyGroth16,
} from '../src/index.js';

const keys = (name: string) => fileURLToPath(new URL(`../../keys/${name}`, import.meta.url));
const VKEY_JSON = JSON.parse(readFileSync(keys('verification_key.json'), 'utf8'));
const VKEY = loadVerificationKey(VKEY_JSON);

async function prove(balance: bigint, balanceBlind: bigint, amount: bigint, amountBlind: bigint) {
  const [balanceX, balanceY] = coordinates(commit(balance, balanceBlind));
  const [amountX, amountY] = coordinates(commit(amount, amountBlind));
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(
    { balanceX, balanceY, amountX, amountY, balance, balanceBlind, amount, amountBlind } as never,
    keys('transfer.wasm'),
    keys('transfer.zkey'),
  );
  return { proof, publicSignals, inputs: [balanceX, balanceY, amountX, amountY] };
}

describe('confidential transfers: Baby Jubjub commitments and Groth16', () => {
  after(() => releaseProver());
  it('commitments add: (b·G + r·H) - (a·G + s·H) opens to (b - a, r - s)', () => {
    const left = commit(1000n, 77n).subtract(commit(300n, 5n));
    assert.ok(left.equals(commit(700n, 72n)));
    assert.ok(commit(1n, 0n).equals(G) && commit(0n, 1n).equals(H));
    assert.ok(decodeJub(encodeJub(left), 'p').equals(left));
    assert.throws(
      () => decodeJub(new Uint8Array(64).fill(1), 'p'),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_POINT'),
    );
    assert.throws(
      () => decodeJub(new Uint8Array(63), 'p'),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_POINT'),
    );
    // The identity is a balance (all spent); a point of order 2 and a coordinate past p are not.
    assert.ok(decodeJub(encodeJub(commit(0n, 0n)), 'p').equals(commit(0n, 0n)));
    const p = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
    const word = (v: bigint) =>
      Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));
    const orderTwo = new Uint8Array([...word(0n), ...word(p - 1n)]);
    assert.throws(
      () => decodeJub(orderTwo, 'p'),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_POINT'),
    );
    const { x, y } = commit(5n, 6n).toAffine();
    assert.throws(
      () => decodeJub(new Uint8Array([...word(x + p), ...word(y)]), 'p'),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_POINT'),
    );
  });

  it('verifies a transfer proof as snarkjs does, and refuses forged, tampered and swapped-input proofs', async () => {
    const { proof, publicSignals, inputs } = await prove(1000n, 123456789n, 300n, 987654321n);
    assert.deepEqual(publicSignals.map(BigInt), inputs);
    assert.equal(await snarkjs.groth16.verify(VKEY_JSON, publicSignals, proof), true);
    const bytes = encodeSnarkjsProof(proof);
    assert.equal(verifyGroth16(VKEY, bytes, inputs), true);
    // Another amount commitment: the proof is not for it.
    const swapped = [...inputs.slice(0, 2), ...coordinates(commit(301n, 987654321n))];
    assert.equal(verifyGroth16(VKEY, bytes, swapped), false);
    assert.equal(await snarkjs.groth16.verify(VKEY_JSON, swapped.map(String), proof), false);
    // An on-curve forgery: the same proof with A negated (every point valid, the pairing fails).
    const negated = bytes.slice();
    const field = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
    const ay = BigInt(`0x${Buffer.from(bytes.subarray(32, 64)).toString('hex')}`);
    negated.set(Buffer.from((field - ay).toString(16).padStart(64, '0'), 'hex'), 32);
    assert.equal(verifyGroth16(VKEY, negated, inputs), false);
    // A changed coordinate, random bytes, the wrong length, an input past the field.
    const tampered = bytes.slice();
    tampered[31] = (tampered[31] as number) ^ 1;
    assert.equal(verifyGroth16(VKEY, tampered, inputs), false);
    assert.equal(verifyGroth16(VKEY, crypto.getRandomValues(new Uint8Array(256)), inputs), false);
    assert.equal(verifyGroth16(VKEY, bytes.subarray(1), inputs), false);
    assert.equal(
      verifyGroth16(VKEY, bytes, [...inputs.slice(0, 3), (inputs[3] as bigint) + 2n ** 254n]),
      false,
    );
  });

  it('cannot prove an amount past the balance or past 2^64 (no overflow to a negative amount)', async () => {
    await assert.rejects(prove(100n, 1n, 101n, 2n));
    await assert.rejects(prove(2n ** 64n + 5n, 1n, 2n ** 64n, 2n));
    // "Negative" amounts are field elements near the order: refused as out of range too.
    await assert.rejects(prove(10n, 1n, SUBGROUP_ORDER - 5n, 2n));
  });

  it('seals a memo to a view key only its holder opens', () => {
    const view = generateEphemeralKeyPair();
    const context = new TextEncoder().encode('ctx');
    const memo = sealMemo(view.publicKey, 300n, 987654321n, context);
    assert.deepEqual(openMemo(view.secretKey, memo, context), { amount: 300n, blind: 987654321n });
    assert.throws(
      () => openMemo(generateEphemeralKeyPair().secretKey, memo, context),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_MEMO'),
    );
    assert.throws(
      () => openMemo(view.secretKey, memo, new Uint8Array(1)),
      (e) => isPujiangError(e, 'CONFIDENTIAL_BAD_MEMO'),
    );
  });
});

describe('the committed keys', () => {
  it('are the files the ceremony manifest names (SHA-256), for the circuit in the repository', async () => {
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(readFileSync(keys('MANIFEST.json'), 'utf8'));
    for (const [name, sha256] of Object.entries(manifest.files as Record<string, string>))
      assert.equal(
        createHash('sha256')
          .update(readFileSync(keys(name)))
          .digest('hex'),
        sha256,
        name,
      );
    const circuit = fileURLToPath(new URL('../../circuits/transfer.circom', import.meta.url));
    assert.equal(createHash('sha256').update(readFileSync(circuit)).digest('hex'), manifest.circuit.sha256);
  });
});
