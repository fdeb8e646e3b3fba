import { type ComponentType, lazy } from 'preact/compat';
import type { ModuleInfo } from '../../chain/module-catalog.js';

export interface ModulePageProps {
  readonly module: ModuleInfo;
  readonly rest: readonly string[];
}

/**
 * Modules with a page of their own, each loaded when first opened. Every other enabled
 * module gets the generic page (its queries as forms, proven, and its recent events).
 * A module contributes its page with one file in this folder and one line here.
 */
export const MODULE_PAGES: Readonly<Record<string, ComponentType<ModulePageProps>>> = {
  did: lazy(() => import('./did.js').then((m) => m.DidPage)),
  xchain: lazy(() => import('./xchain.js').then((m) => m.XchainPage)),
  evm: lazy(() => import('./evm.js').then((m) => m.EvmPage)),
  scf: lazy(() => import('./scf.js').then((m) => m.ScfPage)),
  lc: lazy(() => import('./lc.js').then((m) => m.LcPage)),
};
