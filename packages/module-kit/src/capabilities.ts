import { kitError } from './errors.js';
import type { ChainModule } from './module.js';

/** Which exports each module may call: `grants.get(importer)` holds `module/export` entries. */
export interface ModuleGraph {
  readonly modules: readonly ChainModule[];
  readonly byName: ReadonlyMap<string, ChainModule>;
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
  /** The exports other chains may call (`module/export`), through a module that routes remote calls. */
  readonly remote: ReadonlySet<string>;
}

export const grantKey = (module: string, name: string): string => `${module}/${name}`;

/**
 * The modules a chain enables, from the node's list: `enabled` names them (in any order;
 * they run in the list's order, so every node runs them alike). A name the node does not
 * have is `MODULE_UNKNOWN`, so a node that lacks a module refuses to start.
 */
export function selectModules(available: readonly ChainModule[], enabled: readonly string[]): ChainModule[] {
  const known = new Set(available.map((m) => m.name));
  for (const name of enabled)
    if (!known.has(name))
      throw kitError('MODULE_UNKNOWN', `the genesis enables module ${name}, which this node does not have`, {
        module: name,
        available: [...known],
      });
  const wanted = new Set(enabled);
  return available.filter((m) => wanted.has(m.name));
}

/**
 * Checks and wires the capability graph when a chain starts: names are unique, every import
 * names an enabled module and one of its exports (`MODULE_IMPORT_UNKNOWN`, naming both
 * modules), and imports form no cycle (`MODULE_IMPORT_CYCLE`, naming the modules on it).
 * Kernel hooks (`authorize`, `setModuleParam`) are not imports and make no edges.
 */
export function wireModules(modules: readonly ChainModule[]): ModuleGraph {
  const byName = new Map<string, ChainModule>();
  for (const m of modules) {
    if (byName.has(m.name))
      throw kitError('MODULE_INVALID', `module ${m.name} is listed twice`, { module: m.name });
    byName.set(m.name, m);
  }
  const grants = new Map<string, Set<string>>();
  for (const m of modules) {
    const granted = new Set<string>();
    for (const [target, names] of Object.entries(m.imports ?? {})) {
      const exporter = byName.get(target);
      for (const name of names) {
        if (!exporter || !Object.hasOwn(exporter.exports ?? {}, name))
          throw kitError(
            'MODULE_IMPORT_UNKNOWN',
            exporter
              ? `module ${m.name} imports ${target}.${name}, which ${target} does not export`
              : `module ${m.name} imports from ${target}, which this chain does not enable`,
            { module: m.name, imports: target, name },
          );
        granted.add(grantKey(target, name));
      }
    }
    grants.set(m.name, granted);
  }
  for (const service of ['validatorSet', 'chainConfig', 'admitsPeer'] as const) {
    const providers = modules.filter((m) => m.kernel?.[service] !== undefined).map((m) => m.name);
    if (providers.length > 1)
      throw kitError(
        'MODULE_INVALID',
        `modules ${providers.join(' and ')} both provide the kernel's ${service}`,
        {
          service,
          modules: providers,
        },
      );
  }
  const cycle = findCycle(modules);
  if (cycle)
    throw kitError('MODULE_IMPORT_CYCLE', `modules import each other in a cycle: ${cycle.join(' -> ')}`, {
      cycle,
    });
  const remote = new Set<string>();
  for (const m of modules)
    for (const [name, e] of Object.entries(m.exports ?? {})) if (e.remote) remote.add(grantKey(m.name, name));
  return { modules, byName, grants, remote };
}

/** A cycle of imports as the module names along it (first = last), or undefined. */
function findCycle(modules: readonly ChainModule[]): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const edges = (name: string) => Object.keys(modules.find((m) => m.name === name)?.imports ?? {}).sort();
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const next of edges(name)) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const m of modules) {
    const found = visit(m.name);
    if (found) return found;
  }
  return undefined;
}
