import type { Socket } from 'node:net';

/** Refused connections held open at once; past this, they are reset at once. */
const MAX_HELD = 256;
/** How long a refused connection is held before it is reset. */
const HOLD_MS = 5_000;

/**
 * Refused connections, held open and unread for a few seconds before a reset: a flooder
 * that reconnects as soon as it is refused finds its connections stuck, so its rate falls to
 * what it can hold open, and each refusal costs the node one accept instead of a stream of
 * them. Bounded: beyond `MAX_HELD`, refusals are reset at once.
 */
export class Tarpit {
  private readonly held = new Set<Socket>();

  hold(socket: Socket): void {
    socket.on('error', () => {});
    if (this.held.size >= MAX_HELD) {
      socket.resetAndDestroy();
      return;
    }
    this.held.add(socket);
    const timer = setTimeout(() => socket.resetAndDestroy(), HOLD_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }

  clear(): void {
    for (const socket of this.held) socket.resetAndDestroy();
    this.held.clear();
  }
}
