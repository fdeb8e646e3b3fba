export const EVM_USAGE = `Smart contracts (the EVM, Cancun; docs/evm.md):
pujiang evm deploy ARTIFACT --key FILE [--contract File.sol:Name] [--args JSON] [--value WEI] [--gas N]
                   [--node URL] [--no-wait] [--timeout-ms MS]
  deploys the contract from the key's account (any suite: SM2, Ed25519, ML-DSA, secp256k1) and prints its address
  and the receipt. ARTIFACT: solc's standard-JSON output (--contract picks a contract), or a Hardhat or Foundry
  artifact ({abi, bytecode}); --args: the constructor's arguments, a JSON array (quote integers beyond 2^53);
  without --gas the gas is estimated first; exit 0 deployed, 1 refused or failed (a revert prints its decoded
  error), 3 pending
pujiang evm send [ARTIFACT] --to ADDRESS --function F --key FILE [--contract File.sol:Name] [--args JSON]
                 [--value WEI] [--gas N] [--node URL] [--no-wait] [--timeout-ms MS]
  calls the function in a transaction (evm/call) and prints the receipt with the contract's events decoded from
  the ABI. F: a function's name in the ARTIFACT's ABI, or a signature such as 'transfer(address,uint256)';
  exit 0 done, 1 refused or failed (a revert prints its decoded error), 3 pending
pujiang evm call [ARTIFACT] --to ADDRESS --function F [--contract File.sol:Name] [--args JSON]
                 [--from ADDRESS | --key FILE] [--value WEI] [--height N] [--node URL]
  reads: runs the function on the node's state (eth_call, no transaction) and prints the decoded results (a
  signature decodes them with 'returns (...)': 'balanceOf(address) returns (uint256)'); exit 0, 1 reverted
  (prints the decoded error)`;
