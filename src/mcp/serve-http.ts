import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** The endpoint's path, as in the SDK's examples and most clients' defaults. */
export const MCP_PATH = '/mcp';

export interface McpHttpOptions {
  /** A fresh MCP server for each client session: one SDK Server serves one transport. */
  createServer: () => Server;
  port: number;
  host: string;
  log?: (line: string) => void;
}

export interface McpHttpServer {
  /** The endpoint, e.g. http://127.0.0.1:41234/mcp (the real port when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * On a loopback address only loopback Host headers are served: the tools run commands, and
 * a web page could otherwise reach them by rebinding its own name to 127.0.0.1.
 */
function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK.has(boundHost)) return true;
  try {
    return LOOPBACK.has(new URL(`http://${req.headers.host ?? ''}`).hostname);
  } catch {
    return false;
  }
}

/** Client sessions by their mcp-session-id, each with its own transport and server. */
class McpSessions {
  private readonly transports = new Map<string, StreamableHTTPServerTransport>();

  constructor(
    private readonly createServer: () => Server,
    private readonly log: (line: string) => void,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = this.transports.get(sessionId);
      if (!transport) return sendError(res, 404, `no MCP session ${sessionId} (it ended or the server restarted); initialize a new one`);
      return transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return sendError(res, 400, 'no mcp-session-id header: POST an initialize request first');
    await this.open(req, res);
  }

  /** A request without a session: the transport answers it, and keeps it if it was initialize. */
  private async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        this.transports.set(id, transport);
        this.log(`MCP client session ${id} opened`);
      },
    });
    const server = this.createServer();
    server.onclose = () => {
      if (transport.sessionId && this.transports.delete(transport.sessionId)) this.log(`MCP client session ${transport.sessionId} closed`);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (transport.sessionId === undefined) await server.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close()));
  }
}

/** Streamable HTTP on Node's own http server: the SDK's transport needs no framework. */
export async function startMcpHttpServer(opts: McpHttpOptions): Promise<McpHttpServer> {
  const log = opts.log ?? (() => undefined);
  const sessions = new McpSessions(opts.createServer, log);
  const http = createServer((req, res) => {
    const route = async (): Promise<void> => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) return sendError(res, 404, `the MCP endpoint is ${MCP_PATH}`);
      if (!hostAllowed(req, opts.host)) return sendError(res, 403, `Host ${req.headers.host ?? '(none)'} is not served on a loopback address`);
      await sessions.handle(req, res);
    };
    route().catch((err: unknown) => {
      log(`MCP request failed: ${(err as Error).message}`);
      if (!res.headersSent) sendError(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${urlHost}:${port}${MCP_PATH}`,
    close: async () => {
      await sessions.closeAll();
      // Open SSE streams would keep close() waiting for ever.
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
