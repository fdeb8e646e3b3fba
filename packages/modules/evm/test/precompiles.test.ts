import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM, EVMError, type ExecResult, type PrecompileInput } from '@ethereumjs/evm';
import { type Address, createAddressFromString } from '@ethereumjs/util';
import { getSuite, hash, sm2MessageDigest } from '@pujiang/crypto';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@pujiang/types';
import fc from 'fast-check';
import { generateRandomKeys, type PrivateKey, type PublicKey } from 'paillier-bigint';
import {
  PRECOMPILE_ADDRESSES,
  PUJIANG_PRECOMPILES,
  paillierAddGas,
  paillierAddPrecompile,
  SM2_VERIFY_GAS,
  sm2VerifyPrecompile,
  sm3Gas,
  sm3Precompile,
} from '../src/chain/precompiles/index.js';

/** GB/T 32905-2016 Appendix A: example 1 ("abc") and example 2 ("abcd" x 16). */
const SM3_ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const SM3_ABCD16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';
const ABCD16 = utf8ToBytes('abcd'.repeat(16));

/**
 * GM/T 0003.5-2012 (GB/T 32918.5-2017) Annex A: the signature example on the recommended
 * curve sm2p256v1, message "message digest", user ID 1234567812345678 (also in
 * packages/crypto/test/sm2.test.ts, where e is derived from Z_A and the message).
 */
const SM2_VECTOR = {
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
  x: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  y: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
};
const SM2_INPUT = hexToBytes(SM2_VECTOR.e + SM2_VECTOR.r + SM2_VECTOR.s + SM2_VECTOR.x + SM2_VECTOR.y);
const ONE = hexToBytes(`${'00'.repeat(31)}01`);

const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
let evm: EVM;
before(async () => {
  evm = await createEVM({ common, customPrecompiles: PUJIANG_PRECOMPILES });
});

function run(
  fn: (input: PrecompileInput) => ExecResult,
  data: Uint8Array,
  gasLimit = 10_000_000n,
): ExecResult {
  return fn({ data, gasLimit, common, _EVM: evm });
}

