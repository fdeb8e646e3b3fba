import type { ChainClient, SendTransactionParameters } from '@pujiang/module-kit';
import { XCHAIN_MODULE } from '../names.js';

export type XchainSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

export const send = (client: ChainClient, p: XchainSendParameters, type: string, payload: Uint8Array) =>
  client.sendTransaction({ ...p, module: XCHAIN_MODULE, type, payload });
