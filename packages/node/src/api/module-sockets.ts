import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ChainModule,
  kitError,
  type ModuleSocket,
  type RequestReader,
  type RouteHost,
} from '@pujiang/module-kit';
import { type WebSocket, WebSocketServer } from 'ws';

/** Open module sockets per node, across all of its modules. */
export const MAX_MODULE_SOCKETS = 256;
/** A connection whose unsent frames exceed this is closed (1013) rather than buffered without bound. */
const MAX_BUFFERED = 8 * 1024 * 1024;

interface Mounted {
  readonly module: string;
  readonly socket: ModuleSocket;
  readonly wss: WebSocketServer;
}

/**
 * The modules' WebSocket endpoints: each path once (two modules claiming one stop the node,
 * as routes do), a bound on open connections and on each frame, and slow readers closed.
 */
export class ModuleSockets {
  private readonly mounted = new Map<string, Mounted>();
  private readonly connections = new Set<WebSocket>();

  constructor(modules: readonly ChainModule[], reserved: readonly string[]) {
    for (const module of modules)
      for (const socket of module.sockets ?? []) {
        const inOwnSpace = socket.path.startsWith(`/v1/modules/${module.name}/`);
        if (
          (!inOwnSpace && !socket.wellKnown) ||
          reserved.includes(socket.path) ||
          this.mounted.has(socket.path)
        )
          throw kitError('MODULE_INVALID', `module ${module.name} cannot claim the socket ${socket.path}`, {
            module: module.name,
            path: socket.path,
          });
        this.mounted.set(socket.path, {
          module: module.name,
          socket,
          wss: new WebSocketServer({ noServer: true, maxPayload: socket.maxMessageBytes }),
        });
      }
  }

  /** The module that serves WebSockets at this path, if any. */
  moduleAt(path: string): string | undefined {
    return this.mounted.get(path)?.module;
  }

  /** Accepts an upgrade for a mounted path (the caller checked the read guard); false if the node is full. */
  accept(
    path: string,
    host: RouteHost,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    reader: RequestReader | undefined,
  ): boolean {
    const mounted = this.mounted.get(path);
    if (mounted === undefined || this.connections.size >= MAX_MODULE_SOCKETS) return false;
    mounted.wss.handleUpgrade(req, socket, head, (ws) => {
      this.connections.add(ws);
      const closers: (() => void)[] = [];
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        this.connections.delete(ws);
        for (const close of closers) close();
      });
      try {
        mounted.socket.open(host, {
          send: (text) => {
            if (ws.readyState !== ws.OPEN) return;
            if (ws.bufferedAmount > MAX_BUFFERED) ws.close(1013, 'too slow: reconnect');
            else ws.send(text);
          },
          close: (code, reason) => ws.close(code, reason),
          onMessage: (listener) =>
            ws.on('message', (data, binary) =>
              binary ? ws.close(1003, 'text frames only') : listener(String(data)),
            ),
          onClose: (listener) => closers.push(listener),
          ...(reader ? { reader } : {}),
        });
      } catch {
        ws.close(1011, 'the module refused the connection');
      }
    });
    return true;
  }

  close(): void {
    for (const ws of this.connections) ws.terminate();
    for (const m of this.mounted.values()) m.wss.close();
  }
}
