// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// OpenZeppelin's ERC-721: the deployer mints tokens numbered from 1, each with a URI under one base.
contract Collectible is ERC721 {
    address public immutable minter;
    uint256 public minted;

    constructor() ERC721("Pujiang Collectible", "PJC") {
        minter = msg.sender;
    }

    function mint(address to) external returns (uint256 id) {
        require(msg.sender == minter, "Collectible: only the minter mints");
        id = ++minted;
        _safeMint(to, id);
    }

    function _baseURI() internal pure override returns (string memory) {
        return "https://pujiang.example/collectible/";
    }
}
