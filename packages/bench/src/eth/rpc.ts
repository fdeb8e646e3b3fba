import { Agent, request } from 'node:http';

/** One JSON-RPC 2.0 answer. */
export type RpcAnswer =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly code: number; readonly message: string } };

export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

/**
 * Ethereum JSON-RPC over HTTP with keep-alive connections: single calls and batches (an
 * array of calls in one request, answered in any order and matched back by id).
 */
export class EthRpc {
  private readonly agent: Agent;
  private readonly url: URL;
  private nextId = 1;

  /** A request unanswered for `timeoutMs` fails, so a peer that stops answering cannot hang the bench. */
  constructor(
    url: string,
    maxSockets = 8,
    private readonly timeoutMs = 60_000,
  ) {
    this.url = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  async call<T>(method: string, params: readonly unknown[] = []): Promise<T> {
    const [answer] = await this.batch([{ method, params }]);
    if ('error' in answer!) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
    return answer!.result as T;
  }

  /** The answers in the calls' order. Rejects if the request fails or an answer is missing. */
  batch(calls: readonly RpcCall[]): Promise<RpcAnswer[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    const body = Buffer.from(
      JSON.stringify(
        calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params })),
      ),
    );
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`JSON-RPC: HTTP ${res.statusCode}`));
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcAnswer | RpcAnswer[];
              const byId = new Map((Array.isArray(parsed) ? parsed : [parsed]).map((a) => [a.id, a]));
              resolve(
                calls.map((c, i) => {
                  const answer = byId.get(first + i);
                  if (!answer) throw new Error(`JSON-RPC: no answer to ${c.method}`);
                  return answer;
                }),
              );
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`JSON-RPC: no answer in ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A JSON-RPC error as a stable refusal code: `RPC_<code>` plus the message's first words, so kinds stay apart. */
export function rpcRefusal(error: { code: number; message: string }): string {
  const words = error.message
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .trim()
    .split(/\s+/)
    .slice(0, 4)
    .join('_');
  return `RPC_${error.code}${words ? `_${words}` : ''}`;
}
