import { string, struct, u32 } from '@pujiang/codec';
import { bankExports } from '@pujiang/module-bank/chain';
import { governanceExports } from '@pujiang/module-governance/chain';
import {
  defineExport,
  defineHook,
  defineMessage,
  defineModule,
  defineQuery,
  defineRoute,
  drainQueue,
  enqueue,
  importsOf,
  moduleError,
  queueLength,
  Schemas,
  Type,
} from '@pujiang/module-kit';
import { decodeU64, encodeU64 } from '@pujiang/protocol';

/**
 * Two small modules that live only in the tests and use every part of the kit: `counter`
 * (a message, a typed query, an export, an endBlock hook draining a queue, a route) and
 * `tally`, which imports counter's export.
 */
export const Add = struct('Add', { name: string({ max: 32 }), by: u32 });
export const Schedule = struct('Schedule', {
  name: string({ max: 32 }),
  items: u32,
  failEvery: u32,
  burn: u32,
});
export const Bump = struct('Bump', { name: string({ max: 32 }), by: u32, thenFail: u32 });
export const Spin = struct('Spin', { rounds: u32 });

const NAME = Type.String({ pattern: '^[a-z]{1,32}$' });
const countKey = (name: string) => `count/${name}`;
const read = (get: (k: string) => Uint8Array | undefined, name: string) => decodeU64(get(countKey(name)));

function add(
  ctx: { get(k: string): Uint8Array | undefined; set(k: string, v: Uint8Array): void },
  name: string,
  by: bigint,
) {
  const next = read((k) => ctx.get(k), name) + by;
  ctx.set(countKey(name), encodeU64(next));
  return next;
}

export const counterExports = {
  increment: defineExport(
    'Adds to a named counter; returns the new value',
    Type.Object({ name: Type.String(), by: Type.Integer() }),
    (ctx, args) => {
      if (!/^[a-z]{1,32}$/.test(args.name)) throw moduleError('COUNTER_BAD_NAME', 'bad counter name');
      const value = add(ctx, args.name, BigInt(args.by));
      ctx.emit('incremented', { name: args.name, by: String(args.by), caller: ctx.caller });
      return value;
    },
  ),
};

export function counterModule(hookGas = 20_000) {
  return defineModule({
    name: 'counter',
    summary: 'Named counters (a test module)',
    errors: {
      COUNTER_BAD_NAME: 'a counter name is not 1-32 lowercase letters',
      COUNTER_BAD_QUERY: 'a query parameter is malformed',
    },
    events: {
      added: ['name', 'value'],
      incremented: ['name', 'by', 'caller'],
      done: ['name', 'seq'],
      itemFailed: ['queue', 'seq', 'code'],
      spun: ['rounds'],
    },
    messages: {
      add: defineMessage(Add, (ctx, m) => {
        const value = add(ctx, m.name, BigInt(m.by));
        ctx.emit('added', { name: m.name, value: String(value) });
      }),
      /** Queues `items` increments of `name` for the endBlock hook; every `failEvery`-th one fails. */
      schedule: defineMessage(Schedule, (ctx, m) => {
        for (let i = 1; i <= m.items; i++)
          enqueue(
            ctx,
            'work',
            new TextEncoder().encode(
              `${m.name}:${m.burn ? 'burn' : m.failEvery > 0 && i % m.failEvery === 0 ? 'fail' : 'ok'}`,
            ),
          );
      }),
      /** Makes the next endBlock spin through `rounds` reads (to run it out of gas). */
      spin: defineMessage(Spin, (ctx, m) => ctx.set('spin', encodeU64(BigInt(m.rounds)))),
    },
    exports: counterExports,
    queries: {
      value: defineQuery({
        summary: "A counter's value",
        params: Type.Object({ name: NAME }),
        result: Type.Object({ name: Type.String(), value: Schemas.u64() }),
        invalidParams: 'COUNTER_BAD_QUERY',
        run: (get, { name }) => ({ name, value: String(read(get, name)) }),
      }),
    },
    endBlock: defineHook(hookGas, (ctx) => {
      const spin = Number(decodeU64(ctx.get('spin')));
      if (spin > 0) {
        for (let i = 0; i < spin; i++) ctx.get(`noise/${i}`);
        ctx.set('spin', undefined);
        ctx.emit('spun', { rounds: String(spin) });
      }
      if (queueLength(ctx, 'work') === 0n) return;
      drainQueue(ctx, 'work', {
        itemGas: 5_000,
        failedEvent: 'itemFailed',
        handle: (item, seq) => {
          const [name, outcome] = new TextDecoder().decode(item).split(':');
          add(ctx, name!, 1n);
          if (outcome === 'fail') throw moduleError('COUNTER_BAD_NAME', 'this item fails by design');
          // Spends every bit of gas the item may use, then fails: the worst case for the drain.
          if (outcome === 'burn') for (;;) ctx.get(`noise/${name}`);
          ctx.emit('done', { name: name!, seq: String(seq) });
        },
      });
    }),
    routes: [
      defineRoute({
        method: 'GET',
        path: '/v1/modules/counter/counters/{name}',
        summary: "A counter's value (a module route)",
        query: Type.Object({ double: Type.Optional(Type.Boolean()) }),
        response: Type.Object({ name: Type.String(), value: Schemas.u64() }),
        invalidInput: 'COUNTER_BAD_QUERY',
        handle: (host, { path, query }) => {
          const { value } = host.query('counter', 'value', { name: path.name! }) as { value: string };
          return { name: path.name!, value: String(BigInt(value) * (query.double ? 2n : 1n)) };
        },
      }),
      defineRoute({
        method: 'GET',
        path: '/counter-well-known/{name}',
        wellKnown: true,
        summary: 'The same value at a well-known path',
        response: Type.Object({ value: Schemas.u64() }),
        handle: (host, { path }) => ({
          value: (host.query('counter', 'value', { name: path.name! }) as { value: string }).value,
        }),
      }),
    ],
  });
}

