// `@pujiang/module-xchain/relayer`: what a relayer does between two chains: open
// connections and channels by their proven handshakes, and relay packets, acknowledgements
// and timeouts in rounds that read everything from the chains (crash-safe, idempotent).
export * from './handshake.js';
export * from './reads.js';
export * from './relay.js';
