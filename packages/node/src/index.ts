export type { BankGenesis } from '@pujiang/module-bank/chain';
export { bank } from '@pujiang/module-bank/chain';
export { governance, proposalJson } from '@pujiang/module-governance/chain';
export type { ChainModule, MessageContext, MessageHandler } from '@pujiang/module-kit';
export { defineMessage, GAS, GasMeter } from '@pujiang/module-kit';
/** The modules this node can run (the module list); each chain's genesis picks among them. */
export { CHAIN_MODULES as DEFAULT_MODULES } from '@pujiang/modules/chain';
export { coreOpenApi } from '@pujiang/protocol';
export type { ApiErrorCode } from './api/api-error.js';
export { ApiError } from './api/api-error.js';
export type { ConsoleOptions } from './api/console-assets.js';
export type { EventFilter } from './api/events.js';
export { blockMessages, parseEventFilter } from './api/events.js';
export { openApiFor } from './api/module-openapi.js';
export type { ApiServerOptions } from './api/server.js';
export { ApiServer } from './api/server.js';
export type { TestingClockErrorCode, TestingClockState } from './api/testing-clock.js';
export { TESTING_CLOCK_PATH } from './api/testing-clock.js';
export type { ChainErrorCode, CommittedBlock } from './chain/chain.js';
export { Chain, genesisHash } from './chain/chain.js';
export type { GovernedConfig, ValidatorSetAt } from './chain/governed-config.js';
export type { ReplayProblem, ReplayReturnType } from './chain/replay.js';
export { replayFromGenesis } from './chain/replay.js';
export type { ClockErrorCode } from './clock.js';
export { allowsClockControl, MAX_CLOCK_OFFSET_MS, NodeClock } from './clock.js';
export { chainDir, consensusDir } from './data-dir.js';
export type { BlockResult, BlockTx, ExecutorOptions, ModuleDescription } from './execution/executor.js';
export { Executor, toBlockTx } from './execution/executor.js';
export { StateOverlay } from './execution/state-overlay.js';
export { replayHome } from './host/audit.js';
export type { NodeConfig, TestingConfig } from './host/config.js';
export { DEFAULT_CONFIG, parseConfig, parseHostPort } from './host/config.js';
export { writeFileAtomic } from './host/fs-atomic.js';
export type { HomeErrorCode, InitParameters, InitReturnType, LoadedHome } from './host/home.js';
export {
  checkGenesis,
  DEFAULT_EMPTY_BLOCK_INTERVAL_MS,
  homePaths,
  initHome,
  joinHome,
  loadHome,
} from './host/home.js';
export type { KeyFile, KeyFileErrorCode } from './host/key-file.js';
export { addressHex, readKeyFile, writeKeyFile } from './host/key-file.js';
export type {
  LocalNetwork,
  LocalNetworkErrorCode,
  LocalNetworkFile,
  LocalNetworkNode,
  LocalNetworkParameters,
} from './host/local-network.js';
export {
  DEFAULT_LOCAL_BASE_PORT,
  DEFAULT_LOCAL_NODES,
  initLocalNetwork,
  LOCAL_NETWORK_FILE,
  MAX_LOCAL_NODES,
} from './host/local-network.js';
export type { RunningNode, StartNodeParameters } from './host/node-process.js';
export { startNode } from './host/node-process.js';
export type { OrganizationCa, OrganizationErrorCode } from './host/organization.js';
export {
  createOrganization,
  issueMemberCertificate,
  loadOrganization,
  orgPaths,
} from './host/organization.js';
export type { ClockChange, ClockNode, TestClockErrorCode } from './host/test-clock.js';
export {
  advanceNetworkClock,
  CLOCK_TOKEN_FILE,
  clockTokenPath,
  nodeClock,
  readClockToken,
  setNodeClock,
} from './host/test-clock.js';
export type { MempoolEntry, MempoolErrorCode, MempoolOptions } from './mempool/mempool.js';
export { Mempool, senderId } from './mempool/mempool.js';
export type { MetricsSnapshot } from './metrics.js';
export { NodeMetrics } from './metrics.js';
export type { PeerAddress, PeerNetworkOptions } from './network/peer-network.js';
export { PeerNetwork, peerId } from './network/peer-network.js';
export type { PeerNetworkSnapshot } from './network/peer-watch.js';
export type { CommitListener, PeerTransport, ValidatorNodeOptions } from './validator-node.js';
export { ValidatorNode } from './validator-node.js';
