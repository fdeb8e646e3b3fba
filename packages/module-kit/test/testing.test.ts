import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { string, struct } from '@pujiang/codec';
import { defineMessage, defineModule } from '../src/define.js';
import { moduleError } from '../src/errors.js';
import type { MessageContext } from '../src/module.js';
import { testChain } from '../src/testing.js';

/** `testChain` runs synchronous handlers with `send` and asynchronous ones with `sendAsync`. */
const Put = struct('Put', { key: string({ max: 16 }), value: string({ max: 16 }) });
const tick = () => Promise.resolve();
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) =>
  value === undefined ? undefined : new TextDecoder().decode(value);

function put(ctx: MessageContext, m: { key: string; value: string }): void {
  ctx.set(m.key, bytes(m.value));
  ctx.emit('put', { key: m.key });
}

const ledger = defineModule({
  name: 'ledger',
  events: { put: ['key'] },
  errors: { LEDGER_REFUSED: 'refused' },
  messages: {
    put: defineMessage(Put, put),
    putLater: defineMessage(Put, async (ctx, m) => {
      for (let i = 0; i < 10; i++) await tick();
      put(ctx, m);
    }),
    copyLater: defineMessage(Put, async (ctx, m) => {
      await tick();
      const value = ctx.get(m.key);
      if (value === undefined) throw moduleError('LEDGER_REFUSED', 'nothing to copy');
      ctx.set(m.value, value);
    }),
    failLater: defineMessage(Put, async (ctx, m) => {
      put(ctx, m);
      await tick();
      throw moduleError('LEDGER_REFUSED', 'refused after an await');
    }),
  },
});

describe('testChain', () => {
  it('sendAsync awaits an asynchronous handler; a typed rejection drops its writes and events', async () => {
    const c = testChain({ module: ledger });
    assert.equal(await c.sendAsync('aa', 'putLater', { key: 'a', value: '1' }), 'OK');
    assert.equal(text(c.read('a')), '1');
    assert.equal(await c.sendAsync('aa', 'failLater', { key: 'b', value: '2' }), 'LEDGER_REFUSED');
    assert.equal(c.read('b'), undefined);
    assert.deepEqual(
      c.events.map((e) => e.attributes.key),
      ['a'],
    );
    // Synchronous handlers run through sendAsync too.
    assert.equal(await c.sendAsync('aa', 'put', { key: 'c', value: '3' }), 'OK');
  });

  it('sendAsync calls made together run one after another, in order', async () => {
    const c = testChain({ module: ledger });
    const results = await Promise.all([
      c.sendAsync('aa', 'putLater', { key: 'a', value: '1' }),
      c.sendAsync('bb', 'copyLater', { key: 'a', value: 'b' }),
    ]);
    assert.deepEqual(results, ['OK', 'OK']);
    assert.equal(text(c.read('b')), '1');
  });

  it('send refuses an asynchronous handler (and a send while a sendAsync runs); synchronous ones work as before', async () => {
    const c = testChain({ module: ledger });
    assert.throws(() => c.send('aa', 'putLater', { key: 'a', value: '1' }), /use sendAsync/);
    // What the handler does after that reaches a dead context: nothing lands.
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(c.read('a'), undefined);
    assert.deepEqual(c.events, []);
    const pending = c.sendAsync('aa', 'putLater', { key: 'a', value: '1' });
    assert.throws(() => c.send('aa', 'put', { key: 'x', value: '1' }), /await it first/);
    assert.equal(await pending, 'OK');
    assert.equal(c.send('aa', 'put', { key: 'x', value: '2' }), 'OK');
    assert.equal(text(c.read('x')), '2');
  });
});
