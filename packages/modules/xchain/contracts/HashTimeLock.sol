// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IERC20Minimal {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title The EVM leg of an atomic exchange with a Pujiang chain.
/// @notice Locks ETH (token = address(0)) or an ERC-20 under SHA-256(preimage), the hash
/// Pujiang's `xchain/htlcLock` uses. The receiver claims with the preimage before the
/// time-lock (seconds), which reveals it for the other leg; after it, the sender refunds.
/// Preimages are exactly 32 bytes on both chains.
/// Each lock settles once.
contract HashTimeLock {
    enum State {
        None,
        Locked,
        Claimed,
        Refunded
    }

    struct Lock {
        address sender;
        address receiver;
        address token;
        uint256 amount;
        bytes32 hashlock;
        uint64 timelock;
        State state;
    }

    mapping(bytes32 => Lock) public locks;

    event Locked(
        bytes32 indexed id,
        address indexed sender,
        address indexed receiver,
        address token,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock
    );
    event Claimed(bytes32 indexed id, bytes preimage);
    event Refunded(bytes32 indexed id);

    error BadLock();
    error NotLocked();
    error Expired();
    error NotExpired();
    error WrongPreimage();
    error PaymentFailed();

    function lock(address receiver, address token, uint256 amount, bytes32 hashlock, uint64 timelock)
        external
        payable
        returns (bytes32 id)
    {
        if (receiver == address(0) || amount == 0 || timelock <= block.timestamp) revert BadLock();
        id = keccak256(abi.encode(msg.sender, receiver, token, amount, hashlock, timelock));
        if (locks[id].state != State.None) revert BadLock();
        locks[id] = Lock(msg.sender, receiver, token, amount, hashlock, timelock, State.Locked);
        if (token == address(0)) {
            if (msg.value != amount) revert BadLock();
        } else {
            if (msg.value != 0) revert BadLock();
            if (!IERC20Minimal(token).transferFrom(msg.sender, address(this), amount)) revert PaymentFailed();
        }
        emit Locked(id, msg.sender, receiver, token, amount, hashlock, timelock);
    }

    function claim(bytes32 id, bytes calldata preimage) external {
        Lock storage l = locks[id];
        if (l.state != State.Locked) revert NotLocked();
        if (block.timestamp >= l.timelock) revert Expired();
        // Exactly 32 bytes, as Pujiang's htlcClaim takes: a secret one chain accepts, the other must too.
        if (preimage.length != 32 || sha256(preimage) != l.hashlock) revert WrongPreimage();
        l.state = State.Claimed;
        emit Claimed(id, preimage);
        pay(l.token, l.receiver, l.amount);
    }

    function refund(bytes32 id) external {
        Lock storage l = locks[id];
        if (l.state != State.Locked) revert NotLocked();
        if (block.timestamp < l.timelock) revert NotExpired();
        l.state = State.Refunded;
        emit Refunded(id);
        pay(l.token, l.sender, l.amount);
    }

    function pay(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert PaymentFailed();
        } else if (!IERC20Minimal(token).transfer(to, amount)) {
            revert PaymentFailed();
        }
    }
}
