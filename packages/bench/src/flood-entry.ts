// A flooding process: opens connections to one validator's peer port as an outsider and sends
// well-formed Hellos, `concurrency` at a time, for `seconds`; prints what came back.
// Usage: node flood-entry.js HOST PORT CHAIN_ID SECONDS CONCURRENCY [GENESIS_HASH_HEX]
import { setPriority } from 'node:os';
import { probeResponder } from '@pujiang/p2p';
import { hexToBytes } from '@pujiang/types';

const [host, port, chainId, seconds, concurrency, genesisHash] = process.argv.slice(2);
// The lowest CPU priority: on this machine the flooder shares the validators' cores, and an
// attacker's own CPU would be elsewhere; it gets what they leave idle.
setPriority(19);
const counts = { signed: 0, challenge: 0, refused: 0 };
const deadline = performance.now() + Number(seconds) * 1000;
const options = {
  chainId: chainId!,
  timeoutMs: 2_000,
  ...(genesisHash ? { genesisHash: hexToBytes(genesisHash) } : {}),
};

async function worker(): Promise<void> {
  while (performance.now() < deadline) counts[await probeResponder(host!, Number(port), options)]++;
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(JSON.stringify({ type: 'done', ...counts }));
