/**
 * How the load generator hands a batch of pre-signed transactions to a chain. The
 * open-loop schedule (`Submitter`) is the same for every chain; only this differs.
 */
export interface BatchTransport {
  /**
   * Sends the transactions at these indices (of the list the transport was made with) in one
   * request. Resolves with one outcome per item (`undefined`: admitted, else a refusal code),
   * or `{ failed }` when the request as a whole failed.
   */
  send(items: readonly number[]): Promise<BatchOutcome>;
  /** Refusals that mean "not now": the transaction is offered again. */
  readonly retryable: ReadonlySet<string>;
  /** Refusals that mean the chain's pool is full: hold back until the next block. */
  readonly full: ReadonlySet<string>;
  close(): void;
}

export type BatchOutcome = { readonly codes: readonly (string | undefined)[] } | { readonly failed: string };

/** Makes the transport of one chain API for the signed transactions (hex) submitted there. */
export type TransportFactory = (
  apiUrl: string,
  hex: readonly string[],
  maxInFlight: number,
) => BatchTransport;
