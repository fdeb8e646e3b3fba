import type { CustomPrecompile } from '@ethereumjs/evm';
import { paillierAddPrecompile } from './paillier.js';
import { sm2VerifyPrecompile } from './sm2.js';
import { sm3Precompile } from './sm3.js';

export {
  decodePaillierInput,
  PAILLIER_ADD_BASE_GAS,
  PAILLIER_ADD_WORD_DIVISOR,
  PAILLIER_MAX_N_BYTES,
  paillierAddGas,
  paillierAddPrecompile,
} from './paillier.js';
export { SM2_VERIFY_GAS, SM2_VERIFY_INPUT_LENGTH, sm2VerifyPrecompile } from './sm2.js';
export { SM3_BASE_GAS, SM3_WORD_GAS, sm3Gas, sm3Precompile } from './sm3.js';

/**
 * Where the chain's own precompiles live: clear of Ethereum's (0x01-0x11) and of
 * RIP-7212/EIP-7951's P256VERIFY (0x100). They offer what FISCO BCOS offers (SM3 and SM2
 * verification in its CryptoPrecompiled at 0x100a, Paillier addition at 0x5003 in 2.x), with
 * raw inputs in the manner of Ethereum's precompiles rather than FISCO's ABI functions, so a
 * contract written against FISCO's interfaces needs the library in
 * contracts/PujiangPrecompiles.sol instead.
 */
export const PRECOMPILE_ADDRESSES = {
  /** SM3 digest of the input (sm3.ts). */
  sm3: '0x0000000000000000000000000000000000005001',
  /** SM2 verification of e, r, s under x, y, 160 bytes (sm2.ts). */
  sm2Verify: '0x0000000000000000000000000000000000005002',
  /** Paillier addition: abi.encode(bytes n, bytes c1, bytes c2) (paillier.ts). */
  paillierAdd: '0x0000000000000000000000000000000000005003',
} as const;

/** The precompiles every Pujiang EVM runs, for `createEVM`/`createVM`'s `customPrecompiles`. */
export const PUJIANG_PRECOMPILES: CustomPrecompile[] = [
  { address: PRECOMPILE_ADDRESSES.sm3, function: sm3Precompile },
  { address: PRECOMPILE_ADDRESSES.sm2Verify, function: sm2VerifyPrecompile },
  { address: PRECOMPILE_ADDRESSES.paillierAdd, function: paillierAddPrecompile },
];
