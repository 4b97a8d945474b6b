import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/**
 * The real Docker engine, seen through a socket on which container and image listings show only
 * what carries a run id with the given prefix. `cleanup` without a run id acts on every dead
 * owner's containers of the engine; a test that runs it on a shared engine (other checkouts'
 * tests, made before owner labels, count as dead) points it here, so it cannot touch theirs.
 * Everything else passes through unchanged.
 */
export interface ScopedDockerProxy {
  /** For DOCKER_HOST. */
  readonly dockerHost: string;
  close(): Promise<void>;
}

const LISTING = /^(\/v[\d.]+)?\/(containers|images)\/json(\?|$)/;

function engineSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

export async function startScopedDockerProxy(runPrefix: string): Promise<ScopedDockerProxy> {
  const socket = path.join(mkdtempSync(path.join(os.tmpdir(), 'docker-proxy-')), 'docker.sock');
  const inScope = (item: { Labels?: Record<string, string> | null }) => (item.Labels?.['swe-harness.run'] ?? '').startsWith(runPrefix);
  const server = http.createServer((req, res) => {
    const upstream = http.request({ socketPath: engineSocket(), path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (!LISTING.test(req.url ?? '') || answer.statusCode !== 200) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const items = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ Labels?: Record<string, string> | null }>).filter(inScope);
        const body = JSON.stringify(items);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(err.message);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    dockerHost: `unix://${socket}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