async function vmCall(to: Address, data: Uint8Array, gasLimit = 10_000_000n): Promise<ExecResult> {
  return (await evm.runCall({ to, data, gasLimit })).execResult;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function assertFailed(result: ExecResult, gasLimit: bigint, error: string): void {
  assert.equal(result.exceptionError?.error, error);
  assert.equal(result.executionGasUsed, gasLimit);
  assert.equal(result.returnValue.length, 0);
}

// --- ABI encoding of static words and dynamic bytes, enough for these calls ---

type Arg = { word: Uint8Array } | { bytes: Uint8Array };
const uintWord = (value: number | bigint): Uint8Array => hexToBytes(value.toString(16).padStart(64, '0'));
const padded = (b: Uint8Array): Uint8Array => concatBytes(b, new Uint8Array((32 - (b.length % 32)) % 32));
const toBytes = (value: bigint, length: number): Uint8Array =>
  hexToBytes(value.toString(16).padStart(2 * length, '0'));
const toBigInt = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${bytesToHex(b)}`));

function abiEncode(args: readonly Arg[]): Uint8Array {
  const heads: Uint8Array[] = [];
  const tails: Uint8Array[] = [];
  let offset = 32 * args.length;
  for (const arg of args) {
    if ('word' in arg) heads.push(arg.word);
    else {
      heads.push(uintWord(offset));
      const tail = concatBytes(uintWord(arg.bytes.length), padded(arg.bytes));
      tails.push(tail);
      offset += tail.length;
    }
  }
  return concatBytes(...heads, ...tails);
}

/** abi.decode(data, (bytes)). */
function abiDecodeBytes(data: Uint8Array): Uint8Array {
  const offset = Number(toBigInt(data.subarray(0, 32)));
  const length = Number(toBigInt(data.subarray(offset, offset + 32)));
  return data.subarray(offset + 32, offset + 32 + length);
}

describe('SM3 precompile (0x5001)', () => {
  it('hashes the GB/T 32905 examples, as a function and through a VM call', async () => {
    const to = createAddressFromString(PRECOMPILE_ADDRESSES.sm3);
    for (const [input, digest] of [
      [utf8ToBytes('abc'), SM3_ABC],
      [ABCD16, SM3_ABCD16],
    ] as const) {
      assert.equal(bytesToHex(run(sm3Precompile, input).returnValue), digest);
      const result = await vmCall(to, input);
      assert.equal(result.exceptionError, undefined);
      assert.equal(bytesToHex(result.returnValue), digest);
      assert.equal(result.executionGasUsed, sm3Gas(input.length));
    }
    assert.deepEqual(run(sm3Precompile, new Uint8Array(0)).returnValue, hash('sm3', new Uint8Array(0)));
  });

  it('charges 60 + 12 per 32-byte word, and runs out of gas below that', () => {
    assert.deepEqual([0, 1, 32, 33, 64, 65, 1024].map(sm3Gas), [60n, 72n, 72n, 84n, 84n, 96n, 444n]);
    assert.equal(run(sm3Precompile, utf8ToBytes('abc')).executionGasUsed, 72n);
    assert.equal(run(sm3Precompile, ABCD16).executionGasUsed, 84n);
    assertFailed(run(sm3Precompile, utf8ToBytes('abc'), 71n), 71n, EVMError.errorMessages.OUT_OF_GAS);
    assert.equal(run(sm3Precompile, utf8ToBytes('abc'), 72n).exceptionError, undefined);
  });
});

describe('SM2 verification precompile (0x5002)', () => {
  it('returns 1 for the GM/T 0003.5 example, as a function and through a VM call', async () => {
    const result = run(sm2VerifyPrecompile, SM2_INPUT);
    assert.deepEqual(result.returnValue, ONE);
    assert.equal(result.executionGasUsed, SM2_VERIFY_GAS);
    const viaVm = await vmCall(createAddressFromString(PRECOMPILE_ADDRESSES.sm2Verify), SM2_INPUT);
    assert.deepEqual(viaVm.returnValue, ONE);
    assert.equal(viaVm.executionGasUsed, SM2_VERIFY_GAS);
  });

  it('returns empty output, charging the gas, for a flipped bit in each of e, r, s, x and y', () => {
    for (const [field, start] of [
      ['e', 0],
      ['r', 32],
      ['s', 64],
      ['x', 96],
      ['y', 128],
    ] as const) {
      for (const bit of [start * 8, start * 8 + 255]) {
        const result = run(sm2VerifyPrecompile, flipBit(SM2_INPUT, bit));
        assert.equal(result.returnValue.length, 0, `${field}, bit ${bit}`);
        assert.equal(result.executionGasUsed, SM2_VERIFY_GAS);
        assert.equal(result.exceptionError, undefined);
      }
    }
  });

  it('returns empty output for another length, r or s out of range, or a point not on the curve', () => {
    const n = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
    const p = 'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff';
    const v = SM2_VECTOR;
    const cases = [
      new Uint8Array(0),
      SM2_INPUT.subarray(0, 159),
      concatBytes(SM2_INPUT, new Uint8Array(1)),
      concatBytes(new Uint8Array(1), SM2_INPUT),
      hexToBytes(v.e + '00'.repeat(32) + v.s + v.x + v.y),
      hexToBytes(v.e + v.r + n + v.x + v.y),
      hexToBytes(v.e + v.r + v.s + '00'.repeat(64)),
      hexToBytes(v.e + v.r + v.s + p + v.y),
      hexToBytes(v.e + v.r + v.s + v.x + 'ff'.repeat(32)),
    ];
    for (const input of cases) {
      const result = run(sm2VerifyPrecompile, input);
      assert.equal(result.returnValue.length, 0, `input of ${input.length} bytes`);
      assert.equal(result.executionGasUsed, SM2_VERIFY_GAS);
      assert.equal(result.exceptionError, undefined);
    }
  });

  it('runs out of gas below its fixed cost', () => {
    assertFailed(run(sm2VerifyPrecompile, SM2_INPUT, SM2_VERIFY_GAS - 1n), SM2_VERIFY_GAS - 1n, 'out of gas');
    assert.deepEqual(run(sm2VerifyPrecompile, SM2_INPUT, SM2_VERIFY_GAS).returnValue, ONE);
  });

  it("verifies the crypto package's SM2 signatures of random messages, and no altered one", () => {
    const sm2 = getSuite('sm2');
    const order = BigInt(`0x${'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123'}`);
    const secretKey = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((d) => toBigInt(d) >= 1n && toBigInt(d) <= order - 2n);
    fc.assert(
      fc.property(secretKey, fc.uint8Array({ maxLength: 300 }), fc.nat(159 * 8), (d, message, bit) => {
        const publicKey = sm2.publicKeyFromSecretKey(d);
        const signature = sm2.sign(d, message);
        const input = concatBytes(sm2MessageDigest(publicKey, message), signature, publicKey.subarray(1));
        assert.deepEqual(run(sm2VerifyPrecompile, input).returnValue, ONE);
        assert.equal(run(sm2VerifyPrecompile, flipBit(input, bit)).returnValue.length, 0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('Paillier addition precompile (0x5003)', () => {
  let publicKey: PublicKey;
  let privateKey: PrivateKey;
  let nBytes: Uint8Array;
  let n2Length: number;
  before(async () => {
    ({ publicKey, privateKey } = await generateRandomKeys(512, true));
    nBytes = toBytes(publicKey.n, 64);
    n2Length = Math.ceil(publicKey._n2.toString(16).length / 2);
  });
  const input = (c1: bigint, c2: bigint, n = nBytes, length = n2Length): Uint8Array =>
    abiEncode([{ bytes: n }, { bytes: toBytes(c1, length) }, { bytes: toBytes(c2, length) }]);

  it('adds under encryption: decrypt(c1 * c2 mod n²) = a + b, output abi.encode(bytes) of n²’s length', async () => {
    const c1 = publicKey.encrypt(1234n);
    const c2 = publicKey.encrypt(8766n);
    const result = run(paillierAddPrecompile, input(c1, c2));
    assert.equal(result.exceptionError, undefined);
    assert.equal(result.executionGasUsed, paillierAddGas(64));
    const sum = abiDecodeBytes(result.returnValue);
    assert.equal(sum.length, n2Length);
    assert.equal(result.returnValue.length, 64 + Math.ceil(n2Length / 32) * 32);
    assert.equal(privateKey.decrypt(toBigInt(sum)), 10_000n);
    assert.equal(toBigInt(sum), publicKey.addition(c1, c2));
    const viaVm = await vmCall(createAddressFromString(PRECOMPILE_ADDRESSES.paillierAdd), input(c1, c2));
    assert.deepEqual(viaVm.returnValue, result.returnValue);
  });

  it('adds random pairs (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 200n }),
        fc.bigInt({ min: 0n, max: 1n << 200n }),
        (a, b) => {
          const sum = abiDecodeBytes(
            run(paillierAddPrecompile, input(publicKey.encrypt(a), publicKey.encrypt(b))).returnValue,
          );
          assert.equal(privateKey.decrypt(toBigInt(sum)), (a + b) % publicKey.n);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('charges 600 + ⌈words² / 2⌉ by the 64-bit words of n², and runs out of gas below that', () => {
    // n of 64 bytes: n² in 16 words, 600 + 128; 256 bytes: 64 words; 512 bytes: 128 words.
    assert.deepEqual([1, 64, 128, 256, 512].map(paillierAddGas), [601n, 728n, 1112n, 2648n, 8792n]);
    const data = input(publicKey.encrypt(1n), publicKey.encrypt(2n));
    assertFailed(run(paillierAddPrecompile, data, 727n), 727n, 'out of gas');
    assert.equal(run(paillierAddPrecompile, data, 728n).executionGasUsed, 728n);
  });

  it('fails a malformed input, consuming all the gas given', () => {
    const c = publicKey.encrypt(5n);
    const good = input(c, c);
    const withWord = (data: Uint8Array, at: number, value: Uint8Array): Uint8Array => {
      const copy = data.slice();
      copy.set(value, at);
      return copy;
    };
    const n2 = publicKey._n2;
    const malformed: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['only the head', good.subarray(0, 96)],
      ['c2 cut short', good.subarray(0, good.length - 40)],
      ['offset past the end', withWord(good, 64, uintWord(good.length))],
      ['offset above 32 bits', withWord(good, 0, uintWord(1n << 40n))],
      ['length past the end', withWord(good, 96, uintWord(10_000))],
      ['empty n', abiEncode([{ bytes: new Uint8Array(0) }, { bytes: ONE }, { bytes: ONE }])],
      [
        'n over 4096 bits',
        abiEncode([{ bytes: new Uint8Array(513).fill(1) }, { bytes: ONE }, { bytes: ONE }]),
      ],
      ['c1 longer than twice n', input(c, c, nBytes, 129)],
      ['c1 = n²', input(n2, c)],
      ['c2 > n²', input(c, n2 + 1n)],
      [
        'n = 1',
        abiEncode([{ bytes: hexToBytes('01') }, { bytes: hexToBytes('00') }, { bytes: hexToBytes('00') }]),
      ],
    ];
    for (const [what, data] of malformed) {
      const result = run(paillierAddPrecompile, data, 50_000n);
      assert.ok(result.exceptionError !== undefined, what);
      assert.equal(result.executionGasUsed, 50_000n, what);
      assert.equal(result.returnValue.length, 0, what);
    }
    // n with a leading zero byte is still n: its length prices the call.
    const padded = run(paillierAddPrecompile, input(c, c, concatBytes(new Uint8Array(1), nBytes)));
    assert.equal(padded.executionGasUsed, paillierAddGas(65));
    assert.equal(privateKey.decrypt(toBigInt(abiDecodeBytes(padded.returnValue))), 10n);
  });
});

describe('PujiangPrecompiles.sol through the EVM (solc, evmVersion cancun)', () => {
  interface Compiled {
    bytecode: Uint8Array;
    selectors: Record<string, string>;
  }
  let compiled: Compiled;
  let contract: Address;
  before(async () => {
    const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
    const source = readFileSync(new URL('../../contracts/PujiangPrecompiles.sol', import.meta.url), 'utf8');
    const output = JSON.parse(
      solc.compile(
        JSON.stringify({
          language: 'Solidity',
          sources: { 'PujiangPrecompiles.sol': { content: source } },
          settings: {
            evmVersion: 'cancun',
            optimizer: { enabled: true, runs: 200 },
            outputSelection: {
              '*': { PujiangPrecompilesTest: ['evm.bytecode.object', 'evm.methodIdentifiers'] },
            },
          },
        }),
      ),
    ) as {
      errors?: { severity: string; formattedMessage: string }[];
      contracts: Record<
        string,
        Record<string, { evm: { bytecode: { object: string }; methodIdentifiers: Record<string, string> } }>
      >;
    };
    const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
    assert.deepEqual(
      errors.map((e) => e.formattedMessage),
      [],
    );
    const out = output.contracts['PujiangPrecompiles.sol']!.PujiangPrecompilesTest!.evm;
    compiled = { bytecode: hexToBytes(out.bytecode.object), selectors: out.methodIdentifiers };
    const deployed = await evm.runCall({ data: compiled.bytecode, gasLimit: 10_000_000n });
    assert.equal(deployed.execResult.exceptionError, undefined);
    contract = deployed.createdAddress!;
  });
  const call = async (
    signature: string,
    args: readonly Arg[],
    gasLimit = 1_000_000n,
  ): Promise<ExecResult> => {
    const selector = compiled.selectors[signature];
    assert.ok(selector !== undefined, signature);
    return vmCall(contract, concatBytes(hexToBytes(selector), abiEncode(args)), gasLimit);
  };
  const vectorArgs = (input: Uint8Array): Arg[] =>
    [0, 1, 2, 3, 4].map((i) => ({ word: input.subarray(32 * i, 32 * i + 32) }));
  const sm2Signature = 'sm2Verify(bytes32,bytes32,bytes32,bytes32,bytes32)';

  it('computes SM3("abc") and SM3("abcd" x 16) from Solidity', async () => {
    assert.equal(bytesToHex((await call('sm3Abc()', [])).returnValue), SM3_ABC);
    assert.equal(bytesToHex((await call('sm3(bytes)', [{ bytes: ABCD16 }])).returnValue), SM3_ABCD16);
  });

  it('verifies the SM2 example from Solidity, and refuses it with a flipped bit', async () => {
    assert.deepEqual((await call(sm2Signature, vectorArgs(SM2_INPUT))).returnValue, ONE);
    const refused = await call(sm2Signature, vectorArgs(flipBit(SM2_INPUT, 7)));
    assert.equal(refused.exceptionError, undefined);
    assert.equal(toBigInt(refused.returnValue), 0n);
  });

  it('reverts with PrecompileFailed(0x5003) for a malformed Paillier input, and fails short of gas', async () => {
    // An empty n fails the precompile, which consumes the 63/64 of the gas it was given.
    const empty = [{ bytes: new Uint8Array(0) }, { bytes: ONE }, { bytes: ONE }];
    const failed = await call('paillierAdd(bytes,bytes,bytes)', empty);
    assert.equal(failed.exceptionError?.error, EVMError.errorMessages.REVERT);
    assert.equal(failed.returnValue.length, 36); // selector and address
    assert.equal(bytesToHex(failed.returnValue.subarray(16)), PRECOMPILE_ADDRESSES.paillierAdd.slice(2));
    assert.ok(failed.executionGasUsed > (1_000_000n * 63n) / 64n);
    // Under the precompile's cost, the call does not return false: it fails.
    const short = await call(sm2Signature, vectorArgs(SM2_INPUT), SM2_VERIFY_GAS);
    assert.ok(short.exceptionError !== undefined);
  });

  it('adds Paillier ciphertexts from Solidity and stores results in a transaction', async () => {
    const { publicKey, privateKey } = await generateRandomKeys(256, true);
    const length = Math.ceil(publicKey._n2.toString(16).length / 2);
    const c1 = toBytes(publicKey.encrypt(40n), length);
    const c2 = toBytes(publicKey.encrypt(2n), length);
    const n = toBytes(publicKey.n, 32);
    const sum = await call('paillierAdd(bytes,bytes,bytes)', [{ bytes: n }, { bytes: c1 }, { bytes: c2 }]);
    assert.equal(privateKey.decrypt(toBigInt(abiDecodeBytes(sum.returnValue))), 42n);

    const recorded = await call('record(bytes,bytes32,bytes32,bytes32,bytes32,bytes32)', [
      { bytes: utf8ToBytes('abc') },
      ...vectorArgs(SM2_INPUT),
    ]);
    assert.equal(recorded.exceptionError, undefined);
    assert.equal(bytesToHex((await call('lastDigest()', [])).returnValue), SM3_ABC);
    assert.deepEqual((await call('lastVerified()', [])).returnValue, ONE);
  });
});
