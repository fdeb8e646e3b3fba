// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OpenZeppelin's ERC-20: the deployer holds the initial supply and alone may mint more
/// (a `require` with a reason string, for the revert test).
contract Token is ERC20 {
    address public immutable minter;

    constructor(uint256 supply) ERC20("Pujiang Token", "PJT") {
        minter = msg.sender;
        _mint(msg.sender, supply);
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == minter, "Token: only the minter mints");
        _mint(to, amount);
    }
}