const counter = importsOf('counter', counterExports);

export const tally = defineModule({
  name: 'tally',
  summary: 'Calls counter.increment (a test module)',
  errors: { TALLY_FAILED: 'failed after the call, by request' },
  imports: { counter: ['increment'] },
  events: { bumped: ['name', 'value'] },
  messages: {
    bump: defineMessage(Bump, (ctx, m) => {
      const value = counter.increment(ctx, { name: m.name, by: m.by });
      ctx.set(`last/${m.name}`, encodeU64(value));
      ctx.emit('bumped', { name: m.name, value: String(value) });
      if (m.thenFail) throw moduleError('TALLY_FAILED', 'failing after the call');
    }),
    /** Calls an export it imports with arguments of the wrong types. */
    mistype: defineMessage(Bump, (ctx) => {
      ctx.call('counter', 'increment', { name: 42, by: 'many' });
    }),
    /** Calls counter without going through the typed handle, to an export it did not import. */
    sneak: defineMessage(Bump, (ctx, m) => {
      ctx.call('counter', 'reset', { name: m.name });
    }),
  },
});

/** One message for every call the escrow demo makes: `op` names it, the other fields are its arguments. */
export const DemoCall = struct('DemoCall', {
  op: string({ max: 32 }),
  id: string({ max: 64 }),
  to: string({ max: 64 }),
  denom: string({ max: 64 }),
  amount: string({ max: 80 }),
});

const bankCalls = importsOf('bank', bankExports);
const governanceCalls = importsOf('governance', governanceExports);

/** A test module that holds funds in escrow and issues a denomination through bank's exports, and asks governance who signed. */
export const escrowDemo = defineModule({
  name: 'escrowdemo',
  imports: {
    bank: ['transfer', 'escrow', 'release', 'refund', 'createDenom', 'mint', 'burn'],
    governance: ['identityOf', 'policySatisfied', 'policyVerdict'],
  },
  events: {
    who: ['org', 'role', 'valid'],
    policy: ['resource', 'satisfied'],
    verdict: ['policy', 'shortOrgs'],
    left: ['amount'],
  },
  messages: {
    call: defineMessage(DemoCall, (ctx, m) => {
      const amount = m.amount;
      const denom = m.denom || 'native';
      switch (m.op) {
        case 'lock':
          return bankCalls.escrow(ctx, { id: m.id, from: ctx.sender, denom, amount });
        case 'pay':
          ctx.emit('left', { amount: String(bankCalls.release(ctx, { id: m.id, to: m.to, amount })) });
          return;
        case 'payAll':
          bankCalls.release(ctx, { id: m.id, to: m.to });
          return;
        case 'cancel':
          return bankCalls.refund(ctx, { id: m.id });
        case 'steal':
          return bankCalls.transfer(ctx, { from: m.id, to: m.to, denom, amount });
        case 'issue':
          return bankCalls.createDenom(ctx, { denom, decimals: 2 });
        case 'mint':
          return bankCalls.mint(ctx, { to: m.to, denom, amount });
        case 'burn':
          return bankCalls.burn(ctx, { from: ctx.sender, denom, amount });
        case 'whoami': {
          const who = governanceCalls.identityOf(ctx, { address: ctx.sender });
          ctx.emit('who', { org: who?.org ?? '', role: who?.role ?? '', valid: String(who?.valid ?? false) });
          return;
        }
        case 'policy': {
          const signers = [ctx.sender, ...ctx.endorsers.map((e) => e.address)];
          const satisfied = governanceCalls.policySatisfied(ctx, { resource: m.id, signers });
          ctx.emit('policy', { resource: m.id, satisfied: String(satisfied) });
          return;
        }
        case 'verdict': {
          const signers = [ctx.sender, ...ctx.endorsers.map((e) => e.address)];
          const v = governanceCalls.policyVerdict(ctx, { resource: m.id, signers });
          ctx.emit('verdict', { policy: v.policy, shortOrgs: JSON.stringify(v.shortOrgs) });
          return;
        }
        default:
          throw moduleError('DEMO_UNKNOWN_OP', `no op ${m.op}`);
      }
    }),
  },
});
