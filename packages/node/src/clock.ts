import type { Genesis } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';

export type ClockErrorCode =
  | 'NODE_CLOCK_CONTROL_REFUSED'
  | 'NODE_CLOCK_BACKWARDS'
  | 'NODE_CLOCK_OFFSET_INVALID';

/** The largest offset a test may set: a century, so every reading stays an exact JSON number. */
export const MAX_CLOCK_OFFSET_MS = 100 * 366 * 24 * 3600 * 1000;

/** Whether the chain's genesis lets its nodes run with a clock offset (test chains only). */
export function allowsClockControl(genesis: Genesis): boolean {
  return genesis.testing?.clockControl === true;
}

/** The refusal of a clock offset (or its config and tokens) on a chain whose genesis does not allow it. */
export function clockControlRefused(chainId: string, details: Record<string, unknown> = {}) {
  return new PujiangError<ClockErrorCode>(
    'NODE_CLOCK_CONTROL_REFUSED',
    `chain ${chainId} does not allow clock control: its genesis has no "testing": {"clockControl": true}`,
    { chainId, ...details },
  );
}

/**
 * The time a node proposes blocks by and paces them with: the wall clock plus an offset that
 * only a test chain may set, and that only grows, so a test moves block time through days
 * without waiting. Readings never go backwards, even if the wall clock is stepped back.
 * Peer bans, connection times and request signatures stay on the wall clock.
 */
export class NodeClock {
  private offset: number;
  private last = 0n;
  private readonly listeners = new Set<() => void>();

  /**
   * `controllable`: whether the offset may be other than 0 (the chain's genesis allows clock
   * control); `chainId` names the chain in refusals.
   */
  constructor(
    readonly controllable: boolean,
    offsetMs = 0,
    private readonly wall: () => number = Date.now,
    private readonly chainId = '',
  ) {
    this.offset = checkOffset(offsetMs);
    if (offsetMs !== 0) this.requireControl();
  }

  /** The clock of a node of this chain: an offset is refused unless its genesis allows clock control. */
  static forGenesis(genesis: Genesis, offsetMs = 0, wall: () => number = Date.now): NodeClock {
    return new NodeClock(allowsClockControl(genesis), offsetMs, wall, genesis.chainId);
  }

  /** Throws `NODE_CLOCK_CONTROL_REFUSED` unless this chain allows clock control. */
  requireControl(): void {
    if (!this.controllable) throw clockControlRefused(this.chainId);
  }

  /** Milliseconds since the Unix epoch, as this node's block times count them. */
  now(): bigint {
    const reading = BigInt(this.wall() + this.offset);
    if (reading > this.last) this.last = reading;
    return this.last;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward by `ms`; returns the new offset. */
  advance(ms: number): number {
    this.requireControl();
    if (!Number.isSafeInteger(ms)) throw offsetInvalid('advanceMs', ms);
    if (ms < 0)
      throw new PujiangError<ClockErrorCode>('NODE_CLOCK_BACKWARDS', 'the clock only moves forward', {
        advanceMs: ms,
      });
    return this.setOffset(this.offset + ms);
  }

  /** Sets the offset, which may not shrink (the clock only moves forward); returns it. */
  setOffset(offsetMs: number): number {
    this.requireControl();
    checkOffset(offsetMs);
    if (offsetMs < this.offset)
      throw new PujiangError<ClockErrorCode>(
        'NODE_CLOCK_BACKWARDS',
        `the clock only moves forward: offset ${offsetMs} ms is below the current ${this.offset} ms`,
        { offsetMs, currentOffsetMs: this.offset },
      );
    if (offsetMs === this.offset) return this.offset;
    this.offset = offsetMs;
    for (const listener of this.listeners) listener();
    return this.offset;
  }

  /** Sets the clock so that it reads `timeMs` now (refused if it already reads later); returns the offset. */
  setTime(timeMs: number): number {
    this.requireControl();
    if (!Number.isSafeInteger(timeMs)) throw offsetInvalid('timeMs', timeMs);
    const now = this.now();
    if (BigInt(timeMs) < now)
      throw new PujiangError<ClockErrorCode>(
        'NODE_CLOCK_BACKWARDS',
        `the clock only moves forward: ${timeMs} is before its reading ${now}`,
        { timeMs, nowMs: Number(now) },
      );
    return this.setOffset(Math.max(this.offset, timeMs - this.wall()));
  }

  /** Calls `listener` whenever the offset changes (pacing re-times an idle wait); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const offsetInvalid = (field: string, value: unknown) =>
  new PujiangError<ClockErrorCode>(
    'NODE_CLOCK_OFFSET_INVALID',
    `${field}: a clock offset is an integer number of ms from 0 to ${MAX_CLOCK_OFFSET_MS}`,
    { field, value },
  );

function checkOffset(offsetMs: number): number {
  if (!Number.isSafeInteger(offsetMs) || offsetMs < 0 || offsetMs > MAX_CLOCK_OFFSET_MS)
    throw offsetInvalid('offsetMs', offsetMs);
  return offsetMs;
}
