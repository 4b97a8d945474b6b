import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on loopback in front of a registry that answers 429 to the first `busy`
 * manifest requests, then forwards everything: a registry rate-limiting a burst of pulls.
 */
export class BusyRegistryProxy {
  tooManyRequests = 0;
  private server?: Server;
  address = '';

  constructor(private readonly upstream: string, private readonly busy: number) {}

  async start(): Promise<string> {
    const [host, port] = this.upstream.split(':');
    this.server = createServer((req, res) => {
      if (req.url?.includes('/manifests/') && this.tooManyRequests < this.busy) {
        this.tooManyRequests++;
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'rate limit exceeded (test proxy)' }] }));
        return;
      }
      const upstream = request({ host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.address;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A registry address that accepts connections and never answers a byte. */
export class SilentRegistry {
  private server?: TcpServer;
  private readonly sockets = new Set<Socket>();
  address = '';

  async start(): Promise<string> {
    this.server = createTcpServer((socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.address;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
