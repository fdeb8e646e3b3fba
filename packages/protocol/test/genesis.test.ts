import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPair } from '@pujiang/crypto';
import { bytesToHex } from '@pujiang/types';
import { genesisToJson, parseGenesis } from '../src/index.js';

const validator = generateKeyPair('sm2');
const good = {
  chainId: 'gov-chain',
  chainHash: 'sm3',
  acceptedSuites: ['sm2', 'sm2+ml-dsa-65'],
  validators: [
    { name: 'customs', suite: 'sm2', publicKey: bytesToHex(validator.publicKey.bytes), power: 10 },
  ],
  limits: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxBlockGas: 1e9 },
  modules: { bank: {} },
};

describe('genesis', () => {
  it('parses and round-trips a government genesis', () => {
    const g = parseGenesis(good);
    assert.equal(g.chainHash, 'sm3');
    assert.deepEqual(genesisToJson(g), good);
  });

  it('refuses every malformed field with GENESIS_INVALID naming it', () => {
    const cases: [string, unknown][] = [
      ['chainId', { ...good, chainId: '' }],
      ['chainId', { ...good, chainId: 'a b' }],
      ['chainHash', { ...good, chainHash: 'md5' }],
      ['acceptedSuites', { ...good, acceptedSuites: [] }],
      ['acceptedSuites', { ...good, acceptedSuites: ['rsa'] }],
      ['validators', { ...good, validators: [] }],
      ['validators[0]', { ...good, validators: [{ ...good.validators[0], suite: 'ed25519' }] }],
      ['validators[0]', { ...good, validators: [{ ...good.validators[0], publicKey: 'XY' }] }],
      ['validators[0].power', { ...good, validators: [{ ...good.validators[0], power: 0 }] }],
      ['validators[0].power', { ...good, validators: [{ ...good.validators[0], power: 1.5 }] }],
      ['validators[1]', { ...good, validators: [good.validators[0], good.validators[0]] }],
      ['limits', { ...good, limits: null }],
      ['limits.maxBlockTxs', { ...good, limits: { ...good.limits, maxBlockTxs: -1 } }],
      ['modules', { ...good, modules: [] }],
    ];
    for (const [field, json] of cases) {
      assert.throws(
        () => parseGenesis(json),
        (e: { code?: string; details?: { field?: string } }) =>
          e.code === 'GENESIS_INVALID' && e.details?.field === field,
        field,
      );
    }
    for (const junk of [null, 42, 'genesis', []])
      assert.throws(() => parseGenesis(junk), { code: 'GENESIS_INVALID' });
  });
});

describe('state keys', () => {
  it('the text form of a module key encodes to the byte form', async () => {
    const { moduleKey, moduleKeyText } = await import('../src/index.js');
    for (const [m, k] of [
      ['bank', 'balance/01ab'],
      ['auth', 'nonce/00'],
      ['模块', '键/ключ'],
      ['x', ''],
    ] as const) {
      assert.deepEqual(new Uint8Array(Buffer.from(moduleKeyText(m, k), 'utf8')), moduleKey(m, k));
    }
  });
});
