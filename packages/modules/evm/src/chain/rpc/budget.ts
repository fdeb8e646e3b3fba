import { RPC, RpcError } from './errors.js';

/**
 * What one request (a call, or a whole batch) may make the node do: bounds on work, not only
 * on counts, so a batch of expensive calls is refused once it has spent its share.
 */
export class RpcBudget {
  constructor(
    /** Gas the request's eth_call and eth_estimateGas runs may simulate together. */
    private simulationGas = 30_000_000n,
    /** Logs the request's eth_getLogs calls may answer together. */
    private logs = 10_000,
    /** Transactions the request's block views may read (decoding one may recover its signer). */
    private transactions = 20_000,
  ) {}

  spendTransactions(n: number): void {
    if (n > this.transactions)
      throw new RpcError(
        RPC.LIMIT_EXCEEDED,
        'this request has read all the transactions one request may: narrow it',
      );
    this.transactions -= n;
  }

  spendGas(gas: bigint): void {
    if (gas > this.simulationGas)
      throw new RpcError(
        RPC.LIMIT_EXCEEDED,
        'this request has simulated all the gas one request may: split it',
      );
    this.simulationGas -= gas;
  }

  spendLog(): void {
    if (this.logs <= 0)
      throw new RpcError(
        RPC.LIMIT_EXCEEDED,
        'this request has answered all the logs one request may: narrow it',
      );
    this.logs--;
  }
}
