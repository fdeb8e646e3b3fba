import { join } from 'node:path';

/** Inside a node's data directory: the chain store, and the consensus WAL and signer record. */
export const chainDir = (dataDir: string) => join(dataDir, 'chain');
export const consensusDir = (dataDir: string) => join(dataDir, 'consensus');
