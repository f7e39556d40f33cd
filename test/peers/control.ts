/**
 * Remote control of peers that run in another network namespace. Loopback is per namespace but
 * the filesystem is shared, so the peer host listens on a UNIX socket in the world's temp dir and
 * the test process calls methods on named peers through it: one JSON object per line each way.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Request {
  id: number;
  target: string;
  method: string;
  args: unknown[];
}

interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Serves `targets` (name -> object) on a UNIX socket. Methods are called, other properties read. */
export function serveControl(path: string, targets: Map<string, object>): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    readLines(socket, (line) => {
      const request = JSON.parse(line) as Request;
      void answer(targets, request).then((response) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

async function answer(targets: Map<string, object>, request: Request): Promise<Response> {
  const target = targets.get(request.target) as Record<string, unknown> | undefined;
  if (!target) return { id: request.id, ok: false, error: `no peer named ${request.target}` };
  try {
    const member = target[request.method];
    const result =
      typeof member === 'function'
        ? await (member as (...a: unknown[]) => unknown).apply(target, request.args)
        : member;
    return { id: request.id, ok: true, result: result === undefined ? null : result };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Methods of T, each returning a promise of its (JSON-serialisable) result. */
export type Remote<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
} & {
  /** Reads a property (or calls a getter) on the remote peer. */
  get<K extends keyof T>(property: K): Promise<T[K]>;
};

/** The test side of the control socket. */
export class ControlClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: Socket) {
    readLines(socket, (line) => {
      const response = JSON.parse(line) as Response;
      const waiter = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (response.ok) waiter?.resolve(response.result);
      else waiter?.reject(new Error(`peer host: ${response.error}`));
    });
    socket.on('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('peer host control socket closed'));
      this.pending.clear();
    });
  }

  /** Connects to a control socket. */
  static connect(path: string): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve(new ControlClient(socket));
      });
    });
  }

  /** Calls `method` on peer `target` with JSON-serialisable arguments. */
  call<R = unknown>(target: string, method: string, ...args: unknown[]): Promise<R> {
    const id = ++this.nextId;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ id, target, method, args })}\n`);
    });
  }

  /** A typed handle on one remote peer. */
  remote<T>(target: string): Remote<T> {
    return new Proxy({} as Remote<T>, {
      get: (_, method: string | symbol) => {
        // Not a thenable: `await remote` must not call the peer.
        if (typeof method !== 'string' || method === 'then') return undefined;
        if (method === 'get') return (property: string) => this.call(target, property);
        return (...args: unknown[]) => this.call(target, method, ...args);
      },
    });
  }

  /** Closes the connection. Idempotent. */
  close(): void {
    this.socket.destroy();
  }
}

function readLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    buffered += text;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onLine(line);
    }
  });
}
