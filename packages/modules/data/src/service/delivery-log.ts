import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Delivery } from './data-service.js';

/**
 * One delivery as the service logged it, before its receipt was sent: the audit finds each
 * receipt's delivery by the digest the receipt commits to (an entry whose receipt was refused
 * matches none).
 */
export interface LoggedDelivery {
  readonly dataset: string;
  readonly request: string;
  /** `deliveryDigest` of the delivery's bytes, hex. */
  readonly digest: string;
  readonly delivery: Delivery;
}

/**
 * The data service's log of what it delivered (JSON Lines, appended before each receipt is
 * sent): the steward hands it to auditors, whose audit checks every entry against its
 * receipt's digest. It holds the delivered records: keep it as the records themselves are kept.
 */
export class DeliveryLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(entry: LoggedDelivery): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  static read(path: string): LoggedDelivery[] {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LoggedDelivery);
  }
}
