import { bank } from '@pujiang/module-bank/chain';
import { did } from '@pujiang/module-did/chain';
import { governance } from '@pujiang/module-governance/chain';
import type { ChainModule } from '@pujiang/module-kit';
import { notary } from '@pujiang/module-notary/chain';

/**
 * Every module a node of this version can run, in execution order; each chain's genesis
 * picks among them (`enabledModules`). Governance comes first: it authorizes every
 * transaction. Adding a module: its package, then one entry here (and in client.ts,
 * verify.ts where it has those entries).
 */
export const CHAIN_MODULES: readonly ChainModule[] = [governance, bank, notary, did];
