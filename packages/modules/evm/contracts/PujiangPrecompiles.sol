// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Calls to Pujiang's precompiles (packages/modules/evm/src/chain/precompiles):
/// SM3 at 0x5001, SM2 verification at 0x5002, Paillier addition at 0x5003.
library PujiangPrecompiles {
    address internal constant SM3 = address(0x5001);
    address internal constant SM2_VERIFY = address(0x5002);
    address internal constant PAILLIER_ADD = address(0x5003);

    /// A precompile call failed (out of gas, or a malformed Paillier input).
    error PrecompileFailed(address precompile);

    /// SM3 (GB/T 32905) digest of `data`.
    function sm3(bytes memory data) internal view returns (bytes32 digest) {
        (bool ok, bytes memory out) = SM3.staticcall(data);
        if (!ok || out.length != 32) revert PrecompileFailed(SM3);
        digest = bytes32(out);
    }

    /// Whether (r, s) is an SM2 signature (GB/T 32918.2) of the digest e = SM3(Z_A || M)
    /// under the public key (x, y). False for an invalid signature or key, never a revert
    /// but for out of gas.
    function sm2Verify(bytes32 e, bytes32 r, bytes32 s, bytes32 x, bytes32 y) internal view returns (bool) {
        (bool ok, bytes memory out) = SM2_VERIFY.staticcall(abi.encodePacked(e, r, s, x, y));
        if (!ok) revert PrecompileFailed(SM2_VERIFY);
        return out.length == 32 && uint256(bytes32(out)) == 1;
    }

    /// Paillier homomorphic addition: c1 * c2 mod n^2, big-endian, as long as n^2 in bytes.
    function paillierAdd(bytes memory n, bytes memory c1, bytes memory c2) internal view returns (bytes memory) {
        (bool ok, bytes memory out) = PAILLIER_ADD.staticcall(abi.encode(n, c1, c2));
        if (!ok) revert PrecompileFailed(PAILLIER_ADD);
        return abi.decode(out, (bytes));
    }
}

/// Exposes the library to tests and records results in storage, so a transaction's effect
/// can be read back.
contract PujiangPrecompilesTest {
    bytes32 public lastDigest;
    bool public lastVerified;
    bytes public lastSum;

    event Verified(bytes32 indexed e, bool valid);

    function sm3(bytes calldata data) external view returns (bytes32) {
        return PujiangPrecompiles.sm3(data);
    }

    function sm3Abc() external view returns (bytes32) {
        return PujiangPrecompiles.sm3("abc");
    }

    function sm2Verify(bytes32 e, bytes32 r, bytes32 s, bytes32 x, bytes32 y) external view returns (bool) {
        return PujiangPrecompiles.sm2Verify(e, r, s, x, y);
    }

    function paillierAdd(bytes calldata n, bytes calldata c1, bytes calldata c2) external view returns (bytes memory) {
        return PujiangPrecompiles.paillierAdd(n, c1, c2);
    }

    /// Hashes `data`, verifies (r, s) over e under (x, y) and stores both results.
    function record(bytes calldata data, bytes32 e, bytes32 r, bytes32 s, bytes32 x, bytes32 y) external {
        lastDigest = PujiangPrecompiles.sm3(data);
        lastVerified = PujiangPrecompiles.sm2Verify(e, r, s, x, y);
        emit Verified(e, lastVerified);
    }

    /// Adds two ciphertexts and stores the sum.
    function recordSum(bytes calldata n, bytes calldata c1, bytes calldata c2) external {
        lastSum = PujiangPrecompiles.paillierAdd(n, c1, c2);
    }
}
