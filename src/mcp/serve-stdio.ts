import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves one MCP client over this process's stdin and stdout until the client goes away or
 * `signal` aborts. stdout then carries the protocol only: anything else written there breaks
 * the client, so callers log to stderr.
 */
export async function serveStdio(server: Server, signal: AbortSignal): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  const stop = (): void => void server.close();
  // The SDK's stdio transport does not watch for the end of stdin, which is how a client
  // that spawned us says goodbye; a closed stdout (EPIPE) means it is gone too.
  process.stdin.once('end', stop);
  process.stdout.on('error', stop);
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await closed;
  } finally {
    process.stdin.off('end', stop);
    process.stdout.off('error', stop);
    signal.removeEventListener('abort', stop);
  }
}
