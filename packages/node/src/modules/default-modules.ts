import { bank } from '@pujiang/module-bank/chain';
import { governance } from '@pujiang/module-governance/chain';
import type { ChainModule } from '@pujiang/module-kit';
import { notary } from '@pujiang/module-notary/chain';

/** The modules every chain runs in this version: governance first, since it authorizes every transaction. */
export const DEFAULT_MODULES: readonly ChainModule[] = [governance, bank, notary];
