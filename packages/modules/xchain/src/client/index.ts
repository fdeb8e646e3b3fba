// `@pujiang/module-xchain/client`: cross-chain from an application. Light clients (read a
// header's submission from the followed chain, send it to the host chain), tokens and calls
// sent over channels, and connections, channels and packets read back. The relayer's work
// (handshakes, relaying rounds) is `@pujiang/module-xchain/relayer`.
export * from './channels.js';
export * from './clients.js';
export * from './htlc.js';
