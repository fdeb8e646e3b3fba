import type { Codec } from '@pujiang/codec';
import type { Genesis } from '@pujiang/protocol';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { ERROR_CODE, kitError } from './errors.js';
import type {
  BlockHook,
  CallContext,
  ChainModule,
  HookContext,
  MessageContext,
  MessageHandler,
  ModuleContext,
  ModuleExport,
  QueryDefinition,
  SearchDefinition,
  SearchScan,
  StateRead,
} from './module.js';
import { checkRoutes } from './routes.js';

/** Module names are path segments and state-key prefixes: short, lowercase, no `/`. */
export const MODULE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
/** Message, query, export and event names. */
export const MEMBER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A message type: its payload codec and its handler, typed together. */
export function defineMessage<M>(
  codec: Codec<M>,
  /** May be `async` (see `MessageHandler`): the executor awaits it before the next transaction. */
  handle: (ctx: MessageContext, message: M) => void | Promise<void>,
  options: { availableOn?: (genesis: Genesis) => boolean } = {},
): MessageHandler {
  return {
    codec: codec as Codec<unknown>,
    handle: (ctx, message) => handle(ctx, message as M),
    ...(options.availableOn ? { availableOn: options.availableOn } : {}),
  };
}

/**
 * For messages added when genesis files began to name their modules (`enabledModules`):
 * chains created before that (their genesis has no such field) do not get them.
 */
export const onChainsNamingModules = (genesis: Genesis): boolean => genesis.enabledModules !== undefined;

/**
 * A typed query. `params` describes the URL parameters (all strings on the wire, converted
 * to the declared types); the kit checks them before `run` sees them, and a mismatch is a
 * 400 with `invalidParams` (default `QUERY_BAD_PARAMS`).
 */
export function defineQuery<P extends TObject, R extends TSchema>(query: {
  readonly summary: string;
  readonly params: P;
  readonly result: R;
  readonly invalidParams?: string;
  readonly paramCodes?: Readonly<Record<string, string>>;
  run(read: StateRead, params: Static<P>): Static<R>;
}): QueryDefinition {
  return {
    summary: query.summary,
    params: query.params,
    result: query.result,
    invalidParams: query.invalidParams ?? 'QUERY_BAD_PARAMS',
    ...(query.paramCodes ? { paramCodes: query.paramCodes } : {}),
    run: (read, params) => query.run(read, params as Static<P>),
  };
}

/** A typed search over the module's index (parameters checked as a query's: `invalidParams`). */
export function defineSearch<P extends TObject, R extends TSchema>(search: {
  readonly summary: string;
  readonly params: P;
  readonly result: R;
  readonly invalidParams?: string;
  run(scan: SearchScan, read: StateRead, params: Static<P>): Static<R>;
}): SearchDefinition {
  return {
    summary: search.summary,
    params: search.params,
    result: search.result,
    invalidParams: search.invalidParams ?? 'QUERY_BAD_PARAMS',
    run: (scan, read, params) => search.run(scan, read, params as Static<P>),
  };
}

/** A typed export: what another module may call, with its argument and return types. */
export interface TypedExport<A, R> extends ModuleExport {
  /** Type carriers for `importsOf`; never read at run time. */
  readonly __args?: A;
  readonly __returns?: R;
}

/**
 * An export with the schema of its arguments: a call whose arguments do not match is
 * `MODULE_BAD_CALL` (a typed error that fails the calling transaction), checked before `run`.
 */
export function defineExport<S extends TSchema, R>(
  summary: string,
  args: S,
  run: (ctx: CallContext, args: Static<S>) => R,
  options: { readonly remote?: boolean } = {},
): TypedExport<Static<S>, R> {
  return {
    summary,
    args,
    run: (ctx, a) => run(ctx, a as Static<S>),
    ...(options.remote ? { remote: true } : {}),
  };
}

/** The most gas one hook may have per block (its own budget, beside the block's transaction gas). */
export const MAX_HOOK_GAS = 50_000_000;

export function defineHook(gas: number, run: (ctx: HookContext) => void): BlockHook {
  if (!Number.isSafeInteger(gas) || gas <= 0 || gas > MAX_HOOK_GAS)
    throw kitError('MODULE_INVALID', `a hook's gas budget is 1 to ${MAX_HOOK_GAS}`, { gas });
  return { gas, run };
}

type ExportsOf<E> = {
  readonly [K in keyof E]: E[K] extends TypedExport<infer A, infer R>
    ? (ctx: ModuleContext, args: A) => R
    : never;
};

/**
 * A typed handle on another module's exports, for the module that imports them:
 * `const bank = importsOf<typeof bankExports>('bank', bankExports)` then
 * `bank.transfer(ctx, {...})`. The call still goes through `ctx.call`, so only what the
 * importing module declared in `imports` is granted.
 */
export function importsOf<E extends Readonly<Record<string, ModuleExport>>>(
  module: string,
  exports: E,
): ExportsOf<E> {
  const handle: Record<string, (ctx: ModuleContext, args: unknown) => unknown> = {};
  for (const name of Object.keys(exports)) handle[name] = (ctx, args) => ctx.call(module, name, args);
  return handle as ExportsOf<E>;
}

function check(ok: boolean, module: string, message: string): void {
  if (!ok) throw kitError('MODULE_INVALID', `module ${module}: ${message}`, { module });
}

/**
 * A module, checked when it is defined: names fit state keys and URL paths, error codes are
 * stable codes, queries name a declared error code, imports name other modules, hooks have
 * budgets, routes live under the module's prefix or a declared well-known path.
 */
export function defineModule<M extends ChainModule>(module: M): M {
  const name = module.name;
  check(
    MODULE_NAME.test(name),
    name,
    'the name must be 1-32 characters of a-z, 0-9, _ and -, starting with a letter',
  );
  const errors = module.errors ?? {};
  for (const code of Object.keys(errors))
    check(ERROR_CODE.test(code), name, `${code} is not a stable error code`);
  const members = [
    ...Object.keys(module.messages),
    ...Object.keys(module.queries ?? {}),
    ...Object.keys(module.exports ?? {}),
    ...Object.keys(module.events ?? {}),
  ];
  for (const member of members) check(MEMBER_NAME.test(member), name, `${member} is not a valid member name`);
  for (const [query, q] of Object.entries(module.queries ?? {})) {
    for (const code of [q.invalidParams, ...Object.values(q.paramCodes ?? {})]) {
      const declared = Object.hasOwn(errors, code) || code === 'QUERY_BAD_PARAMS';
      check(declared, name, `query ${query} refuses parameters with ${code}, which errors does not declare`);
    }
  }
  for (const [target, names] of Object.entries(module.imports ?? {})) {
    check(target !== name, name, 'a module cannot import itself');
    check(MODULE_NAME.test(target) && names.length > 0, name, `imports of ${target} must name exports`);
  }
  for (const hook of [module.beginBlock, module.endBlock])
    if (hook)
      check(
        Number.isSafeInteger(hook.gas) && hook.gas > 0 && hook.gas <= MAX_HOOK_GAS,
        name,
        `a hook's gas budget is 1 to ${MAX_HOOK_GAS}`,
      );
  if (module.routes) checkRoutes(name, module.routes);
  return module;
}
