import net from 'node:net';

/*
 * A TCP proxy between the app and PostgreSQL that can cut the connection at a chosen moment, for
 * fault tests. It reads the client's half of the wire protocol (v3: a type byte and a length per
 * message, after the untyped startup message) just enough to see which statement each execution
 * runs: a simple Query carries its text, an extended-protocol Bind names a statement whose text its
 * Parse carried (node-postgres prepares named statements once per connection, so later executions
 * carry only the name). The server's half is passed through untouched.
 */

export interface CutOptions {
  /** Matching executions let through before the one that is cut (default 0: the first). */
  skip?: number;
  /** After the cut, refuse new connections until restore() (the database is down). */
  stayDown?: boolean;
}

export interface TcpProxy {
  readonly port: number;
  /** The database URL with its host and port replaced by the proxy's. */
  url(databaseUrl: string): string;
  /**
   * Arms a cut: when an execution of a statement matching `match` arrives, it is not passed on and
   * every open connection is cut. Resolves with the statement's text when that happened.
   */
  cutWhen(match: string | RegExp, options?: CutOptions): Promise<string>;
  /** Cuts every open connection now. */
  cutAll(): void;
  /** Accepts connections again after a cut with stayDown. */
  restore(): void;
  /** Connections cut so far. */
  readonly cutConnections: number;
  /** Sees the text of every execution passing through (to find what to cut on). */
  onExecute: ((text: string) => void) | undefined;
  close(): Promise<void>;
}

interface Armed {
  match: string | RegExp;
  skip: number;
  stayDown: boolean;
  fired: (text: string) => void;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<{ client: net.Socket; server: net.Socket }>();
  let armed: Armed | undefined;
  let down = false;
  let cutConnections = 0;

  const cutAll = () => {
    for (const pair of open) {
      pair.client.destroy();
      pair.server.destroy();
      cutConnections++;
    }
    open.clear();
  };

  /** True when this execution is the one to cut. */
  const triggers = (text: string): boolean => {
    if (!armed) return false;
    const hit = typeof armed.match === 'string' ? text.includes(armed.match) : armed.match.test(text);
    if (!hit) return false;
    if (armed.skip > 0) {
      armed.skip--;
      return false;
    }
    const { fired, stayDown } = armed;
    armed = undefined;
    down = stayDown;
    cutAll();
    fired(text);
    return true;
  };

  const proxy = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const server = net.connect(target.port, target.host);
    const pair = { client, server };
    open.add(pair);
    const drop = () => {
      open.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
    server.pipe(client);

    const statements = new Map<string, string>();
    let started = false;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (pending.length < header) return;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) return;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (!started) {
          // SSLRequest (code 80877103) is answered 'N' by a server without TLS, then the startup follows.
          if (!(length === 8 && message.readInt32BE(4) === 80877103)) started = true;
        } else {
          const text = executedText(message, statements);
          if (text !== undefined) handle.onExecute?.(text);
          if (text !== undefined && triggers(text)) return;
        }
        server.write(message);
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as net.AddressInfo).port;

  const handle: TcpProxy = {
    onExecute: undefined,
    port,
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cutWhen(match, options = {}) {
      return new Promise((fired) => {
        armed = { match, skip: options.skip ?? 0, stayDown: options.stayDown ?? false, fired };
      });
    },
    cutAll,
    restore() {
      down = false;
    },
    get cutConnections() {
      return cutConnections;
    },
    async close() {
      armed = undefined;
      cutAll();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
  return handle;
}

/**
 * The statement text a client message executes: a Query's own, or for a Bind the text its Parse
 * gave the named (or unnamed) statement. Parse messages are remembered, not counted.
 */
function executedText(message: Buffer, statements: Map<string, string>): string | undefined {
  const type = String.fromCharCode(message[0]!);
  const body = message.subarray(5);
  const cstrings = (count: number): string[] => {
    const out: string[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      const end = body.indexOf(0, at);
      out.push(body.toString('utf8', at, end));
      at = end + 1;
    }
    return out;
  };
  if (type === 'Q') return cstrings(1)[0];
  if (type === 'P') {
    const [name = '', text = ''] = cstrings(2);
    statements.set(name, text);
    return undefined;
  }
  if (type === 'B') {
    const [, statement = ''] = cstrings(2);
    return statements.get(statement);
  }
  return undefined;
}
