// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Storage patterns whose gas depends on a slot's original value (EIP-2200, EIP-2929, EIP-3529)
/// and on transient storage (EIP-1153): the state manager's gas is checked against the reference.
contract GasPatterns {
    mapping(uint256 => uint256) public slots;
    uint256[] public list;
    event Wrote(uint256 indexed key, uint256 value);

    function set(uint256 key, uint256 value) external {
        slots[key] = value;
        emit Wrote(key, value);
    }

    /// original -> a -> original within one transaction (a refund that needs the original value)
    function bounce(uint256 key, uint256 a) external {
        uint256 original = slots[key];
        slots[key] = a;
        slots[key] = original;
    }

    /// nonzero -> zero (a clearing refund), then zero -> nonzero again
    function clearAndRestore(uint256 key) external {
        uint256 v = slots[key];
        slots[key] = 0;
        slots[key] = v + 1;
    }

    function push(uint256 n) external {
        for (uint256 i = 0; i < n; i++) list.push(i);
    }

    function pop(uint256 n) external {
        for (uint256 i = 0; i < n; i++) list.pop();
    }

    function transient(uint256 v) external returns (uint256 r) {
        assembly {
            tstore(0, v)
            r := tload(0)
        }
        slots[99] = r;
    }

    function failAfterWrite(uint256 key) external {
        slots[key] = 12345;
        require(false, "no");
    }

    function child() external returns (address c) {
        c = address(new Child());
        Child(c).touch();
    }
}

contract Child {
    uint256 public x;

    function touch() external {
        x += 1;
    }
}
