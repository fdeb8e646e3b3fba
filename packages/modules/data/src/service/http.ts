import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublicKey, SuiteId } from '@pujiang/crypto';
import type { ChainClient } from '@pujiang/module-kit';
import { SignedRequestError, SignedRequestVerifier } from '@pujiang/module-kit/signed-requests';
import { hexToBytes, isPujiangError } from '@pujiang/types';
import { type DataService, DataServiceError } from './data-service.js';

/** The largest fetch body: a request id and little else. */
const MAX_BODY = 4096;

interface Member {
  readonly publicKey: PublicKey;
  readonly problem?: string;
}

/**
 * The registered key of a member, from the agency's node: the key that must have signed a
 * fetch (RFC 9421, as the node's members-only reads are signed). An identity whose
 * organization left, whose CA was retired or whose certificate was revoked or expired is not
 * valid (governance's own rules, from its identity query).
 */
export function memberLookup(client: ChainClient, now: () => number = Date.now) {
  return async (address: string): Promise<Member | undefined> => {
    const { result } = await client.query('governance', 'identity', { address });
    const identity = result as {
      registered: boolean;
      suite?: string;
      publicKey?: string;
      notAfter?: string;
      problem?: string;
    };
    if (!identity.registered || !identity.suite || !identity.publicKey) return undefined;
    const publicKey: PublicKey = { suite: identity.suite as SuiteId, bytes: hexToBytes(identity.publicKey) };
    const problem =
      identity.problem ??
      (identity.notAfter !== undefined && BigInt(now()) > BigInt(identity.notAfter)
        ? 'MEMBER_EXPIRED'
        : undefined);
    return { publicKey, ...(problem ? { problem } : {}) };
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new DataServiceError(413, 'DATA_BAD_REQUEST', `a fetch body is at most ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const flat = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(req.headers).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
    ),
  );

/**
 * `pujiang data serve`'s HTTP face: `POST /v1/data/fetch` with `{"request": id}`, signed by the
 * requester's registered key, answers the delivery (or a typed refusal); `GET /v1/data/health`
 * says which datasets it serves.
 */
export class DataServiceServer {
  private readonly server: Server;
  private readonly verifier: SignedRequestVerifier<Member>;

  constructor(
    private readonly service: DataService,
    client: ChainClient,
    private readonly datasets: readonly string[],
  ) {
    // Nonces live in memory: a signature made before this process started is not taken.
    this.verifier = new SignedRequestVerifier(
      memberLookup(client),
      Date.now,
      Math.floor(Date.now() / 1000) * 1000,
    );
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (error instanceof DataServiceError || error instanceof SignedRequestError)
          send(res, error.status, {
            error: { code: error.code, message: error.message, details: error.details },
          });
        else if (isPujiangError(error))
          send(res, 503, {
            error: {
              code: 'DATA_SERVICE_UNAVAILABLE',
              message: error.message,
              details: { cause: error.code },
            },
          });
        else
          send(res, 500, {
            error: { code: 'DATA_SERVICE_UNAVAILABLE', message: 'internal error', details: {} },
          });
      });
    });
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/v1/data/health')
      return send(res, 200, { status: 'ok', datasets: this.datasets });
    if (url.pathname !== '/v1/data/fetch') throw new DataServiceError(404, 'DATA_UNKNOWN', 'no such route');
    if (req.method !== 'POST') throw new DataServiceError(405, 'DATA_BAD_REQUEST', 'POST a fetch');
    const body = await readBody(req);
    if (req.headers.host === undefined)
      throw new DataServiceError(400, 'DATA_BAD_REQUEST', 'a fetch names its Host');
    const { address } = await this.verifier.verify({
      method: 'POST',
      url: `http://${req.headers.host}${url.pathname}${url.search}`,
      headers: flat(req),
      body: new Uint8Array(body),
    });
    let request: unknown;
    try {
      request = (JSON.parse(body.toString('utf8')) as { request?: unknown }).request;
    } catch {
      request = undefined;
    }
    if (typeof request !== 'string' || !/^[0-9a-f]{64}$/.test(request))
      throw new DataServiceError(400, 'DATA_BAD_REQUEST', 'the body is {"request": "<request id>"}');
    send(res, 200, await this.service.deliver(address, request));
  }
}
