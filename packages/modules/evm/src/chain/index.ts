import type { Codec } from '@pujiang/codec';
import { defineMessage, defineModule } from '@pujiang/module-kit';
import { EVM_MODULE } from '../formats.js';
import { LOG_ATTRIBUTES } from './log-event.js';
import { accountQuery, codeQuery, storageQuery } from './queries.js';
import { evmResourceOf } from './resource.js';
import { rpcRoute } from './rpc/route.js';
import { rpcSocket } from './rpc/socket.js';
import { evmTxIndex } from './rpc/tx-index.js';

/** A message payload taken whole: the handler parses it (raw Ethereum bytes, or 0x00 || EvmCall). */
const Payload: Codec<Uint8Array> = {
  kind: 'EvmPayload',
  minSize: 0,
  write: (writer, value) => writer.raw(value),
  read: (reader) => reader.raw(reader.remaining),
};

/**
 * Solidity contracts on the chain: @ethereumjs/vm (Cancun) over the module's part of the
 * state tree. `deploy` and `call` come as Ethereum-signed transactions (version 2, through
 * `eth_sendRawTransaction`) or as native accounts' transactions; governance's policies
 * `evm/deploy` and `evm/call` say who may send them, as for any message.
 */
export const evm = defineModule({
  name: EVM_MODULE,
  summary: 'Smart contracts: the EVM (Cancun) with Ethereum JSON-RPC and national-crypto precompiles',
  selfMetered: true,
  errors: {
    EVM_BAD_PAYLOAD: 'a deploy or call payload is malformed, or names another chain id or nonce',
    EVM_BAD_QUERY: 'an address or slot is not lowercase hex of the right length',
    EVM_TX_INVALID: 'the EVM refused the transaction (intrinsic gas above its limit, funds for its value)',
    EVM_REVERTED: 'the contract reverted (the receipt message holds the revert data)',
    EVM_OUT_OF_GAS: 'the EVM ran out of gas',
    EVM_INVALID_OPCODE: 'the EVM met an invalid opcode',
    EVM_STACK_OVERFLOW: 'the EVM stack overflowed',
    EVM_STACK_UNDERFLOW: 'the EVM stack underflowed',
    EVM_INVALID_JUMP: 'a jump to an invalid destination',
    EVM_STATIC_STATE_CHANGE: 'a state change inside a static call',
    EVM_CREATE_COLLISION: 'a contract exists at the address being created',
    EVM_CODE_TOO_LARGE: 'init code or deployed code exceeds its size limit',
    EVM_INSUFFICIENT_BALANCE: 'a value transfer exceeds the balance',
    EVM_EXCEPTION: 'another EVM exception',
    EVM_LOG_TOO_LARGE: 'a log carries more data than an event holds',
    EVM_NOT_SELF_METERED: 'the kernel did not give the module its unmetered state',
    EVM_BAD_RPC: 'a JSON-RPC request body is not JSON',
  },
  events: {
    log: LOG_ATTRIBUTES,
    executed: ['hash', 'from', 'to', 'created', 'gasUsed'],
  },
  messages: {
    // The interpreter loads on the first EVM transaction, not with every process that lists modules.
    deploy: defineMessage(Payload, async (ctx, payload) =>
      (await import('./execute.js')).executeEvmMessage(ctx, payload, 'deploy'),
    ),
    call: defineMessage(Payload, async (ctx, payload) =>
      (await import('./execute.js')).executeEvmMessage(ctx, payload, 'call'),
    ),
  },
  queries: { account: accountQuery, code: codeQuery, storage: storageQuery },
  resourceOf: evmResourceOf,
  routes: [rpcRoute],
  sockets: [rpcSocket],
  searchIndexTx: evmTxIndex,
});
