import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getEscrow, sendTokens } from '@pujiang/module-xchain/client';
import { openChannel, type RelayPath } from '@pujiang/module-xchain/relayer';
import { relayUntilIdle, startTwoChains, type TwoChains } from './xchain-harness.js';

/**
 * A post-quantum chain (ML-DSA-65 validators and accounts, SHA-256) and an SM2/SM3 chain, as
 * processes: each follows the other's ML-DSA or SM2 certificates, and tokens cross both ways.
 */
describe('xchain between an ML-DSA-65 chain and an SM2 chain', () => {
  let chains: TwoChains;
  before(async () => {
    chains = await startTwoChains('ml-dsa-65', 'sm2');
  });
  after(() => chains.stop());

  it('opens a transfer channel and relays tokens out and home', async () => {
    const { a, b } = chains;
    const channel = await openChannel(a, b, {
      port: 'transfer',
      ordering: 'UNORDERED',
      connection: chains.connection,
    });
    const path: RelayPath = {
      a: { ...a, port: 'transfer', channel: channel.a },
      b: { ...b, port: 'transfer', channel: channel.b },
    };
    const far = async (c: typeof a.chain) => BigInt((await c.getStatus()).height + 10_000);
    await sendTokens(a.chain, {
      key: a.key,
      wait: true,
      channelId: channel.a,
      denom: 'native',
      amount: 40,
      receiver: chains.homes[1].operatorAddress,
      timeoutHeight: await far(b.chain),
    });
    await relayUntilIdle(path);
    const voucher = `transfer/${channel.b}/native`;
    const held = await b.chain.query('bank', 'denomBalance', {
      address: chains.homes[1].operatorAddress,
      denom: voucher,
    });
    assert.equal((held.result as { balance: string }).balance, '40');
    await sendTokens(b.chain, {
      key: b.key,
      wait: true,
      channelId: channel.b,
      denom: voucher,
      amount: 15,
      receiver: chains.homes[0].operatorAddress,
      timeoutHeight: await far(a.chain),
    });
    await relayUntilIdle(path);
    assert.equal(await getEscrow(a.chain, channel.a, 'native'), 25n);
  });
});
