// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The contract of the EVM chain-property tests (packages/cli/test/evm-chain.test.ts): a
/// counter at storage slot 0 and how many increments each sender made in a mapping at slot 1,
/// so a test can read (and prove) both a plain slot and a mapping slot.
contract ChainCounter {
    /// Slot 0.
    uint256 public count;
    /// Slot 1: keccak256(abi.encode(sender, uint256(1))) holds a sender's increments.
    mapping(address => uint256) public incrementsBy;

    event Incremented(address indexed by, uint256 count);

    function increment() external {
        count += 1;
        incrementsBy[msg.sender] += 1;
        emit Incremented(msg.sender, count);
    }
}
